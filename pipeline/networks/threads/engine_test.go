package threads_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/threads"
	"github.com/herald-social/herald/pipeline/networks/threads/threadstest"
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
func runEngine(t *testing.T, dir string, srv *threadstest.Server, later time.Duration, kill string) (rep *publish.Report, stopped bool) {
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
		if k == "HERALD_THREADS_TOKEN" {
			return srv.Token
		}
		return ""
	}
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: dir, NowText: "2026-12-01 10:00", Getenv: getenv,
		Wall: func() time.Time { return time.Now().Add(later) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return threads.New(a, threads.Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, StatusPoll: time.Millisecond,
				HTTP: httpx.Options{Rand: func() float64 { return 0.5 }, BaseDelay: time.Millisecond,
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

// TestEngineCrashBeforeResults: a run stopped after it published a
// thread with an image and before it journaled it leaves an intent; the
// next run, after the lease, finds the thread by Lookup and journals it
// published without posting again; a third run sends nothing.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := threadstest.New(t)
	srv.Pending = 1
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  threads: {network: threads, user: \"" + srv.User + "\", api: \"" + srv.API() + "\"}\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n" +
		"media_url: https://cdn.example.com/maison/\n"
	post := "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [threads]\ntags: [produit]\n" +
		"media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n---\nJour 1 : la boîte.\n\n---\n\nUne case par jour.\n"
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, map[string]string{
		"charter.yaml":     charter,
		"posts/avent-1.md": post,
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
	if len(posts) != 2 || posts[0].Text != "Jour 1 : la boîte." || posts[1].Text != "Une case par jour." || posts[1].ReplyTo != posts[0].ID {
		t.Fatalf("the stopped run posted %+v, want a thread of two parts", posts)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	first := len(srv.Calls())
	rep, stopped := runEngine(t, dir, srv, publish.DefaultLease+time.Minute, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep.Outcomes)
	}
	if got := srv.Posts(); len(got) != len(posts) {
		t.Fatalf("the run after the lease posted %d more", len(got)-len(posts))
	}

	if calls := srv.Calls()[first:]; slices.Contains(calls, "POST create") || slices.Contains(calls, "POST publish") {
		t.Errorf("the run after the lease made or published a container: %v", calls)
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
	a := file.Accounts["threads"]
	if a == nil || a.Status != state.Published {
		t.Fatalf("journal %+v, want published", a)
	}
	if diff := cmp.Diff(ids, a.IDs); diff != "" {
		t.Errorf("journaled ids (-server +journal):\n%s", diff)
	}
	if len(posts[0].Media) != 1 || posts[0].Media[0].URL != "https://cdn.example.com/maison/media/avent.png" || posts[0].Media[0].AltText != "Une boîte ouverte" {
		t.Errorf("first post's media %+v, want the image by media_url with its alt text", posts[0].Media)
	}
	// A third run has nothing to publish, and sends nothing.
	before := len(srv.Requests())
	if rep, _ := runEngine(t, dir, srv, publish.DefaultLease+2*time.Minute, ""); rep.Failed() || len(srv.Requests()) != before {
		t.Errorf("a third run sent %v", srv.Calls()[before:])
	}
}
