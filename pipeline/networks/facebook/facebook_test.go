package facebook_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/facebook"
	"github.com/herald-social/herald/pipeline/networks/facebook/facebooktest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/state"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

const post = `---
date: 2026-12-01T09:00:00+01:00
networks: [facebook]
tags: [produit]
---
Le calendrier de l'Avent commence : une case par jour jusqu'à Noël. https://maison-exemple.fr/avent
`

type fixture struct {
	srv     *facebooktest.Server
	clk     *fakeclock.Clock
	root    string
	account *load.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := fakeclock.New(nine.Add(2 * time.Minute))
	srv := facebooktest.New(t)
	srv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{
		"posts/avent-1.md":  post,
		"media/avent-1.png": channeltest.PNG + "image data",
		"media/avent-2.png": channeltest.PNG + "second image",
	})
	return &fixture{srv: srv, clk: clk, root: root,
		account: &load.Account{Key: "facebook", Network: "facebook", Page: srv.Page, API: srv.API()}}
}

// client is a new run's client of the fixture's account.
func (f *fixture) client(t *testing.T) *facebook.Client {
	t.Helper()
	c, err := facebook.New(f.account, facebook.Options{
		Getenv: func(k string) (string, bool) {
			if k == "HERALD_FACEBOOK_TOKEN" {
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

func (f *fixture) noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), f.srv.Token) {
		t.Errorf("error %q holds the token", err)
	}
}

func TestNew(t *testing.T) {
	a := &load.Account{Key: "page", Network: "facebook", Page: "1234"}
	_, err := facebook.New(a, facebook.Options{Getenv: func(string) (string, bool) { return "", false }})
	if ne, ok := errors.AsType[*networks.Error](err); !ok || ne.Kind != networks.NotConfigured || ne.Env != "HERALD_PAGE_TOKEN" || ne.Help == "" {
		t.Errorf("New without a token: %v, want not configured naming HERALD_PAGE_TOKEN, with help", err)
	}
	set := func(string) (string, bool) { return "EAAG1", true }
	for _, bad := range []*load.Account{
		{Key: "a", Network: "facebook"},
		{Key: "a", Network: "facebook", Page: "1234/feed"},
		{Key: "a", Network: "facebook", Page: "1234", API: "http://graph.example/v24.0"},
	} {
		if _, err := facebook.New(bad, facebook.Options{Getenv: set}); networks.KindOf(err) != networks.Permanent {
			t.Errorf("New(%+v) = %v, want a permanent error", bad, err)
		}
	}
}

func TestPublishText(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	want := networks.Result{IDs: []string{posts[0].ID}, URLs: []string{"https://www.facebook.com/" + posts[0].ID}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if posts[0].Message != p.Parts[0].Text || len(posts[0].Photos) != 0 {
		t.Errorf("post %+v, want the message %q without photos", posts[0], p.Parts[0].Text)
	}
	reqs := f.srv.Requests()
	if diff := cmp.Diff(map[string]string{"message": p.Parts[0].Text}, reqs[0].Params); diff != "" {
		t.Errorf("POST /feed parameters (-want +got):\n%s", diff)
	}
	if got := reqs[0].Header.Get("Authorization"); got != "Bearer "+f.srv.Token {
		t.Errorf("Authorization %q", got)
	}
}

func TestPublishPhotos(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	p.Files = os.DirFS(f.root)
	p.Parts[0].Media = []networks.Medium{
		{Path: "media/avent-1.png", Alt: "Une boîte de l'Avent ouverte", MIME: "image/png"},
		{Path: "media/avent-2.png", Alt: "Le sapin de l'atelier", MIME: "image/png"},
	}
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"photos", "photos", "feed"}, f.srv.Endpoints()); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}
	posts := f.srv.Posts()
	if len(posts) != 1 || len(posts[0].Photos) != 2 {
		t.Fatalf("posts %+v, want one with two photos", posts)
	}
	var got []string
	for _, id := range posts[0].Photos {
		ph, _ := f.srv.Photo(id)
		if ph.Published {
			t.Errorf("photo %s was uploaded published: it would show as a post of its own", id)
		}
		got = append(got, ph.Filename+" "+ph.ContentType+" ("+ph.Alt+"): "+strings.TrimPrefix(string(ph.Data), channeltest.PNG))
	}
	want := []string{"avent-1.png image/png (Une boîte de l'Avent ouverte): image data", "avent-2.png image/png (Le sapin de l'atelier): second image"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("photos (-want +got):\n%s", diff)
	}
	if posts[0].Message != p.Parts[0].Text {
		t.Errorf("message %q, want %q", posts[0].Message, p.Parts[0].Text)
	}
}

