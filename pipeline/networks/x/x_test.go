package x_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/x"
	"github.com/herald-social/herald/pipeline/networks/x/xtest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

// setup starts a server and returns it with a function making clients
// of account x on it; env overrides the server's credentials.
func setup(t *testing.T) (*xtest.Server, *fakeclock.Clock, func(a *load.Account, env map[string]string) *x.Client) {
	t.Helper()
	srv := xtest.New(t)
	clk := fakeclock.New(nine.Add(time.Minute))
	srv.Now = clk.Now
	return srv, clk, func(a *load.Account, override map[string]string) *x.Client {
		t.Helper()
		if a == nil {
			a = &load.Account{Key: "x", Network: "x"}
		}
		a.API = srv.API()
		env := srv.Env("X")
		for k, v := range override {
			env[k] = v
		}
		c, err := x.New(a, x.Options{
			Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
			HTTP:   httpx.Options{Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 }, BaseDelay: time.Second},
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
}

func publication(texts ...string) networks.Publication {
	p := networks.Publication{PostID: "posts/avent-1", Account: "x", IdempotencyKey: "key-1", Digest: "sha256:ab",
		When: nine, At: nine.Add(time.Minute), Files: fstest.MapFS{}}
	for _, t := range texts {
		p.Parts = append(p.Parts, networks.Part{Text: t})
	}
	return p
}

func TestPublishText(t *testing.T) {
	srv, _, client := setup(t)
	res, err := client(nil, nil).Publish(context.Background(), publication("Jour 1 du calendrier de l'Avent & ses <surprises>."))
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].Text != "Jour 1 du calendrier de l'Avent & ses <surprises>." || posts[0].InReplyTo != "" {
		t.Fatalf("posts %+v", posts)
	}
	want := networks.Result{IDs: []string{posts[0].ID}, URLs: []string{"https://x.com/i/web/status/" + posts[0].ID}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	// No user_id in the charter: the token's user, then its recent posts
	// (a run that stopped halfway), then the post.
	if diff := cmp.Diff([]string{"GET /2/users/me", "GET /2/users/{id}/tweets", "POST /2/tweets"}, srv.Routes()); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}

func TestPublishThread(t *testing.T) {
	srv, _, client := setup(t)
	c := client(&load.Account{Key: "x", Network: "x", UserID: srv.UserID}, nil)
	res, err := c.Publish(context.Background(), publication("Un fil en trois.", "Deuxième.", "Troisième."))
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 3 || len(res.IDs) != 3 {
		t.Fatalf("posts %+v, result %+v", posts, res)
	}
	for i, p := range posts {
		if p.ID != res.IDs[i] {
			t.Errorf("part %d: id %s, result %s", i+1, p.ID, res.IDs[i])
		}
		if i > 0 && (p.InReplyTo != posts[i-1].ID || p.ConversationID != posts[0].ID) {
			t.Errorf("part %d replies to %q in conversation %q, want %s in %s", i+1, p.InReplyTo, p.ConversationID, posts[i-1].ID, posts[0].ID)
		}
	}
	if srv.Routes()[0] != "GET /2/users/{id}/tweets" {
		t.Errorf("with user_id set, the first call is %s", srv.Routes()[0])
	}
}

const png = "\x89PNG\r\n\x1a\n image data"

func TestPublishImageWithAlt(t *testing.T) {
	srv, _, client := setup(t)
	p := publication("Une image.")
	p.Files = fstest.MapFS{"media/avent.png": {Data: []byte(png)}}
	p.Parts[0].Media = []networks.Medium{{Path: "media/avent.png", Alt: "Une boîte ouverte", MIME: "image/png"}}
	if _, err := client(nil, nil).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || len(posts[0].MediaIDs) != 1 {
		t.Fatalf("posts %+v", posts)
	}
	m, _ := srv.Medium(posts[0].MediaIDs[0])
	got := xtest.Medium{ID: m.ID, Category: m.Category, Type: m.Type, Alt: m.Alt, Data: m.Data}
	want := xtest.Medium{ID: posts[0].MediaIDs[0], Category: "tweet_image", Type: "image/png", Alt: "Une boîte ouverte", Data: []byte(png)}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(xtest.Medium{})); diff != "" {
		t.Errorf("medium (-want +got):\n%s", diff)
	}
}

func TestPublishVideoInChunks(t *testing.T) {
	srv, clk, client := setup(t)
	srv.ProcessingPolls = 1
	video := strings.Repeat("v", 4<<20+10) // two segments
	p := publication("Une vidéo.")
	p.Files = fstest.MapFS{"media/avent.mp4": {Data: []byte(video)}}
	p.Parts[0].Media = []networks.Medium{{Path: "media/avent.mp4", Alt: "Un atelier", MIME: "video/mp4"}}
	if _, err := client(nil, nil).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || len(posts[0].MediaIDs) != 1 {
		t.Fatalf("posts %+v", posts)
	}
	m, _ := srv.Medium(posts[0].MediaIDs[0])
	if string(m.Data) != video || m.Category != "tweet_video" || m.Type != "video/mp4" || m.Alt != "Un atelier" || !m.Finalized {
		t.Errorf("medium %s: %d bytes, category %s, type %s, alt %q, finalized %v", m.ID, len(m.Data), m.Category, m.Type, m.Alt, m.Finalized)
	}
	want := []string{"GET /2/users/me", "GET /2/users/{id}/tweets", "POST /2/media/upload/initialize",
		"POST /2/media/upload/{id}/append", "POST /2/media/upload/{id}/append", "POST /2/media/upload/{id}/finalize",
		"GET /2/media/upload", "GET /2/media/upload", "POST /2/media/metadata", "POST /2/tweets"}
	if diff := cmp.Diff(want, srv.Routes()); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	if len(clk.Slept()) != 2 {
		t.Errorf("waited %v while X processed the video, want two waits", clk.Slept())
	}
}

func TestPublishPoll(t *testing.T) {
	srv, _, client := setup(t)
	p := publication("Votre calendrier préféré ?")
	p.Poll = &networks.Poll{Options: []string{"Chocolat", "Thé", "Bijoux"}, ExpiresIn: 24 * time.Hour}
	if _, err := client(nil, nil).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].Poll == nil {
		t.Fatalf("posts %+v", posts)
	}
	if diff := cmp.Diff(&xtest.Poll{Options: []string{"Chocolat", "Thé", "Bijoux"}, DurationMinutes: 1440}, posts[0].Poll); diff != "" {
		t.Errorf("poll (-want +got):\n%s", diff)
	}
}

