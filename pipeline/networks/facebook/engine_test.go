package facebook_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/facebook"
	"github.com/herald-social/herald/pipeline/networks/facebook/facebooktest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
)

// crash is what the Hook of a run panics with to stop it at a step, as a
// killed process stops: nothing after it runs.
type crash struct{ step string }

// runEngine runs herald publish in the checkout dir at 10:00 on the
// post's day, with the wall clock later by later, and stops it at the
// step kill ("" runs it to its end). It reports whether the run was
// stopped.
func runEngine(t *testing.T, dir string, srv *facebooktest.Server, later time.Duration, kill string) (rep *publish.Report, stopped bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(crash); !ok {
				panic(r)
			}
			stopped = true
		}
	}()
	getenv := func(k string) string {
		if k == "HERALD_FB_TOKEN" {
			return srv.Token
		}
		return ""
	}
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: dir, NowText: "2026-12-01 10:00", Getenv: getenv,
		Wall: func() time.Time { return time.Now().Add(later) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return facebook.New(a, facebook.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.Options{
				Rand: func() float64 { return 0.5 }, BaseDelay: time.Millisecond,
				HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}})
		},
		Hook: func(step string) {
			if step == kill {
				panic(crash{step})
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep, false
}

// TestEngineCrashBeforeResults: a run stopped after it posted and before
// it journaled the post leaves an intent; the next run, after the lease,
// finds the post by Lookup among the Page's posts and journals it
// published without posting again: one post on the Page, with its photo
// and alt text.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := facebooktest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  fb: {network: facebook, page: \"" + srv.Page + "\", api: \"" + srv.API() + "\"}\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n"
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, map[string]string{
		"charter.yaml": charter,
		"posts/avent-1.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [fb]\ntags: [produit]\n" +
			"media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n---\nJour 1 : la première case.\n",
		"media/avent.png": channeltest.PNG + "image data",
	})
	gittest.Git(t, seed, "add", "-A")
	gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
	gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
	dir := filepath.Join(t.TempDir(), "ci")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)

	if _, stopped := runEngine(t, dir, srv, 0, "results"); !stopped {
		t.Fatal("the first run was not stopped before its results")
	}
	if n := len(srv.Posts()); n != 1 {
		t.Fatalf("the stopped run posted %d, want 1", n)
	}
	before := len(srv.Requests())
	rep, stopped := runEngine(t, dir, srv, publish.DefaultLease+time.Minute, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep.Outcomes)
	}
	var second []string
	for _, r := range srv.Requests()[before:] {
		second = append(second, r.Endpoint)
	}
	if !slices.Equal(second, []string{"posts"}) {
		t.Errorf("the run after the lease called %v, want only the Lookup of the Page's posts", second)
	}

	posts := srv.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts on the Page, want 1", len(posts))
	}
	photo, _ := srv.Photo(posts[0].Photos[0])
	if posts[0].Message != "Jour 1 : la première case." || photo.Alt != "Une boîte ouverte" {
		t.Errorf("post %q with a photo described %q", posts[0].Message, photo.Alt)
	}
	name := "state/posts/avent-1.json"
	data := gittest.Git(t, bare, "show", "main:"+name)
	if strings.Contains(data, srv.Token) {
		t.Errorf("the journal holds the token:\n%s", data)
	}
	file, err := state.Decode(name, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	a := file.Accounts["fb"]
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{posts[0].ID}) {
		t.Fatalf("journal %+v, want published with the post's id %s", a, posts[0].ID)
	}
	// A third run has nothing to publish.
	before = len(srv.Requests())
	if rep, _ := runEngine(t, dir, srv, publish.DefaultLease+2*time.Minute, ""); rep.Failed() || len(srv.Requests()) != before {
		t.Errorf("a third run sent %d requests", len(srv.Requests())-before)
	}
}
