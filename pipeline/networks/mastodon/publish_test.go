package mastodon_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/mastodon"
	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

// testLog writes the client's log lines to the test's.
type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

// fixture is a fake server, the calendar of a test and a clock.
type fixture struct {
	srv     *mastodontest.Server
	clk     *fakeclock.Clock
	root    string
	account *load.Account
	budget  time.Duration
}

const threadPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [mastodon]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte, & ses 24 cases
---
Le calendrier de l'Avent commence : https://maison-exemple.fr/avent/2026/jour-1 #NoelMaison

---

Une case par jour, avec @atelier@piaille.fr et @voisin.

---

Rendez-vous demain à 9 h.
`

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := fakeclock.New(nine.Add(2 * time.Minute))
	srv := mastodontest.New(t)
	srv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{
		"posts/avent-1.md":  threadPost,
		"media/avent-1.png": channeltest.PNG + "image data",
	})
	return &fixture{srv: srv, clk: clk, root: root,
		account: &load.Account{Key: "mastodon", Network: "mastodon", Server: srv.URL}}
}

// client is a new run's client of the fixture's account.
func (f *fixture) client(t *testing.T) *mastodon.Client {
	t.Helper()
	c, err := mastodon.New(f.account, mastodon.Options{
		Getenv: func(k string) (string, bool) {
			if k == "HERALD_MASTODON_TOKEN" {
				return f.srv.Token, true
			}
			return "", false
		},
		HTTP: httpx.Options{Log: testLog{t}, Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 }, Budget: f.budget,
			HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) publication(t *testing.T) networks.Publication {
	return channeltest.Publication(t, f.root, "posts/avent-1.md", f.account, f.clk.Now())
}

// noSecret fails the test if err says the token.
func (f *fixture) noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), f.srv.Token) {
		t.Errorf("error %q holds the token", err)
	}
}

func TestPublishThreadWithImage(t *testing.T) {
	f := newFixture(t)
	f.srv.ProcessingPolls = 2 // answered 202, then 206 twice
	p := f.publication(t)
	if len(p.Parts) != 3 || len(p.Parts[0].Media) != 1 {
		t.Fatalf("the post renders as %d parts, media %v; the test wants 3 parts, an image on the first", len(p.Parts), p.Parts[0].Media)
	}
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}

	statuses := f.srv.Statuses()
	if len(statuses) != 3 {
		t.Fatalf("the server holds %d statuses, want 3", len(statuses))
	}
	wantRes := networks.Result{}
	for i, st := range statuses {
		wantRes.IDs = append(wantRes.IDs, st.ID)
		wantRes.URLs = append(wantRes.URLs, f.srv.URL+"/@maison/"+st.ID)
		if st.Text != p.Parts[i].Text {
			t.Errorf("status %d text %q, want %q", i+1, st.Text, p.Parts[i].Text)
		}
		wantReply := ""
		if i > 0 {
			wantReply = statuses[i-1].ID
		}
		if st.InReplyToID != wantReply || st.Visibility != "public" || st.Language != "fr" || st.IdempotencyKey != fmt.Sprintf("%s-%d", p.IdempotencyKey, i+1) {
			t.Errorf("status %d: reply to %q, visibility %q, language %q, key %q; want reply to %q, public, fr, %s-%d",
				i+1, st.InReplyToID, st.Visibility, st.Language, st.IdempotencyKey, wantReply, p.IdempotencyKey, i+1)
		}
	}
	if diff := cmp.Diff(wantRes, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if len(statuses[0].MediaIDs) != 1 || len(statuses[1].MediaIDs)+len(statuses[2].MediaIDs) != 0 {
		t.Fatalf("media ids %v %v %v, want one on the first status", statuses[0].MediaIDs, statuses[1].MediaIDs, statuses[2].MediaIDs)
	}
	m, _ := f.srv.Media(statuses[0].MediaIDs[0])
	want := mastodontest.Medium{ID: m.ID, Filename: "avent-1.png", ContentType: "image/png",
		Description: "Une boîte de l'Avent ouverte, & ses 24 cases", Data: []byte(channeltest.PNG + "image data"), StatusID: statuses[0].ID}
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("medium (-want +got):\n%s", diff)
	}

	wantRoutes := []string{
		"GET /api/v1/accounts/verify_credentials",
		"GET /api/v1/accounts/" + f.srv.AccountID + "/statuses",
		"POST /api/v2/media",
		"GET /api/v1/media/" + m.ID, "GET /api/v1/media/" + m.ID, "GET /api/v1/media/" + m.ID,
		"POST /api/v1/statuses", "POST /api/v1/statuses", "POST /api/v1/statuses",
	}
	if diff := cmp.Diff(wantRoutes, f.srv.Routes()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// Between the polls of the medium, backoff: 0.5 s, 1 s, 2 s.
	if diff := cmp.Diff([]time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}, f.clk.Slept()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	for _, r := range f.srv.Requests() {
		if r.Header.Get("Authorization") != "Bearer "+f.srv.Token {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Header.Get("Authorization"))
		}
		switch r.Method + " " + r.Path {
		case "POST /api/v1/statuses":
			if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("POST /api/v1/statuses: Content-Type %q", ct)
			}
			if r.Header.Get("Idempotency-Key") == "" {
				t.Errorf("POST /api/v1/statuses without Idempotency-Key")
			}
		case "POST /api/v2/media":
			if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data; boundary=") || r.Files["file"] != "image/png" {
				t.Errorf("POST /api/v2/media: Content-Type %q, file part %q", r.Header.Get("Content-Type"), r.Files["file"])
			}
			if got := r.Form["description"]; len(got) != 1 || got[0] != "Une boîte de l'Avent ouverte, & ses 24 cases" {
				t.Errorf("POST /api/v2/media: description %q", got)
			}
		case "GET /api/v1/accounts/" + f.srv.AccountID + "/statuses":
			if r.Query != "exclude_reblogs=true&limit=40" {
				t.Errorf("account statuses query %q", r.Query)
			}
		}
	}
}

func TestAccountVisibilityAndLanguage(t *testing.T) {
	f := newFixture(t)
	f.account.Visibility = "unlisted"
	p := f.publication(t)
	p.Lang = "pt-BR"
	p.Parts = p.Parts[:1]
	p.Parts[0].Media = nil
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	st := f.srv.Statuses()[0]
	if st.Visibility != "unlisted" || st.Language != "pt" {
		t.Errorf("visibility %q, language %q; want unlisted, pt", st.Visibility, st.Language)
	}
	post := f.srv.Requests()[2]
	if diff := cmp.Diff(map[string][]string{"status": {p.Parts[0].Text}, "visibility": {"unlisted"}, "language": {"pt"}}, post.Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
}

func TestIdempotencyKeyHonoured(t *testing.T) {
	f := newFixture(t)
	// The server posts the first status, and the answer is lost: the
	// client sends it again with the same key and gets the same status.
	f.srv.Fail("POST /api/v1/statuses", mastodontest.Reply{After: true, Hangup: true})
	res, err := f.client(t).Publish(context.Background(), f.publication(t))
	if err != nil {
		t.Fatal(err)
	}
	statuses := f.srv.Statuses()
	if len(statuses) != 3 || res.IDs[0] != statuses[0].ID {
		t.Fatalf("%d statuses, result %v: want 3, the first once", len(statuses), res.IDs)
	}
	posts := 0
	for _, r := range f.srv.Routes() {
		if r == "POST /api/v1/statuses" {
			posts++
		}
	}
	if posts != 4 {
		t.Errorf("%d POST /api/v1/statuses, want 4 (the first sent twice, with its key)", posts)
	}
}

func TestLookupAfterACrash(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	// A run publishes, and dies before it journals the result.
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	// More than an hour later (the server forgot the keys), and after
	// others statuses of the account, the next run reconciles.
	f.srv.Forget()
	f.clk.Advance(3 * time.Hour)
	for i := range 45 {
		f.srv.AddStatus(mastodontest.Status{Text: fmt.Sprintf("Autre chose, %d", i)})
	}
	before := len(f.srv.Requests())
	p.At = f.clk.Now()
	got, found, err := f.client(t).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, want found", found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Lookup (-published +found):\n%s", diff)
	}
	for _, r := range f.srv.Requests()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("Lookup sent %s %s", r.Method, r.Path)
		}
	}
	// Publish again (a failure journaled before the crash, retried): the
	// thread is there, nothing is posted.
	again, err := f.client(t).Publish(context.Background(), p)
	if err != nil || len(f.srv.Statuses()) != 48 {
		t.Fatalf("Publish again: %v; %d statuses, want 3 + 45", err, len(f.srv.Statuses()))
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("Publish again (-first +again):\n%s", diff)
	}
}

func TestCrashInTheMiddleOfAThread(t *testing.T) {
	f := newFixture(t)
	f.budget = 10 * time.Second
	p := f.publication(t)
	// The second status is posted, and its answers are lost, every time.
	fail := mastodontest.Reply{After: true, Status: http.StatusBadGateway}
	f.srv.Fail("POST /api/v1/statuses", mastodontest.Reply{}, fail, fail, fail, fail, fail)
	res, err := f.client(t).Publish(context.Background(), p)
	if networks.KindOf(err) != networks.Transient || !strings.Contains(err.Error(), "part 2 of 3") {
		t.Fatalf("Publish: %v, want a transient failure of part 2", err)
	}
	if len(res.IDs) != 1 || len(f.srv.Statuses()) != 2 {
		t.Fatalf("result %v, %d statuses; want the first status in the result, 2 on the server", res.IDs, len(f.srv.Statuses()))
	}
	// The thread is there in part: not found, so the engine publishes
	// again, which finishes it without a second copy of any part.
	f.srv.Forget()
	if _, found, err := f.client(t).Lookup(context.Background(), p); found || err != nil {
		t.Fatalf("Lookup of a thread in part: found %v, %v", found, err)
	}
	res, err = f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	statuses := f.srv.Statuses()
	if len(statuses) != 3 || statuses[2].InReplyToID != statuses[1].ID || statuses[2].Text != p.Parts[2].Text {
		t.Fatalf("statuses %+v, want the thread whole, each part once", statuses)
	}
	if diff := cmp.Diff([]string{statuses[0].ID, statuses[1].ID, statuses[2].ID}, res.IDs); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

func TestLookupMatchesOnlyThisPublication(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	p.Parts = p.Parts[1:2] // one part without media
	text := p.Parts[0].Text
	old := f.srv.AddStatus(mastodontest.Status{Text: text, CreatedAt: nine.Add(-48 * time.Hour)})
	f.srv.AddStatus(mastodontest.Status{Text: text, InReplyToID: old})     // a reply: not a first part
	f.srv.AddStatus(mastodontest.Status{Text: text, Reblog: true})         // a boost: not the account's
	f.srv.AddStatus(mastodontest.Status{Text: text + " Et plus encore."})  // another text
	f.srv.AddStatus(mastodontest.Status{Text: text, MediaIDs: []string{}}) // the same: found
	_, found, err := f.client(t).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup: %v, %v", found, err)
	}
	f2 := newFixture(t)
	f2.srv.AddStatus(mastodontest.Status{Text: text, CreatedAt: nine.Add(-48 * time.Hour)})
	f2.srv.AddStatus(mastodontest.Status{Text: text + " Et plus encore."})
	if _, found, err := f2.client(t).Lookup(context.Background(), p); found || err != nil {
		t.Errorf("Lookup found %v (%v): a status from before the post's date, or with another text, is not it", found, err)
	}
	// The same text with an image described otherwise is another status.
	f3 := newFixture(t)
	whole := f3.publication(t)
	whole.Parts = whole.Parts[:1]
	other := f3.srv.AddMedium(mastodontest.Medium{Filename: "a.png", ContentType: "image/png", Description: "Autre chose"})
	f3.srv.AddStatus(mastodontest.Status{Text: whole.Parts[0].Text, MediaIDs: []string{other}})
	if _, found, err := f3.client(t).Lookup(context.Background(), whole); found || err != nil {
		t.Errorf("Lookup found %v (%v): a status whose image has another description is not it", found, err)
	}
	same := f3.srv.AddMedium(mastodontest.Medium{Filename: "b.png", ContentType: "image/png", Description: whole.Parts[0].Media[0].Alt})
	f3.srv.AddStatus(mastodontest.Status{Text: whole.Parts[0].Text, MediaIDs: []string{same}})
	if _, found, err := f3.client(t).Lookup(context.Background(), whole); !found || err != nil {
		t.Errorf("Lookup found %v (%v), want the status with the same text and alt text", found, err)
	}
}

func TestRateLimits(t *testing.T) {
	resetIn := func(f *fixture, d time.Duration) map[string]string {
		return map[string]string{"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
			"X-RateLimit-Reset": f.clk.Now().Add(d).UTC().Format("2006-01-02T15:04:05.000000Z")}
	}
	t.Run("waited out within the budget", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail("POST /api/v1/statuses", mastodontest.Reply{Status: 429, Header: resetIn(f, 30*time.Second), Body: `{"error":"Too many requests"}`})
		f.srv.Fail("GET /api/v1/accounts/verify_credentials", mastodontest.Reply{Status: 429, Header: map[string]string{"Retry-After": "5"}})
		if _, err := f.client(t).Publish(context.Background(), f.publication(t)); err != nil {
			t.Fatal(err)
		}
		// The reset is a time: 5 s of it were spent waiting already.
		if diff := cmp.Diff([]time.Duration{5 * time.Second, 25 * time.Second}, f.clk.Slept()); diff != "" {
			t.Errorf("waits (-want +got):\n%s", diff)
		}
		if n := len(f.srv.Statuses()); n != 3 {
			t.Errorf("%d statuses, want 3", n)
		}
	})
	t.Run("past the budget: RateLimited with the wait", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail("POST /api/v2/media", mastodontest.Reply{Status: 429, Header: resetIn(f, 25*time.Minute), Body: `{"error":"Too many requests"}`})
		_, err := f.client(t).Publish(context.Background(), f.publication(t))
		var ne *networks.Error
		if !errors.As(err, &ne) || ne.Kind != networks.RateLimited || ne.RetryAfter != 25*time.Minute {
			t.Fatalf("Publish: %v, want rate limited for 25 minutes", err)
		}
		want := "account mastodon: rate limited, retry after 25m0s: HTTP 429: POST /api/v2/media: Too many requests"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q, want it to hold %q", err, want)
		}
		f.noSecret(t, err)
		if len(f.srv.Statuses()) != 0 || len(f.clk.Slept()) != 0 {
			t.Errorf("statuses %d, waits %v: want none", len(f.srv.Statuses()), f.clk.Slept())
		}
	})
}

func TestFailures(t *testing.T) {
	t.Run("5xx retried", func(t *testing.T) {
		f := newFixture(t)
		f.srv.Fail("GET /api/v1/accounts/verify_credentials", mastodontest.Reply{Status: 503})
		f.srv.Fail("POST /api/v1/statuses", mastodontest.Reply{}, mastodontest.Reply{Status: 500, Body: `{"error":"oops"}`})
		if _, err := f.client(t).Publish(context.Background(), f.publication(t)); err != nil {
			t.Fatal(err)
		}
		if n := len(f.srv.Statuses()); n != 3 {
			t.Errorf("%d statuses, want 3", n)
		}
	})
	t.Run("422 not retried, with the server's message", func(t *testing.T) {
		f := newFixture(t)
		f.srv.MaxCharacters = 60
		_, err := f.client(t).Publish(context.Background(), f.publication(t))
		if networks.KindOf(err) != networks.Permanent {
			t.Fatalf("Publish: %v, want a permanent failure", err)
		}
		want := "account mastodon: HTTP 422: POST /api/v1/statuses: Validation failed: Text character limit of 60 exceeded"
		if err.Error() != "part 1 of 3: "+want {
			t.Errorf("error %q, want %q", err, "part 1 of 3: "+want)
		}
		posts := 0
		for _, r := range f.srv.Routes() {
			if r == "POST /api/v1/statuses" {
				posts++
			}
		}
		if posts != 1 {
			t.Errorf("%d POSTs, want 1", posts)
		}
	})
	t.Run("a token the server refuses", func(t *testing.T) {
		f := newFixture(t)
		token, c := f.srv.Token, f.client(t)
		f.srv.Token = "another-token" // revoked
		_, err := c.Publish(context.Background(), f.publication(t))
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "HTTP 401: GET /api/v1/accounts/verify_credentials: The access token is invalid") {
			t.Errorf("Publish: %v, want the 401's message", err)
		}
		if strings.Contains(err.Error(), token) {
			t.Errorf("error %q holds the token", err)
		}
	})
	t.Run("not configured", func(t *testing.T) {
		_, err := mastodon.New(&load.Account{Key: "mastodon", Network: "mastodon", Server: "https://piaille.fr"},
			mastodon.Options{Getenv: func(string) (string, bool) { return "", false }})
		if networks.KindOf(err) != networks.NotConfigured || !strings.Contains(err.Error(), "not configured: set HERALD_MASTODON_TOKEN") {
			t.Errorf("New: %v, want not configured: set HERALD_MASTODON_TOKEN", err)
		}
	})
	t.Run("a server in clear text", func(t *testing.T) {
		_, err := mastodon.New(&load.Account{Key: "m", Network: "mastodon", Server: "http://piaille.fr"},
			mastodon.Options{Getenv: func(string) (string, bool) { return "x", true }})
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "use https") {
			t.Errorf("New: %v", err)
		}
	})
	t.Run("a medium that is never processed", func(t *testing.T) {
		f := newFixture(t)
		f.budget = 5 * time.Second
		f.srv.ProcessingPolls = 100
		_, err := f.client(t).Publish(context.Background(), f.publication(t))
		if networks.KindOf(err) != networks.Transient || !strings.Contains(err.Error(), "media/avent-1.png: the server is still processing it") {
			t.Errorf("Publish: %v", err)
		}
		if len(f.srv.Statuses()) != 0 {
			t.Errorf("a status was posted")
		}
	})
}
