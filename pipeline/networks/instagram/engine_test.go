package instagram_test

import (
	"context"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/instagram"
	"github.com/herald-social/herald/pipeline/networks/instagram/instagramtest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
)

// crash is what the Hook of a run panics with to stop it at a step, as a
// killed process stops: nothing after it runs.
type crash struct{ step string }

// jpeg is the start of a JPEG file: enough for the MIME sniffer.
const jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"

// runEngine runs herald publish in the checkout dir at 10:00 on the
// post's day, with the wall clock later by later, and stops it at the
// step kill ("" runs it to its end). It reports whether it was stopped.
func runEngine(t *testing.T, dir string, srv *instagramtest.Server, later time.Duration, kill string) (rep *publish.Report, stopped bool) {
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
		if k == "HERALD_INSTA_TOKEN" {
			return srv.Token
		}
		return ""
	}
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: dir, NowText: "2026-12-01 10:00", Getenv: getenv,
		Wall: func() time.Time { return time.Now().Add(later) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return instagram.New(a, instagram.Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, HTTP: httpx.Options{
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

// TestEngineCrashBeforeResults: a run stopped after Instagram published
// the post and before the journal said so leaves an intent; the next run,
// after the lease, finds the post by Lookup (its caption among the
// account's media) and journals it published without publishing again.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := instagramtest.New(t)
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  insta: {network: instagram, user: \"" + srv.User + "\", api: \"" + srv.API() + "\"}\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n" +
		"media_url: https://cdn.example.com/maison/\n"
	post := "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [insta]\ntags: [produit]\n" +
		"media:\n  - src: ../media/avent.jpg\n    alt: Une boîte ouverte\n---\nJour 1 du calendrier de l'Avent.\n"
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, map[string]string{
		"charter.yaml":     charter,
		"posts/avent-1.md": post,
		"media/avent.jpg":  jpeg + "image data",
	})
	gittest.Git(t, seed, "add", "-A")
	gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
	gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
	dir := filepath.Join(t.TempDir(), "ci")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)

	if _, stopped := runEngine(t, dir, srv, 0, "results"); !stopped {
		t.Fatal("the first run was not stopped before its results")
	}
	media := srv.Media()
	if len(media) != 1 {
		t.Fatalf("the stopped run published %d media, want 1", len(media))
	}
	c, _ := srv.Container(media[0].Container)
	if c.Params["image_url"] != "https://cdn.example.com/maison/media/avent.jpg" || c.Params["alt_text"] != "Une boîte ouverte" {
		t.Errorf("container %v, want the medium's public URL and its alt text", c.Params)
	}
	before := len(srv.Requests())
	rep, stopped := runEngine(t, dir, srv, publish.DefaultLease+time.Minute, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep.Outcomes)
	}
	if n := len(srv.Media()); n != 1 {
		t.Errorf("%d media after the second run, want 1", n)
	}
	for _, r := range srv.Requests()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("the second run sent %s %s", r.Method, r.Path)
		}
	}
	name := "state/posts/avent-1.json"
	file, err := state.Decode(name, []byte(gittest.Git(t, bare, "show", "main:"+name)))
	if err != nil {
		t.Fatal(err)
	}
	a := file.Accounts["insta"]
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{media[0].ID}) {
		t.Fatalf("journal %+v, want published with the media's id %s", a, media[0].ID)
	}
	// A third run has nothing to publish.
	before = len(srv.Requests())
	if rep, _ := runEngine(t, dir, srv, publish.DefaultLease+2*time.Minute, ""); rep.Failed() || len(srv.Requests()) != before {
		t.Errorf("a third run sent %d requests", len(srv.Requests())-before)
	}
}
