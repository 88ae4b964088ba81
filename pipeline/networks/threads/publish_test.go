package threads_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/threads"
	"github.com/herald-social/herald/pipeline/networks/threads/threadstest"
)

// nine is the posts' date; the server dates its posts at ten.
var nine = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const mediaURL = "https://cdn.example.com/maison/"

// fixture is a server and what makes clients of it.
type fixture struct {
	srv *threadstest.Server
	mu  sync.Mutex
	// slept are the waits clients asked for, in order.
	slept []time.Duration
}

func newFixture(t *testing.T) *fixture {
	srv := threadstest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	return &fixture{srv: srv}
}

func (f *fixture) account() *load.Account {
	return &load.Account{Key: "maison", Network: "threads", User: f.srv.User, API: f.srv.API()}
}

// client is a client of the server's profile whose waits are recorded,
// not slept, with a budget of ten minutes.
func (f *fixture) client(t *testing.T) *threads.Client {
	t.Helper()
	c, err := threads.New(f.account(), threads.Options{
		Getenv: func(k string) (string, bool) {
			if k == "HERALD_MAISON_TOKEN" {
				return f.srv.Token, true
			}
			return "", false
		},
		MediaURL:   mediaURL,
		StatusPoll: 5 * time.Second,
		HTTP: httpx.Options{Budget: 10 * time.Minute, BaseDelay: time.Millisecond, Rand: func() float64 { return 0.5 },
			Now: func() time.Time { return nine },
			Sleep: func(_ context.Context, d time.Duration) error {
				f.mu.Lock()
				defer f.mu.Unlock()
				f.slept = append(f.slept, d)
				return nil
			}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func publication(parts ...networks.Part) networks.Publication {
	return networks.Publication{PostID: "posts/2026/12/avent-1", Account: "maison", Parts: parts,
		IdempotencyKey: "k1", Digest: "sha256:00", When: nine, At: nine,
		Files: fstest.MapFS{"media/avent-1.jpg": {Data: []byte("jpeg")}, "media/avent.mp4": {Data: []byte("mp4")}}}
}

func TestPublishText(t *testing.T) {
	f := newFixture(t)
	text := "Le calendrier de l'Avent commence : une case par jour jusqu'à Noël. https://maison.example/avent"
	res, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: text}))
	if err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 1 || posts[0].Text != text || posts[0].MediaType != "TEXT_POST" || posts[0].ReplyTo != "" {
		t.Fatalf("posts %+v, want one text post", posts)
	}
	want := networks.Result{IDs: []string{posts[0].ID}, URLs: []string{"https://www.threads.com/@maison.exemple/post/" + posts[0].ID}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	calls := []string{"GET threads", "GET publishing_limit", "POST create", "GET status", "POST publish", "GET media"}
	if diff := cmp.Diff(calls, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	reqs := f.srv.Requests()
	if got := reqs[0].Params; got.Get("since") != strconv.FormatInt(nine.Add(-time.Hour).Unix(), 10) || got.Get("fields") != "id,text,timestamp,permalink,username" || got.Get("limit") != "100" {
		t.Errorf("the threads list asked %v, want since an hour before the post's date", got)
	}
	if got := reqs[1].Params.Get("fields"); got != "quota_usage,config" {
		t.Errorf("threads_publishing_limit fields %q", got)
	}
	if got := reqs[2].Params; got.Get("media_type") != "TEXT" || got.Get("text") != text || len(got) != 2 {
		t.Errorf("container %v, want media_type TEXT and the text", got)
	}
	if got := reqs[4].Params.Get("creation_id"); got != reqs[3].Path[1:] {
		t.Errorf("published container %q, the status read was of %s", got, reqs[3].Path)
	}
}

func TestPublishThread(t *testing.T) {
	f := newFixture(t)
	texts := []string{"Jour 1 : la boîte.", "Une case par jour.", "Rendez-vous demain à 9 h."}
	p := publication(networks.Part{Text: texts[0]}, networks.Part{Text: texts[1]}, networks.Part{Text: texts[2]})
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 3 {
		t.Fatalf("%d posts, want 3", len(posts))
	}
	for i, post := range posts {
		replyTo := ""
		if i > 0 {
			replyTo = posts[i-1].ID
		}
		if post.Text != texts[i] || post.ReplyTo != replyTo || res.IDs[i] != post.ID {
			t.Errorf("part %d: %+v (Result id %s), want %q replying to %q", i+1, post, res.IDs[i], texts[i], replyTo)
		}
	}
	if len(res.URLs) != 3 {
		t.Errorf("URLs %v, want one per post", res.URLs)
	}
}

func TestPublishMedia(t *testing.T) {
	f := newFixture(t)
	img := networks.Medium{Path: "media/avent-1.jpg", Alt: "Une boîte de l'Avent ouverte", MIME: "image/jpeg"}
	vid := networks.Medium{Path: "media/avent.mp4", Alt: "La boîte s'ouvre", MIME: "video/mp4"}
	p := publication(networks.Part{Text: "Jour 1.", Media: []networks.Medium{img}}, networks.Part{Text: "En images.", Media: []networks.Medium{img, vid}},
		networks.Part{Media: []networks.Medium{vid}})
	if _, err := f.client(t).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	want := []threadstest.Post{
		{ID: posts[0].ID, Text: "Jour 1.", MediaType: "IMAGE", Username: "maison.exemple", Timestamp: posts[0].Timestamp,
			Media: []threadstest.Medium{{Type: "IMAGE", URL: "https://cdn.example.com/maison/media/avent-1.jpg", AltText: img.Alt}}},
		{ID: posts[1].ID, Text: "En images.", MediaType: "CAROUSEL_ALBUM", ReplyTo: posts[0].ID, Username: "maison.exemple", Timestamp: posts[1].Timestamp,
			Media: []threadstest.Medium{{Type: "IMAGE", URL: "https://cdn.example.com/maison/media/avent-1.jpg", AltText: img.Alt},
				{Type: "VIDEO", URL: "https://cdn.example.com/maison/media/avent.mp4", AltText: vid.Alt}}},
		{ID: posts[2].ID, MediaType: "VIDEO", ReplyTo: posts[1].ID, Username: "maison.exemple", Timestamp: posts[2].Timestamp,
			Media: []threadstest.Medium{{Type: "VIDEO", URL: "https://cdn.example.com/maison/media/avent.mp4", AltText: vid.Alt}}},
	}
	if diff := cmp.Diff(want, posts); diff != "" {
		t.Errorf("posts (-want +got):\n%s", diff)
	}
}

func TestPublishMediaNeedsMediaURL(t *testing.T) {
	f := newFixture(t)
	c, err := threads.New(f.account(), threads.Options{Getenv: func(string) (string, bool) { return f.srv.Token, true }})
	if err != nil {
		t.Fatal(err)
	}
	p := publication(networks.Part{Text: "Jour 1.", Media: []networks.Medium{{Path: "media/avent-1.jpg", MIME: "image/jpeg"}}})
	_, err = c.Publish(context.Background(), p)
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "media_url") {
		t.Errorf("Publish without media_url: %v, want a Permanent error naming media_url", err)
	}
	if n := len(f.srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestPublishWaitsForContainer: a container still IN_PROGRESS is read
// again after StatusPoll, and published once FINISHED.
func TestPublishWaitsForContainer(t *testing.T) {
	f := newFixture(t)
	f.srv.Pending = 2
	if _, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: "Jour 1."})); err != nil {
		t.Fatal(err)
	}
	calls := []string{"GET threads", "GET publishing_limit", "POST create", "GET status", "GET status", "GET status", "POST publish", "GET media"}
	if diff := cmp.Diff(calls, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]time.Duration{5 * time.Second, 5 * time.Second}, f.slept); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestPublishQuotaSpent(t *testing.T) {
	f := newFixture(t)
	f.srv.QuotaUsage = 250
	_, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: "Jour 1."}))
	if networks.KindOf(err) != networks.RateLimited || !strings.Contains(err.Error(), "250 of 250") {
		t.Errorf("Publish with the quota spent: %v, want RateLimited saying 250 of 250", err)
	}
	if diff := cmp.Diff([]string{"GET threads", "GET publishing_limit"}, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestPublishRateLimited: Meta's code 4 with X-Business-Use-Case-Usage
// is waited out as the header says, then sent again.
func TestPublishRateLimited(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("create", threadstest.Reply{Status: http.StatusBadRequest,
		Header: map[string]string{"X-Business-Use-Case-Usage": `{"17841400000000001":[{"type":"threads","call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":2}]}`,
			"X-App-Usage": `{"call_count":100,"total_cputime":20,"total_time":30}`},
		Body: `{"error":{"message":"Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"Ax1"}}`})
	if _, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: "Jour 1."})); err != nil {
		t.Fatal(err)
	}
	if len(f.srv.Posts()) != 1 {
		t.Errorf("%d posts, want 1", len(f.srv.Posts()))
	}
	if diff := cmp.Diff([]time.Duration{2 * time.Minute}, f.slept); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// TestRateLimitBeyondBudget: a wait longer than the budget fails
