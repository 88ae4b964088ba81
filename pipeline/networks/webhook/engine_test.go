package webhook_test

import (
	"context"
	"crypto/sha256"
	"fmt"
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
	"github.com/herald-social/herald/pipeline/networks/webhook"
	"github.com/herald-social/herald/pipeline/networks/webhook/webhooktest"
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
func runEngine(t *testing.T, dir string, rcv *webhooktest.Receiver, later time.Duration, kill string) (rep *publish.Report, stopped bool) {
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
		if k == "HERALD_HOOKS_SECRET" {
			return rcv.Secret
		}
		return ""
	}
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: dir, NowText: "2026-12-01 10:00", Getenv: getenv,
		Wall: func() time.Time { return time.Now().Add(later) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return webhook.New(a, webhook.Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, HTTP: httpx.Options{
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

// TestEngineCrashBeforeResults: a run stopped after it delivered both
// posts and before it journaled them leaves intents; the next run, after
// the lease, finds nothing by Lookup (a receiver cannot be asked) and
// delivers both again with the same webhook-ids, which the receiver
// dedupes: one unique delivery per publication, journaled published
// with its webhook-id. The charter's media_url gives each medium its url.
func TestEngineCrashBeforeResults(t *testing.T) {
	rcv := webhooktest.New(t)
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  hooks: {network: webhook, url: \"" + rcv.Endpoint() + "\"}\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n" +
		"media_url: https://cdn.example.com/maison/\n" +
		"campaigns:\n  noel-2026: {title: Noël 2026, start: 2026-12-01, end: 2026-12-25}\n"
	post := func(hour, text string) string {
		return "---\ndate: 2026-12-01T" + hour + ":00+01:00\nnetworks: [hooks]\ntags: [produit]\ncampaign: noel-2026\n" +
			"media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n---\n" + text + "\n"
	}
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, map[string]string{
		"charter.yaml":     charter,
		"posts/avent-1.md": post("09:00", "Jour 1."),
		"posts/avent-2.md": post("09:30", "Jour 2."),
		"media/avent.png":  channeltest.PNG + "image data",
	})
	gittest.Git(t, seed, "add", "-A")
	gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
	gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
	dir := filepath.Join(t.TempDir(), "ci")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)

	if _, stopped := runEngine(t, dir, rcv, 0, "results"); !stopped {
		t.Fatal("the first run was not stopped before its results")
	}
	if n := len(rcv.Deliveries()); n != 2 {
		t.Fatalf("the stopped run delivered %d, want 2", n)
	}
	rep, stopped := runEngine(t, dir, rcv, publish.DefaultLease+time.Minute, "")
	if stopped || rep.Failed() {
		t.Fatalf("the run after the lease failed: %+v", rep.Outcomes)
	}

	keys := map[string]int{}
	for _, id := range []string{"avent-1", "avent-2"} {
		name := "state/posts/" + id + ".json"
		file, err := state.Decode(name, []byte(gittest.Git(t, bare, "show", "main:"+name)))
		if err != nil {
			t.Fatal(err)
		}
		a := file.Accounts["hooks"]
		if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{a.IdempotencyKey}) {
			t.Fatalf("%s: journal %+v, want published with its webhook-id", id, a)
		}
		keys[a.IdempotencyKey] = 2 // delivered by each run
	}
	if diff := cmp.Diff(keys, rcv.Counts()); diff != "" {
		t.Errorf("deliveries per webhook-id (-want +got):\n%s", diff)
	}
	var got []string
	for _, d := range rcv.Unique() {
		got = append(got, fmt.Sprintf("%s %s %s %+v", d.Payload.Data.Post, d.Payload.Data.Campaign, d.Payload.Data.Parts, d.Payload.Data.Media))
	}
	slices.Sort(got)
	medium := fmt.Sprintf("[{Src:media/avent.png Alt:Une boîte ouverte Type:image/png SHA256:%x URL:https://cdn.example.com/maison/media/avent.png}]",
		sha256.Sum256([]byte(channeltest.PNG+"image data")))
	want := []string{"posts/avent-1 noel-2026 [Jour 1.] " + medium, "posts/avent-2 noel-2026 [Jour 2.] " + medium}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unique deliveries (-want +got):\n%s", diff)
	}
	// A third run has nothing to deliver.
	before := len(rcv.Requests())
	if rep, _ := runEngine(t, dir, rcv, publish.DefaultLease+2*time.Minute, ""); rep.Failed() || len(rcv.Requests()) != before {
		t.Errorf("a third run sent %d requests", len(rcv.Requests())-before)
	}
}