func TestPollOutsideXLimits(t *testing.T) {
	for name, poll := range map[string]networks.Poll{
		"five options":     {Options: []string{"a", "b", "c", "d", "e"}, ExpiresIn: time.Hour},
		"option too long":  {Options: []string{"a", strings.Repeat("é", 26)}, ExpiresIn: time.Hour},
		"too short":        {Options: []string{"a", "b"}, ExpiresIn: 4 * time.Minute},
		"longer than week": {Options: []string{"a", "b"}, ExpiresIn: 8 * 24 * time.Hour},
		"multiple":         {Options: []string{"a", "b"}, ExpiresIn: time.Hour, Multiple: true},
		"with media":       {Options: []string{"a", "b"}, ExpiresIn: time.Hour},
	} {
		t.Run(name, func(t *testing.T) {
			srv, _, client := setup(t)
			p := publication("Un sondage.")
			p.Poll = &poll
			if name == "with media" {
				p.Files = fstest.MapFS{"a.png": {Data: []byte(png)}}
				p.Parts[0].Media = []networks.Medium{{Path: "a.png", MIME: "image/png"}}
			}
			_, err := client(nil, nil).Publish(context.Background(), p)
			if networks.KindOf(err) != networks.Permanent || len(srv.Requests()) != 0 {
				t.Errorf("err %v (%s), %d requests; want a Permanent error before any request", err, networks.KindOf(err), len(srv.Requests()))
			}
		})
	}
}

func TestLookupAfterCrash(t *testing.T) {
	srv, _, client := setup(t)
	// X gives links as t.co links: Lookup reads them back from entities.
	p := publication("Jour 2 : un fil, https://maison-exemple.fr/avent?j=2 & plus.", "La suite.")
	srv.AddPost(xtest.Post{Text: "Un autre post, plus ancien.", CreatedAt: nine.Add(-48 * time.Hour)})
	first, err := client(nil, nil).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddPost(xtest.Post{Text: "La suite.", CreatedAt: nine.Add(2 * time.Minute)}) // same text, not in the thread
	// A new client, as after a crash.
	c := client(nil, nil)
	res, found, err := c.Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup: found %v, err %v", found, err)
	}
	if diff := cmp.Diff(first, res); diff != "" {
		t.Errorf("Lookup (-published +found):\n%s", diff)
	}
	before := len(srv.Posts())
	again, err := c.Publish(context.Background(), p)
	if err != nil || len(srv.Posts()) != before {
		t.Fatalf("publishing again: err %v, %d posts made", err, len(srv.Posts())-before)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("publishing again (-first +again):\n%s", diff)
	}
	// Another text is not found.
	if _, found, err := c.Lookup(context.Background(), publication("Jour 3.")); found || err != nil {
		t.Errorf("Lookup of a post never made: found %v, err %v", found, err)
	}
}

func TestPublishFinishesHalfThread(t *testing.T) {
	srv, _, client := setup(t)
	root := srv.AddPost(xtest.Post{Text: "Premier.", CreatedAt: nine.Add(time.Minute)})
	p := publication("Premier.", "Second.")
	if _, found, err := client(nil, nil).Lookup(context.Background(), p); found || err != nil {
		t.Fatalf("a half thread: found %v, err %v", found, err)
	}
	res, err := client(nil, nil).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	posts := srv.Posts()
	if len(posts) != 2 || res.IDs[0] != root || posts[1].InReplyTo != root || res.IDs[1] != posts[1].ID {
		t.Errorf("posts %+v, result %+v", posts, res)
	}
}