// RateLimited, with the wait, and nothing is posted.
func TestRateLimitBeyondBudget(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("threads", threadstest.Reply{Status: http.StatusForbidden,
		Header: map[string]string{"X-Business-Use-Case-Usage": `{"1":[{"type":"threads","call_count":100,"estimated_time_to_regain_access":60}]}`},
		Body:   `{"error":{"message":"User request limit reached","type":"OAuthException","code":17,"fbtrace_id":"Ax2"}}`})
	_, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: "Jour 1."}))
	e, ok := err.(*networks.Error)
	if !ok || e.Kind != networks.RateLimited || e.RetryAfter != time.Hour {
		t.Errorf("Publish: %#v, want RateLimited after an hour", err)
	}
	if len(f.srv.Posts()) != 0 {
		t.Errorf("posted %d", len(f.srv.Posts()))
	}
}

func TestServerErrorRetried(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("threads", threadstest.Reply{Status: http.StatusInternalServerError,
		Body: `{"error":{"message":"An unexpected error has occurred. Please retry your request later.","type":"OAuthException","code":2,"is_transient":true}}`})
	if _, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: "Jour 1."})); err != nil {
		t.Fatal(err)
	}
	if len(f.srv.Posts()) != 1 {
		t.Errorf("%d posts, want 1", len(f.srv.Posts()))
	}
}

