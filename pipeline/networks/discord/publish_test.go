package discord_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/discord"
	"github.com/herald-social/herald/pipeline/networks/discord/discordtest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

// logBuffer keeps the client's log lines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(b)
}

func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

const post = `---
date: 2026-12-01T09:00:00+01:00
networks: [discord]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte, et ses 24 cases
---
Le calendrier de l'Avent commence : https://maison-exemple.fr/avent/2026/jour-1
`

// fixture is a fake Discord, a calendar and a clock.
type fixture struct {
	srv     *discordtest.Server
	clk     *fakeclock.Clock
	root    string
	account *load.Account
	env     map[string]string
	budget  time.Duration
	log     logBuffer
}

// newFixture is a bot account of the server's channel; webhook makes it
// a webhook account.
func newFixture(t *testing.T, webhook bool) *fixture {
	t.Helper()
	clk := fakeclock.New(nine.Add(2 * time.Minute))
	srv := discordtest.New(t)
	srv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{
		"posts/avent-1.md":  post,
		"media/avent-1.png": channeltest.PNG + "image data",
	})
	f := &fixture{srv: srv, clk: clk, root: root}
	if webhook {
		f.account = &load.Account{Key: "discord", Network: "discord"}
		f.env = map[string]string{"HERALD_DISCORD_WEBHOOK": srv.WebhookURL()}
	} else {
		f.account = &load.Account{Key: "discord", Network: "discord", Channel: srv.ChannelID, API: srv.API()}
		f.env = map[string]string{"HERALD_DISCORD_BOT_TOKEN": srv.BotToken}
	}
	return f
}

// client is a new run's client of the fixture's account.
func (f *fixture) client(t *testing.T) *discord.Client {
	t.Helper()
	c, err := discord.New(f.account, discord.Options{
		Getenv: func(k string) (string, bool) { v, ok := f.env[k]; return v, ok },
		HTTP: httpx.Options{Log: &f.log, Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 }, Budget: f.budget,
			HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) publication(t *testing.T) networks.Publication {
	t.Helper()
	return channeltest.Publication(t, f.root, "posts/avent-1.md", f.account, f.clk.Now())
}

// text is a publication of texts alone, one part each.
func (f *fixture) text(texts ...string) networks.Publication {
	p := networks.Publication{PostID: "posts/2026/12/avent-2", Account: "discord", Files: os.DirFS(f.root),
		IdempotencyKey: "herald-0123456789abcdef", Digest: "sha256:00", When: nine, At: f.clk.Now()}
	for _, s := range texts {
		p.Parts = append(p.Parts, networks.Part{Text: s})
	}
	return p
}

// noSecret fails the test if s holds the bot token, the webhook's token
// or its URL.
func (f *fixture) noSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{f.srv.BotToken, f.srv.WebhookToken, f.srv.WebhookURL()} {
		if strings.Contains(s, secret) {
			t.Errorf("%s %q holds a secret", what, s)
		}
	}
}

func (f *fixture) link(id string) string {
	return "https://discord.com/channels/" + f.srv.GuildID + "/" + f.srv.ChannelID + "/" + id
}

func TestPublishImageWithDescription(t *testing.T) {
	f := newFixture(t, false)
	p := f.publication(t)
	if len(p.Parts) != 1 || len(p.Parts[0].Media) != 1 {
		t.Fatalf("the post renders as %d parts with media %v; the test wants one part with an image", len(p.Parts), p.Parts)
	}
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("the channel holds %d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if diff := cmp.Diff(networks.Result{IDs: []string{m.ID}, URLs: []string{f.link(m.ID)}}, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if m.Content != p.Parts[0].Text || m.AuthorID != f.srv.UserID || m.Nonce != discord.Nonce(p.IdempotencyKey, 0) {
		t.Errorf("message %+v; want the part's text, by the bot, with the part's nonce", m)
	}
	want := []discordtest.Attachment{{ID: m.Attachments[0].ID, Filename: "avent-1.png", ContentType: "image/png",
		Description: "Une boîte de l'Avent ouverte, et ses 24 cases", Data: []byte(channeltest.PNG + "image data")}}
	if diff := cmp.Diff(want, m.Attachments); diff != "" {
		t.Errorf("attachments (-want +got):\n%s", diff)
	}
	wantRoutes := []string{"GET /api/v10/channels/" + f.srv.ChannelID, "GET /api/v10/users/@me",
		"GET /api/v10/channels/" + f.srv.ChannelID + "/messages", "POST /api/v10/channels/" + f.srv.ChannelID + "/messages"}
	if diff := cmp.Diff(wantRoutes, f.srv.Routes()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	create := f.srv.Requests()[3]
	if ct := create.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/form-data; boundary=") {
		t.Errorf("create with an image: Content-Type %q, want multipart/form-data", ct)
	}
	wantJSON := map[string]any{"content": p.Parts[0].Text, "nonce": discord.Nonce(p.IdempotencyKey, 0), "enforce_nonce": true,
		"attachments": []any{map[string]any{"id": float64(0), "filename": "avent-1.png", "description": "Une boîte de l'Avent ouverte, et ses 24 cases"}}}
	if diff := cmp.Diff(wantJSON, create.JSON); diff != "" {
		t.Errorf("payload_json (-want +got):\n%s", diff)
	}
	for _, r := range f.srv.Requests() {
		if r.Header.Get("Authorization") != "Bot "+f.srv.BotToken {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Header.Get("Authorization"))
		}
	}
}