func TestDuplicateContent(t *testing.T) {
	srv, _, client := setup(t)
	earlier := srv.AddPost(xtest.Post{Text: "Bonne année !", CreatedAt: nine.Add(-72 * time.Hour)})
	_, err := client(nil, nil).Publish(context.Background(), publication("Bonne année !"))
	if networks.KindOf(err) != networks.Permanent {
		t.Fatalf("err %v (%s), want Permanent", err, networks.KindOf(err))
	}
	for _, want := range []string{"duplicate content", "post " + earlier, "https://x.com/i/web/status/" + earlier} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestRateLimitRetried(t *testing.T) {
	srv, clk, client := setup(t)
	srv.Queue("POST /2/tweets", srv.RateLimited(30*time.Second))
	if _, err := client(nil, nil).Publish(context.Background(), publication("Après l'attente.")); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]time.Duration{30 * time.Second}, clk.Slept()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if len(srv.Posts()) != 1 {
		t.Errorf("%d posts", len(srv.Posts()))
	}
}

func TestRateLimitPastBudget(t *testing.T) {
	srv, _, client := setup(t)
	srv.Queue("GET /2/tweets", srv.RateLimited(15*time.Minute))
	_, err := client(&load.Account{Key: "x", Network: "x", UserID: srv.UserID}, nil).Stats(context.Background(), []string{"1860000000000001000"})
	e, ok := err.(*networks.Error)
	if !ok || e.Kind != networks.RateLimited || e.RetryAfter != 15*time.Minute {
		t.Errorf("err %v, want RateLimited with RetryAfter 15m", err)
	}
}

func TestServerErrorOnAReadRetried(t *testing.T) {
	srv, _, client := setup(t)
	srv.Queue("GET /2/users/me", xtest.Reply{Status: 503, Body: `{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}`})
	n, err := client(nil, nil).Followers(context.Background())
	if err != nil || n != srv.Followers {
		t.Errorf("Followers: %d, %v; want %d", n, err, srv.Followers)
	}
}

func TestCredentialsRefused(t *testing.T) {
	srv, _, client := setup(t)
	stale := "370773112-revokedTOKENrevokedTOKENrevoked"
	c := client(nil, map[string]string{"HERALD_X_ACCESS_TOKEN": stale})
	_, err := c.Publish(context.Background(), publication("Refusé."))
	if networks.KindOf(err) != networks.Permanent || !networks.RejectedCredential(err) {
		t.Fatalf("err %v, want a Permanent 401", err)
	}
	msg := err.Error()
	for _, want := range []string{"HTTP 401", "Unauthorized", "X refused the OAuth 1.0a credentials", "HERALD_X_ACCESS_TOKEN", "HERALD_X_ACCESS_SECRET"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	for _, secret := range []string{stale, srv.ConsumerKey, srv.ConsumerSecret, srv.AccessSecret} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q holds a credential", msg)
		}
	}
	if len(srv.Posts()) != 0 {
		t.Error("a post was made")
	}
	v := c.Verify(context.Background(), nine)
	if v.Verdict != networks.Rejected || !strings.Contains(v.Message, "X refused the credentials") || strings.Contains(v.Message, stale) {
		t.Errorf("Verify: %+v", v)
	}
}

func TestVerify(t *testing.T) {
	srv, _, client := setup(t)
	v := client(nil, nil).Verify(context.Background(), nine)
	want := networks.Verification{Verdict: networks.Verified, Message: "X accepts the credentials of @maisonexemple (user id " + srv.UserID +
		"), followed by 1234; Herald finds an interrupted run's posts among the account's recent posts"}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("Verify (-want +got):\n%s", diff)
	}
	other := client(&load.Account{Key: "x", Network: "x", UserID: "42"}, nil).Verify(context.Background(), nine)
	if other.Verdict != networks.Rejected || !strings.Contains(other.Message, "user_id is 42") {
		t.Errorf("Verify with another user_id: %+v", other)
	}
	if diff := cmp.Diff([]string{"GET /2/users/me", "GET /2/users/me"}, srv.Routes()); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
}

func TestNotConfigured(t *testing.T) {
	a := &load.Account{Key: "marque-x", Network: "x"}
	_, err := x.Open(a, networks.Env{Getenv: func(k string) string {
		if k == "HERALD_MARQUE_X_API_KEY" {
			return "key"
		}
		return ""
	}})
	e, ok := err.(*networks.Error)
	if !ok || e.Kind != networks.NotConfigured || e.Env != "HERALD_MARQUE_X_API_SECRET" || e.Help == "" {
		t.Errorf("err %v, want NotConfigured naming HERALD_MARQUE_X_API_SECRET", err)
	}
}