// TestTokenExpired: code 190 says the token expired and how to refresh
// or replace it, and never holds the token.
func TestTokenExpired(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized} {
		f := newFixture(t)
		f.srv.Queue("threads", threadstest.Reply{Status: status,
			Body: `{"error":{"message":"Error validating access token: Session has expired on Monday, 30-Nov-26 10:00:00 PST.","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"Ax3"}}`})
		_, err := f.client(t).Publish(context.Background(), publication(networks.Part{Text: "Jour 1."}))
		if networks.KindOf(err) != networks.Permanent {
			t.Fatalf("HTTP %d: %v, want Permanent", status, err)
		}
		msg := err.Error()
		for _, want := range []string{"Session has expired", "code 190", "refresh_access_token", "HERALD_MAISON_TOKEN"} {
			if !strings.Contains(msg, want) {
				t.Errorf("HTTP %d: %q does not say %q", status, msg, want)
			}
		}
		if strings.Contains(msg, f.srv.Token) {
			t.Errorf("the error holds the token: %s", msg)
		}
		if len(f.srv.Posts()) != 0 {
			t.Errorf("posted %d", len(f.srv.Posts()))
		}
	}
}

func TestOpenNotConfigured(t *testing.T) {
	a := &load.Account{Key: "maison", Network: "threads", User: "17841400000000001"}
	_, err := threads.Open(a, networks.Env{Getenv: func(string) string { return "" }})
	e, ok := err.(*networks.Error)
	if !ok || e.Kind != networks.NotConfigured || e.Env != "HERALD_MAISON_TOKEN" || !strings.Contains(e.Help, "threads_content_publish") {
		t.Errorf("Open without a token: %#v", err)
	}
	a.User = "@maison"
	_, err = threads.Open(a, networks.Env{Getenv: func(string) string { return "tok" }})
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "user") {
		t.Errorf("Open with a handle as user: %v", err)
	}
}