func TestPublishThreadAsReplies(t *testing.T) {
	f := newFixture(t, false)
	p := f.text("Premier jour.", "Une case par jour.", "Rendez-vous demain.")
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 3 {
		t.Fatalf("the channel holds %d messages, want 3", len(msgs))
	}
	var want networks.Result
	for i, m := range msgs {
		want.IDs = append(want.IDs, m.ID)
		want.URLs = append(want.URLs, f.link(m.ID))
		wantReply := ""
		if i > 0 {
			wantReply = msgs[i-1].ID
		}
		if m.Content != p.Parts[i].Text || m.ReplyTo != wantReply || m.Nonce != discord.Nonce(p.IdempotencyKey, i) {
			t.Errorf("message %d: %+v; want %q replying to %q", i+1, m, p.Parts[i].Text, wantReply)
		}
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if n := discord.Nonce(p.IdempotencyKey, 0); len(n) != 25 || n == discord.Nonce(p.IdempotencyKey, 1) || n != discord.Nonce(p.IdempotencyKey, 0) {
		t.Errorf("Nonce = %q: want 25 characters, the same for a part, another for the next", n)
	}

	t.Run("a new run finds the thread and posts nothing", func(t *testing.T) {
		c := f.client(t)
		got, found, err := c.Lookup(context.Background(), p)
		if err != nil || !found {
			t.Fatalf("Lookup = %v, %v; want found", found, err)
		}
		if diff := cmp.Diff(res, got); diff != "" {
			t.Errorf("Lookup (-want +got):\n%s", diff)
		}
		again, err := c.Publish(context.Background(), p)
		if err != nil || !cmp.Equal(res, again) || len(f.srv.Messages()) != 3 {
			t.Errorf("Publish again = %v, %v, %d messages; want the same thread, no new message", again, err, len(f.srv.Messages()))
		}
	})
}

func TestPublishFinishesAHalfThread(t *testing.T) {
	f := newFixture(t, false)
	p := f.text("Premier jour.", "Une case par jour.")
	f.srv.AddMessage(discordtest.Message{Content: "Premier jour.", AuthorID: "999"}) // someone else's
	first := f.srv.AddMessage(discordtest.Message{Content: "Premier jour."})
	if _, found, err := f.client(t).Lookup(context.Background(), p); err != nil || found {
		t.Fatalf("Lookup of a half thread = %v, %v; want not found", found, err)
	}
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 3 || msgs[2].ReplyTo != first || !cmp.Equal(res.IDs, []string{first, msgs[2].ID}) {
		t.Errorf("Result %v, messages %+v; want the bot's first message, then a reply to it", res, msgs)
	}
}

func TestPublishPoll(t *testing.T) {
	f := newFixture(t, false)
	p := f.text("Quelle case ouvrir demain ?")
	p.Title = "La case de demain"
	p.Poll = &networks.Poll{Options: []string{"Le chocolat", "La bougie"}, ExpiresIn: 90 * time.Minute, Multiple: true}
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	want := &discordtest.Poll{Question: "La case de demain", Answers: []string{"Le chocolat", "La bougie"}, Duration: 2, AllowMultiselect: true}
	if diff := cmp.Diff(want, msgs[0].Poll); diff != "" {
		t.Errorf("poll (-want +got):\n%s", diff)
	}
}

func TestRetriedCreateGivesTheFirstMessage(t *testing.T) {
	f := newFixture(t, false)
	// The message is made, the answer lost: httpx sends the create again
	// with the same nonce, and Discord answers with the first message.
	f.srv.Fail("POST /channels/:channel/messages", discordtest.Reply{Status: 502, Body: `{"message": "Bad Gateway", "code": 0}`, After: true})
	res, err := f.client(t).Publish(context.Background(), f.text("Premier jour."))
	if err != nil {
		t.Fatal(err)
	}
	msgs := f.srv.Messages()
	if len(msgs) != 1 || !cmp.Equal(res.IDs, []string{msgs[0].ID}) {
		t.Errorf("Result %v, messages %+v; want the one message, journaled", res, msgs)
	}
	if n := strings.Count(strings.Join(f.srv.Routes(), "\n"), "POST "); n != 2 {
		t.Errorf("%d creates, want 2 (the retry)", n)
	}
}

func TestRateLimited(t *testing.T) {
	for _, global := range []bool{false, true} {
		t.Run(map[bool]string{false: "route", true: "global"}[global], func(t *testing.T) {
			f := newFixture(t, false)
			f.srv.Fail("POST /channels/:channel/messages", discordtest.Reply{RateLimit: &discordtest.RateLimit{RetryAfter: 1.25, Global: global}})
			res, err := f.client(t).Publish(context.Background(), f.text("Premier jour."))
			if err != nil || len(res.IDs) != 1 {
				t.Fatalf("Publish = %v, %v; want one message after the wait", res, err)
			}
			if diff := cmp.Diff([]time.Duration{1250 * time.Millisecond}, f.clk.Slept()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("beyond the budget", func(t *testing.T) {
		f := newFixture(t, false)
		f.budget = time.Second
		f.srv.Fail("POST /channels/:channel/messages", discordtest.Reply{RateLimit: &discordtest.RateLimit{RetryAfter: 1.25}})
		_, err := f.client(t).Publish(context.Background(), f.text("Premier jour."))
		ne, ok := errors.AsType[*networks.Error](err)
		if !ok || ne.Kind != networks.RateLimited || ne.RetryAfter.Round(time.Millisecond) != 1250*time.Millisecond {
			t.Fatalf("Publish: %v; want rate limited, retry after 1.25s", err)
		}
		if len(f.srv.Messages()) != 0 || len(f.clk.Slept()) != 0 {
			t.Errorf("messages %v, waits %v; want none", f.srv.Messages(), f.clk.Slept())
		}
	})
}

func TestUnauthorizedHoldsNoToken(t *testing.T) {
	f := newFixture(t, false)
	c := f.client(t)
	f.srv.BotToken = "another-token"
	_, err := c.Publish(context.Background(), f.text("Premier jour."))
	ne, ok := errors.AsType[*networks.Error](err)
	if !ok || ne.Status != 401 || ne.Kind != networks.Permanent {
		t.Fatalf("Publish: %v, want a permanent HTTP 401", err)
	}
	f.noSecret(t, "error", err.Error())
	if strings.Contains(err.Error(), "bot-token") {
		t.Errorf("error %q holds the token", err)
	}
}
