package slack_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/slack"
	"github.com/herald-social/herald/pipeline/networks/slack/slacktest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

// clock is a test's fake clock: the server dates messages by it, and
// the client's waits move it on.
type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func (c *clock) Slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

const post = `---
date: 2026-12-01T09:00:00+01:00
networks: [slack]
tags: [produit]
---
Le calendrier de l'Avent commence : **une case par jour** jusqu'à Noël.
`

const threadPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [slack]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte
---
Le calendrier de l'Avent commence : https://maison-exemple.fr/avent

---

Rendez-vous demain à 9 h.
`

type fixture struct {
	srv     *slacktest.Server
	clk     *clock
	root    string
	account *load.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := &clock{now: nine.Add(2 * time.Minute)}
	srv := slacktest.New(t)
	srv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{
		"posts/avent-1.md":   post,
		"posts/avent-fil.md": threadPost,
		"media/avent-1.png":  channeltest.PNG + "image data",
		"media/avent-2.png":  channeltest.PNG + "second image",
	})
	return &fixture{srv: srv, clk: clk, root: root,
		account: &load.Account{Key: "slack", Network: "slack", Channel: srv.Channel, API: srv.API()}}
}

// client is a new run's client of the fixture's account.
func (f *fixture) client(t *testing.T) *slack.Client {
	t.Helper()
	c, err := slack.New(f.account, slack.Options{
		Getenv: func(k string) (string, bool) {
			if k == "HERALD_SLACK_TOKEN" {
				return f.srv.Token, true
			}
			return "", false
		},
		HTTP: httpx.Options{Log: testLog{t}, Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 },
			HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// publication is the fixture's post as the engine makes it: one part.
func (f *fixture) publication(t *testing.T) networks.Publication {
	return channeltest.Publication(t, f.root, "posts/avent-1.md", f.account, f.clk.Now())
}

// thread is a publication of three parts, with an image on the first and
// on the last.
func (f *fixture) thread(t *testing.T) networks.Publication {
	p := f.publication(t)
	p.PostID, p.IdempotencyKey, p.Digest = "posts/avent-fil", "herald-key-thread-1", "sha256:abcd"
	p.Files = os.DirFS(f.root)
	p.Parts = []networks.Part{
		{Text: "Jour 1 : *la boîte*", Media: []networks.Medium{{Path: "media/avent-1.png", Alt: "Une boîte de l'Avent ouverte", MIME: "image/png"}}},
		{Text: "Une case par jour."},
		{Text: "Rendez-vous demain à 9 h.", Media: []networks.Medium{{Path: "media/avent-2.png", Alt: "Le sapin de l'atelier", MIME: "image/png"}}},
	}
	return p
}

func (f *fixture) noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), f.srv.Token) {
		t.Errorf("error %q holds the token", err)
	}
}

// herald is a message as the test expects Herald to have posted it.
type herald struct {
	Text, Thread string // Thread: "" outside a thread, "root" in the first message's
	Part         any    // the metadata's part; nil for a file share
	Files        []string
}

// posted returns the channel's messages as herald values, with the
// metadata checked against p.
func posted(t *testing.T, srv *slacktest.Server, p networks.Publication) []herald {
	t.Helper()
	msgs := srv.Messages()
	var out []herald
	for _, m := range msgs {
		h := herald{Text: m.Text}
		if m.ThreadTS != "" && m.ThreadTS != m.TS {
			h.Thread = "root"
			if m.ThreadTS != msgs[0].TS {
				h.Thread = m.ThreadTS
			}
		}
		if md := m.Metadata; md != nil {
			want := map[string]any{"idempotency_key": p.IdempotencyKey, "post": p.PostID, "digest": p.Digest, "part": md.EventPayload["part"]}
			if md.EventType != "herald_post" || !cmp.Equal(md.EventPayload, want) {
				t.Errorf("message %s: metadata %+v, want event_type herald_post and payload %v", m.TS, md, want)
			}
			h.Part = md.EventPayload["part"]
		}
		for _, id := range m.FileIDs {
			file, _ := srv.File(id)
			h.Files = append(h.Files, file.Filename+" ("+file.AltTxt+"): "+string(file.Data[len(channeltest.PNG):]))
		}
		out = append(out, h)
	}
	return out
}

func TestPublishText(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []herald{{Text: "Le calendrier de l'Avent commence : *une case par jour* jusqu'à Noël.", Part: float64(0)}}
	if diff := cmp.Diff(want, posted(t, f.srv, p)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	msgs := f.srv.Messages()
	wantRes := networks.Result{IDs: []string{msgs[0].TS},
		URLs: []string{"https://maison-exemple.slack.com/archives/C0HERALD01/p" + strings.ReplaceAll(msgs[0].TS, ".", "")}}
	if diff := cmp.Diff(wantRes, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"conversations.history", "chat.postMessage", "chat.getPermalink"}, f.srv.Methods()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	for _, r := range f.srv.Requests() {
		if r.Header.Get("Authorization") != "Bearer "+f.srv.Token {
			t.Errorf("%s: Authorization %q, want the bot token", r.Path, r.Header.Get("Authorization"))
		}
	}
	hist := f.srv.Requests()[0].Args
	if hist["include_all_metadata"] != "true" || hist["limit"] != "100" || hist["oldest"] != fmt.Sprintf("%d.000000", nine.Add(-time.Hour).Unix()) {
		t.Errorf("conversations.history %v, want include_all_metadata, limit 100 and oldest an hour before the post's date", hist)
	}
}

func TestPublishThreadWithImages(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := []herald{
		{Text: "Jour 1 : *la boîte*", Part: float64(0)},
		{Files: []string{"avent-1.png (Une boîte de l'Avent ouverte): image data"}},
		{Text: "Une case par jour.", Thread: "root", Part: float64(1)},
		{Text: "Rendez-vous demain à 9 h.", Thread: "root", Part: float64(2)},
		{Thread: "root", Files: []string{"avent-2.png (Le sapin de l'atelier): second image"}},
	}
	if diff := cmp.Diff(want, posted(t, f.srv, p)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	msgs := f.srv.Messages()
	if diff := cmp.Diff([]string{msgs[0].TS, msgs[2].TS, msgs[3].TS}, res.IDs); diff != "" || len(res.URLs) != 3 {
		t.Errorf("Result IDs (-want +got):\n%s\nURLs %v", diff, res.URLs)
	}
	if !strings.Contains(res.URLs[1], "?thread_ts="+msgs[0].TS) {
		t.Errorf("URL of a thread part %q, want its thread's", res.URLs[1])
	}
	wantCalls := []string{"conversations.history",
		"files.getUploadURLExternal", "upload", "chat.postMessage", "files.completeUploadExternal",
		"chat.postMessage",
		"files.getUploadURLExternal", "upload", "chat.postMessage", "files.completeUploadExternal",
		"chat.getPermalink", "chat.getPermalink", "chat.getPermalink"}
	if diff := cmp.Diff(wantCalls, f.srv.Methods()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	lengths := map[string]string{"avent-1.png": fmt.Sprint(len(channeltest.PNG + "image data")),
		"avent-2.png": fmt.Sprint(len(channeltest.PNG + "second image"))}
	for _, r := range f.srv.Requests() {
		if r.Path == "files.getUploadURLExternal" && r.Args["length"] != lengths[r.Args["filename"].(string)] {
			t.Errorf("files.getUploadURLExternal %v: length is not the file's", r.Args)
		}
	}
}

// TestPublishRenderedThread: a post split by a --- line is rendered
// for Slack as a thread, and published as one.
func TestPublishRenderedThread(t *testing.T) {
	f := newFixture(t)
	p := channeltest.Publication(t, f.root, "posts/avent-fil.md", f.account, f.clk.Now())
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	want := []herald{
		{Text: "Le calendrier de l'Avent commence : https://maison-exemple.fr/avent", Part: float64(0)},
		{Files: []string{"avent-1.png (Une boîte de l'Avent ouverte): image data"}},
		{Text: "Rendez-vous demain à 9 h.", Thread: "root", Part: float64(1)},
	}
	if diff := cmp.Diff(want, posted(t, f.srv, p)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

// TestLookupAfterCrash: a run posts the thread and dies before it
// journals it; the next run's client finds every part by its metadata,
// and Publish posts nothing again.
func TestLookupAfterCrash(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	f.srv.AddMessage(slacktest.Message{Text: p.Parts[0].Text}) // a person's copy: no metadata
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.clk.now = f.clk.now.Add(15 * time.Minute)
	before := len(f.srv.Messages())
	next := f.client(t)
	got, found, err := next.Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, %v; want the thread", got, found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Lookup (-published +found):\n%s", diff)
	}
	again, err := next.Publish(context.Background(), p)
	if err != nil || !cmp.Equal(first.IDs, again.IDs) || len(f.srv.Messages()) != before {
		t.Errorf("Publish again = %v, %v with %d messages (%d before); want the same thread, nothing posted", again, err, len(f.srv.Messages()), before)
	}

	t.Run("found on a later page of the history", func(t *testing.T) {
		for i := range 150 {
			f.srv.AddMessage(slacktest.Message{Text: fmt.Sprintf("message %d", i)})
		}
		before := len(f.srv.Requests())
		got, found, err := f.client(t).Lookup(context.Background(), p)
		if err != nil || !found || !cmp.Equal(first.IDs, got.IDs) {
			t.Fatalf("Lookup = %v, %v, %v; want the thread", got, found, err)
		}
		var cursors []any
		for _, r := range f.srv.Requests()[before:] {
			if r.Path == "conversations.history" {
				cursors = append(cursors, r.Args["cursor"])
			}
		}
		if len(cursors) != 2 || cursors[0] != nil || cursors[1] == nil {
			t.Errorf("conversations.history cursors %v, want a first page, then the next cursor", cursors)
		}
	})

	t.Run("another publication is not found", func(t *testing.T) {
		other := p
		other.IdempotencyKey = "herald-key-other"
		_, found, err := next.Lookup(context.Background(), other)
		if err != nil || found {
			t.Errorf("Lookup of another key = %v, %v; want not found", found, err)
		}
	})
}

// TestFinishHalfThread: the second message fails with a 500 (Slack may
// have posted it or not: it did not); Lookup does not find a whole
// thread, and the next Publish posts only what is missing.
func TestFinishHalfThread(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	p.Parts[0].Media, p.Parts[2].Media = nil, nil
	f.srv.Queue("chat.postMessage", slacktest.Reply{}, slacktest.Reply{Status: 500, Body: "upstream error"})
	res, err := f.client(t).Publish(context.Background(), p)
	if networks.KindOf(err) != networks.Transient || len(res.IDs) != 1 {
		t.Fatalf("Publish = %v, %v; want the first message and a transient error", res, err)
	}
	if _, found, err := f.client(t).Lookup(context.Background(), p); found || err != nil {
		t.Fatalf("Lookup = %v, %v; want a half thread not found", found, err)
	}
	done, err := f.client(t).Publish(context.Background(), p)
	if err != nil || len(done.IDs) != 3 || done.IDs[0] != res.IDs[0] {
		t.Fatalf("Publish again = %v, %v; want the thread finished from its first message", done, err)
	}
	want := []herald{
		{Text: "Jour 1 : *la boîte*", Part: float64(0)},
		{Text: "Une case par jour.", Thread: "root", Part: float64(1)},
		{Text: "Rendez-vous demain à 9 h.", Thread: "root", Part: float64(2)},
	}
	if diff := cmp.Diff(want, posted(t, f.srv, p)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestRateLimits(t *testing.T) {
	t.Run("429 with Retry-After is waited out", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Queue("chat.postMessage", slacktest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"},
			Body: `{"ok":false,"error":"ratelimited"}`})
		if _, err := f.client(t).Publish(context.Background(), f.publication(t)); err != nil {
			t.Fatal(err)
		}
		if got := f.clk.Slept(); !cmp.Equal(got, []time.Duration{7 * time.Second}) || len(f.srv.Messages()) != 1 {
			t.Errorf("slept %v, %d messages; want 7s then one message", got, len(f.srv.Messages()))
		}
	})
	t.Run("ratelimited in a 200", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Queue("chat.postMessage", slacktest.Reply{Header: map[string]string{"Retry-After": "30"}, Body: `{"ok":false,"error":"ratelimited"}`})
		_, err := f.client(t).Publish(context.Background(), f.publication(t))
		ne, ok := errors.AsType[*networks.Error](err)
		if !ok || ne.Kind != networks.RateLimited || ne.RetryAfter != 30*time.Second || len(f.srv.Messages()) != 0 {
			t.Errorf("Publish: %v, want rate limited for 30s, nothing posted", err)
		}
	})
	t.Run("a 500 on a read is retried", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Queue("conversations.history", slacktest.Reply{Status: 500, Body: "oops"})
		if _, err := f.client(t).Publish(context.Background(), f.publication(t)); err != nil || len(f.srv.Messages()) != 1 {
			t.Fatalf("Publish: %v with %d messages, want one message", err, len(f.srv.Messages()))
		}
	})
	t.Run("internal_error is transient", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Queue("chat.postMessage", slacktest.Reply{Body: `{"ok":false,"error":"internal_error"}`})
		_, err := f.client(t).Publish(context.Background(), f.publication(t))
		if networks.KindOf(err) != networks.Transient || !strings.Contains(err.Error(), "internal_error") {
			t.Errorf("Publish: %v, want a transient internal_error", err)
		}
	})
}

func TestRefusedToken(t *testing.T) {
	for _, code := range []string{"invalid_auth", "token_revoked", "account_inactive"} {
		t.Run(code, func(t *testing.T) {
			f := newFixture(t)
			c := f.client(t)
			f.srv.Queue("conversations.history", slacktest.Reply{Body: `{"ok":false,"error":"` + code + `"}`})
			_, err := c.Publish(context.Background(), f.publication(t))
			if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), code) ||
				!strings.Contains(err.Error(), "HERALD_SLACK_TOKEN") {
				t.Errorf("Publish: %v, want a permanent error naming %s and HERALD_SLACK_TOKEN", err, code)
			}
			f.noSecret(t, err)
			if len(f.srv.Messages()) != 0 {
				t.Errorf("%d messages posted", len(f.srv.Messages()))
			}
		})
	}
	t.Run("a token the server does not know", func(t *testing.T) {
		f := newFixture(t)
		c := f.client(t)
		f.srv.Token = "xoxb-another"
		_, err := c.Publish(context.Background(), f.publication(t))
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "invalid_auth") {
			t.Errorf("Publish: %v, want permanent invalid_auth", err)
		}
		if strings.Contains(err.Error(), "testTOKEN") {
			t.Errorf("error %q holds the token", err)
		}
	})
}

func TestStats(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	p.Parts[0].Media, p.Parts[2].Media = nil, nil
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.React(res.IDs[0], "tada", 3)
	f.srv.React(res.IDs[0], "heart", 2)
	f.srv.React(res.IDs[2], "eyes", 1)
	f.srv.AddMessage(slacktest.Message{Text: "Trop bien !", ThreadTS: res.IDs[0]})
	ids := append(res.IDs, "1764570000.000001") // deleted since
	counts, err := f.client(t).Stats(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	n := func(v int64) *int64 { return &v }
	want := []struct{ Likes, Replies *int64 }{{n(5), n(1)}, {n(0), nil}, {n(1), nil}, {nil, nil}}
	for i, c := range counts {
		if !cmp.Equal(c.Likes, want[i].Likes) || !cmp.Equal(c.Replies, want[i].Replies) || c.Reposts != nil || c.Quotes != nil || c.Views != nil {
			t.Errorf("counts[%d] = %+v, want likes %v replies %v, the others nil", i, c, want[i].Likes, want[i].Replies)
		}
	}
}

func TestVerify(t *testing.T) {
	f := newFixture(t)
	v := f.client(t).Verify(context.Background(), f.clk.Now())
	if v.Verdict != networks.Verified || !strings.Contains(v.Message, "@herald") || !strings.Contains(v.Message, "#annonces") {
		t.Errorf("Verify = %+v, want verified naming the bot and the channel", v)
	}
	if diff := cmp.Diff([]string{"auth.test", "conversations.info"}, f.srv.Methods()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}

	t.Run("not a member", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Member = false
		v := f.client(t).Verify(context.Background(), f.clk.Now())
		if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "/invite @herald") {
			t.Errorf("Verify = %+v, want rejected, saying to invite the bot", v)
		}
	})
	t.Run("a token Slack refuses", func(t *testing.T) {
		f := newFixture(t)
		c := f.client(t)
		f.srv.Token = "xoxb-another"
		v := c.Verify(context.Background(), f.clk.Now())
		if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "invalid_auth") || strings.Contains(v.Message, "testTOKEN") {
			t.Errorf("Verify = %+v, want rejected for invalid_auth, without the token", v)
		}
	})
	t.Run("Slack down", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Queue("auth.test", slacktest.Reply{Body: `{"ok":false,"error":"fatal_error"}`})
		if v := f.client(t).Verify(context.Background(), f.clk.Now()); v.Verdict != networks.Unsure {
			t.Errorf("Verify = %+v, want unsure", v)
		}
	})
}

func TestNew(t *testing.T) {
	a := &load.Account{Key: "annonces", Network: "slack", Channel: "C0123"}
	_, err := slack.New(a, slack.Options{Getenv: func(string) (string, bool) { return "", false }})
	if ne, ok := errors.AsType[*networks.Error](err); !ok || ne.Kind != networks.NotConfigured || ne.Env != "HERALD_ANNONCES_TOKEN" {
		t.Errorf("New without a token: %v, want not configured naming HERALD_ANNONCES_TOKEN", err)
	}
	set := func(string) (string, bool) { return "xoxb-1", true }
	for _, bad := range []*load.Account{
		{Key: "a", Network: "slack"},
		{Key: "a", Network: "slack", Channel: "#annonces"},
		{Key: "a", Network: "slack", Channel: "C0123", API: "http://slack.example/api"},
	} {
		if _, err := slack.New(bad, slack.Options{Getenv: set}); networks.KindOf(err) != networks.Permanent {
			t.Errorf("New(%+v) = %v, want a permanent error", bad, err)
		}
	}
}
