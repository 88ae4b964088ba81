package linkedin_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/linkedin"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
)

// crash is what the Hook of a run panics with to stop it at a step, as a
// killed process stops: nothing after it runs.
type crash struct{ step string }

// runEngine runs herald publish in the checkout dir at 10:00 on the
// posts' day, with the wall clock later by later, and stops it at the
// step kill ("" runs it to its end). It reports whether it was stopped.
func runEngine(t *testing.T, dir string, srv *linkedintest.Server, later time.Duration, kill string) (rep *publish.Report, stopped bool) {
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
		if k == "HERALD_LINKEDIN_TOKEN" {
			return srv.Token
		}
		return ""
	}
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: dir, NowText: "2026-12-01 10:00", Getenv: getenv,
		Wall: func() time.Time { return time.Now().Add(later) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return linkedin.New(a, linkedin.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.Options{
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

// TestEngineCrashBeforeResults: a run stopped after it posted both posts
// and before it journaled them leaves intents; the next run, after the
// lease, finds both among the page's recent posts by their commentary
// (Lookup) and journals them published, posting nothing again.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := linkedintest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  linkedin: {network: linkedin, author: \"" + srv.Author + "\", version: \"" + srv.Version + "\", api: \"" + srv.API() + "\"}\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n"
	post := func(hour, text, media string) string {
		return "---\ndate: 2026-12-01T" + hour + ":00+01:00\nnetworks: [linkedin]\ntags: [produit]\n" + media + "---\n" + text + "\n"
	}
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, map[string]string{
		"charter.yaml":     charter,
		"posts/avent-1.md": post("09:00", "Jour 1 (enfin) : #Avent", ""),
		"posts/avent-2.md": post("09:30", "Jour 2.", "media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n"),
		"media/avent.png":  channeltest.PNG + "image data",
	})
	gittest.Git(t, seed, "add", "-A")
	gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
	gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
	dir := filepath.Join(t.TempDir(), "ci")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)

	if _, stopped := runEngine(t, dir, srv, 0, "results"); !stopped {
		t.Fatal("the first run was not stopped before its results")
	}
	posts := srv.Posts()
	if len(posts) != 2 {
		t.Fatalf("the stopped run made %d posts, want 2", len(posts))
	}
	rep, stopped := runEngine(t, dir, srv, publish.DefaultLease+time.Minute, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep.Outcomes)
	}
	if n := len(srv.Posts()); n != 2 {
		t.Fatalf("%d posts after the second run, want 2", n)
	}
	got := map[string][]string{}
	for _, id := range []string{"avent-1", "avent-2"} {
		name := "state/posts/" + id + ".json"
		file, err := state.Decode(name, []byte(gittest.Git(t, bare, "show", "main:"+name)))
		if err != nil {
			t.Fatal(err)
		}
		a := file.Accounts["linkedin"]
		if a == nil || a.Status != state.Published {
			t.Fatalf("%s: journal %+v, want published", id, a)
		}
		got[id] = a.IDs
	}
	want := map[string][]string{"avent-1": {posts[0].ID}, "avent-2": {posts[1].ID}}
	if posts[0].Text != "Jour 1 (enfin) : #Avent" || len(posts[1].Images) != 1 || posts[1].AltTexts[0] != "Une boîte ouverte" {
		t.Errorf("posts %+v", posts)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("journaled ids (-want +got):\n%s", diff)
	}
	if calls := srv.Calls(); slices.Index(calls, "posts.finder") < 0 {
		t.Errorf("the second run did not look the posts up: %v", calls)
	}
	// A third run has nothing to do.
	before := len(srv.Requests())
	if rep, _ := runEngine(t, dir, srv, publish.DefaultLease+2*time.Minute, ""); rep.Failed() || len(srv.Requests()) != before {
		t.Errorf("a third run sent %d requests", len(srv.Requests())-before)
	}
}
