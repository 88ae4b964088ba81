package x_test

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
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/x"
	"github.com/herald-social/herald/pipeline/networks/x/xtest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
)

// crash is what the Hook of a run panics with to stop it at a step, as a
// killed process stops: nothing after it runs.
type crash struct{ step string }

// runEngine runs herald publish in the checkout dir at 10:00 on the
// posts' day, with the wall clock later by later, and stops it at the
// step kill ("" runs it to its end). It reports whether the run was
// stopped.
func runEngine(t *testing.T, dir string, srv *xtest.Server, later time.Duration, kill string) (rep *publish.Report, stopped bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(crash); !ok {
				panic(r)
			}
			stopped = true
		}
	}()
	env := srv.Env("SOCIAL")
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: dir, NowText: "2026-12-01 10:00", Getenv: func(k string) string { return env[k] },
		Wall: func() time.Time { return time.Now().Add(later) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return x.New(a, x.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.Options{
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

// TestEngineCrashBeforeResults: a run stopped after it posted a thread
// and before it journaled it leaves an intent; the next run, after the
// lease, finds the thread among the account's recent posts (Lookup) and
// journals it published, posting nothing: one thread on X.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := xtest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) } // 10:00 in Paris
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  social: {network: x, api: \"" + srv.API() + "\"}\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n"
	post := "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [social]\ntags: [produit]\n---\n" +
		"Jour 1 du calendrier de l'Avent.\n\n---\n\nLa suite du fil.\n"
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, map[string]string{"charter.yaml": charter, "posts/avent-1.md": post})
	gittest.Git(t, seed, "add", "-A")
	gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
	gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
	dir := filepath.Join(t.TempDir(), "ci")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)

	if _, stopped := runEngine(t, dir, srv, 0, "results"); !stopped {
		t.Fatal("the first run was not stopped before its results")
	}
	posted := srv.Posts()
	if len(posted) == 0 {
		t.Fatal("the stopped run posted nothing")
	}
	rep, stopped := runEngine(t, dir, srv, publish.DefaultLease+time.Minute, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep.Outcomes)
	}
	if got := srv.Posts(); len(got) != len(posted) {
		t.Fatalf("%d posts on X after the second run, want the %d of the first", len(got), len(posted))
	}
	if n := strings.Count(strings.Join(srv.Routes(), "\n"), "POST /2/tweets"); n != len(posted) {
		t.Errorf("%d POST /2/tweets for %d posts: %v", n, len(posted), srv.Routes())
	}
	name := "state/posts/avent-1.json"
	file, err := state.Decode(name, []byte(gittest.Git(t, bare, "show", "main:"+name)))
	if err != nil {
		t.Fatal(err)
	}
	a := file.Accounts["social"]
	var ids []string
	for _, p := range posted {
		ids = append(ids, p.ID)
	}
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, ids) {
		t.Fatalf("journal %+v, want published with ids %v", a, ids)
	}
	if len(posted) != 2 || posted[1].InReplyTo != posted[0].ID {
		t.Errorf("posts %+v, want a thread of two", posted)
	}
	for _, secret := range []string{srv.ConsumerSecret, srv.AccessSecret, srv.AccessToken} {
		if strings.Contains(gittest.Git(t, bare, "log", "-p", "main"), secret) {
			t.Error("the repository holds a credential")
		}
	}
	// A third run has nothing to post.
	before := len(srv.Requests())
	if rep, _ := runEngine(t, dir, srv, publish.DefaultLease+2*time.Minute, ""); rep.Failed() || len(srv.Requests()) != before {
		t.Errorf("a third run sent %v", srv.Routes()[before:])
	}
}