// TestPublishRefusesThreadsPollsAndMixedVideo: a thread, a poll, and a
// video beside an image are refused before any call.
func TestPublishRefusesThreadsPollsAndMixedVideo(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	thread := f.publication(t)
	thread.Parts = append(thread.Parts, networks.Part{Text: "Suite."})
	poll := f.publication(t)
	poll.Poll = &networks.Poll{Options: []string{"Oui", "Non"}}
	video := f.publication(t)
	video.Files = os.DirFS(f.root)
	video.Parts[0].Media = []networks.Medium{{Path: "media/avent-1.png", MIME: "image/png"}, {Path: "media/avent-2.png", MIME: "video/mp4"}}
	for name, p := range map[string]networks.Publication{"thread": thread, "poll": poll, "video and image": video} {
		if _, err := c.Publish(context.Background(), p); networks.KindOf(err) != networks.Permanent {
			t.Errorf("%s: %v, want a permanent error", name, err)
		}
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for publications Facebook cannot take", n)
	}
}

func TestLookupAfterCrash(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	f.srv.AddPost(facebooktest.Post{Message: "Un autre post.", Created: nine.Add(-time.Minute)})
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.AddPost(facebooktest.Post{Message: "Plus récent.", Created: nine.Add(5 * time.Minute)})
	// A new run's client: the engine asks Lookup before publishing again.
	c := f.client(t)
	got, found, err := c.Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, want the post", found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Lookup (-want +got):\n%s", diff)
	}
	if n := len(f.srv.Posts()); n != 3 {
		t.Errorf("%d posts on the Page, want 3: nothing posted again", n)
	}
	last := f.srv.Requests()[len(f.srv.Requests())-1]
	if last.Endpoint != "posts" || last.Params["fields"] != "id,message,created_time" || last.Params["since"] == "" {
		t.Errorf("Lookup read %s with %v, want posts with fields id,message,created_time since the post's date", last.Endpoint, last.Params)
	}

	other := p
	other.Parts = []networks.Part{{Text: "Pas encore publié."}}
	if _, found, err := c.Lookup(context.Background(), other); err != nil || found {
		t.Errorf("Lookup of a post never published = %v, %v, want not found", found, err)
	}
}

func TestLookupPages(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	f.srv.AddPost(facebooktest.Post{Message: p.Parts[0].Text, Created: nine.Add(time.Minute)})
	for range 60 {
		f.srv.AddPost(facebooktest.Post{Message: "Plus tard.", Created: nine.Add(10 * time.Minute)})
	}
	_, found, err := f.client(t).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, want the post on the second page", found, err)
	}
	if diff := cmp.Diff([]string{"posts", "posts"}, f.srv.Endpoints()); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}
}

