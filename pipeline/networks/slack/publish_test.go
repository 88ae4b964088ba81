package slack_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/slack/slacktest"
)

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

// TestShareFails: the images of a part are shared after its message; a
// share that fails is not sent again, and the error says the message
// exists, whose ts the Result holds.
func TestShareFails(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	p.Parts = p.Parts[:1]
	f.srv.Queue("files.completeUploadExternal", slacktest.Reply{Status: 502, Body: "Bad Gateway"})
	res, err := f.client(t).Publish(context.Background(), p)
	msgs := f.srv.Messages()
	if networks.KindOf(err) != networks.Transient || !strings.Contains(err.Error(), "its images are not") ||
		len(msgs) != 1 || !cmp.Equal(res.IDs, []string{msgs[0].TS}) {
		t.Errorf("Publish = %v, %v with %d messages; want the message's ts and a transient error saying its images are not shared", res, err, len(msgs))
	}
	if n := strings.Count(strings.Join(f.srv.Methods(), " "), "files.completeUploadExternal"); n != 1 {
		t.Errorf("files.completeUploadExternal sent %d times, want once", n)
	}
}

// TestPartWithoutText: the metadata goes in a message's text, so a part
// of images alone is refused before anything is sent.
func TestPartWithoutText(t *testing.T) {
	f := newFixture(t)
	p := f.thread(t)
	p.Parts[2].Text = ""
	_, err := f.client(t).Publish(context.Background(), p)
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "part 3 has no text") || len(f.srv.Requests()) != 0 {
		t.Errorf("Publish: %v after %d requests, want a permanent error about part 3 before any request", err, len(f.srv.Requests()))
	}
}