func TestStatsTwice(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	res, err := c.Publish(context.Background(), f.publication(t))
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[0]
	gone := f.srv.Page + "_1"
	first, err := c.Stats(context.Background(), []string{id, gone})
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Engage(id, 12, 3, 2)
	f.srv.View(id, 340)
	second, err := c.Stats(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	n := state.Count
	want := [][]state.Counts{
		{{Likes: n(0), Reposts: n(0), Replies: n(0), Views: n(0)}, {}},
		{{Likes: n(12), Reposts: n(2), Replies: n(3), Views: n(340)}},
	}
	if diff := cmp.Diff(want, [][]state.Counts{first, second}); diff != "" {
		t.Errorf("two samples (-want +got):\n%s", diff)
	}
	followers, err := c.Followers(context.Background())
	if err != nil || followers != f.srv.Followers {
		t.Errorf("Followers = %d, %v, want %d", followers, err, f.srv.Followers)
	}
}

func TestRateLimitRetried(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("feed", facebooktest.RateLimit(f.srv.Page, 1))
	res, err := f.client(t).Publish(context.Background(), f.publication(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.IDs) != 1 || len(f.srv.Posts()) != 1 {
		t.Errorf("result %+v, posts %d, want one post", res, len(f.srv.Posts()))
	}
	if diff := cmp.Diff([]time.Duration{time.Minute}, f.clk.Slept()); diff != "" {
		t.Errorf("waits (-want +got): the wait is X-Business-Use-Case-Usage's estimated_time_to_regain_access\n%s", diff)
	}
}

func TestRateLimitBeyondBudget(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("feed", facebooktest.RateLimit(f.srv.Page, 30))
	_, err := f.client(t).Publish(context.Background(), f.publication(t))
	e, ok := errors.AsType[*networks.Error](err)
	if !ok || e.Kind != networks.RateLimited || e.RetryAfter != 30*time.Minute {
		t.Fatalf("Publish = %v, want rate limited, retry after 30m", err)
	}
	if !strings.Contains(err.Error(), "too many calls to this Page") {
		t.Errorf("error %q does not say what Facebook said", err)
	}
	if len(f.clk.Slept()) != 0 || len(f.srv.Posts()) != 0 {
		t.Errorf("waited %v, posted %d: a wait past the budget is not made", f.clk.Slept(), len(f.srv.Posts()))
	}
}

func TestTransientRetried(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("posts", facebooktest.GraphError(http.StatusInternalServerError, 2, 0, "OAuthException", "Service temporarily unavailable", nil))
	if _, found, err := f.client(t).Lookup(context.Background(), f.publication(t)); err != nil || found {
		t.Errorf("Lookup = %v, %v, want not found after a retry", found, err)
	}
	if n := len(f.srv.Requests()); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestExpiredToken(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("feed", facebooktest.GraphError(http.StatusBadRequest, 190, 463, "OAuthException",
		"Error validating access token: Session has expired on Tuesday, 01-Dec-26 08:00:00 PST.", nil))
	_, err := f.client(t).Publish(context.Background(), f.publication(t))
	f.noSecret(t, err)
	e, ok := errors.AsType[*networks.Error](err)
	if !ok || e.Kind != networks.Permanent || !networks.RejectedCredential(err) {
		t.Fatalf("Publish = %v, want a permanent refusal of the credential", err)
	}
	for _, want := range []string{"Session has expired", "make a new Page token", "HERALD_FACEBOOK_TOKEN"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestWrongToken(t *testing.T) {
	f := newFixture(t)
	f.srv.Token = "EAAGanotherTOKEN999"
	c := f.client(t)
	f.srv.Token = "EAAGtheRIGHTtoken42"
	_, err := c.Publish(context.Background(), f.publication(t))
	if strings.Contains(err.Error(), "EAAGanotherTOKEN999") {
		t.Errorf("error %q holds the token", err)
	}
	if !networks.RejectedCredential(err) || !strings.Contains(err.Error(), "Invalid OAuth access token") {
		t.Errorf("Publish = %v, want the refusal Facebook answers", err)
	}
	v := c.Verify(context.Background(), nine)
	if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "make a new Page token") || strings.Contains(v.Message, "EAAGanotherTOKEN999") {
		t.Errorf("Verify = %+v, want rejected, saying to make a new Page token", v)
	}
}

func TestVerify(t *testing.T) {
	f := newFixture(t)
	v := f.client(t).Verify(context.Background(), nine)
	if v.Verdict != networks.Verified || !strings.Contains(v.Message, "Maison Exemple") {
		t.Errorf("Verify = %+v, want verified naming the Page", v)
	}
	if diff := cmp.Diff([]string{"me"}, f.srv.Endpoints()); diff != "" {
		t.Errorf("endpoints (-want +got):\n%s", diff)
	}

	f.account.Page = "999"
	f.srv.Page = "999"
	f.srv.Queue("me", facebooktest.Reply{Body: `{"id":"555","name":"Jeanne Martin"}`})
	v = f.client(t).Verify(context.Background(), nine)
	if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "Jeanne Martin") || !strings.Contains(v.Message, "Page access token of Page 999") {
		t.Errorf("Verify with a user token = %+v, want rejected, saying to use a Page token", v)
	}
}
