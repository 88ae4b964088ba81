package examplegen

import (
	"context"
	"hash/fnv"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/golden"
	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/stats"
)

// exampleDir is the example calendar, from this package's folder.
const exampleDir = "../../../example-calendar"

// seed makes the simulated engagement: change it and every figure moves.
const seed = 2026_11

var paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// TestExampleHistory makes the example calendar's November history and
// compares it with the committed example-calendar/state/ (-update
// rewrites it).
func TestExampleHistory(t *testing.T) {
	t.Parallel()
	sim := newSimulation(t)
	sim.run(t)
	got := sim.stateFiles(t)
	if len(got) == 0 {
		t.Fatal("the simulation wrote no state file")
	}
	for rel, data := range got {
		golden.Check(t, filepath.Join(exampleDir, "state", rel), data)
	}
	// A committed file the simulation no longer makes is stale.
	_ = filepath.WalkDir(filepath.Join(exampleDir, "state"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(exampleDir, "state"), path)
		if _, ok := got[filepath.ToSlash(rel)]; !ok {
			if *golden.Update {
				return os.Remove(path)
			}
			t.Errorf("example-calendar/state/%s is not made by the simulation any more (go test -update removes it)", rel)
		}
		return nil
	})
}

// simulation is the calendar's copy, its servers and the simulated clock.
type simulation struct {
	dir   string
	now   time.Time
	masto *mastodontest.Server
	pds   *blueskytest.PDS
	av    *blueskytest.AppView
	// firstSeen is when each Bluesky record appeared: its age.
	firstSeen map[string]time.Time
}

func newSimulation(t *testing.T) *simulation {
	sim := &simulation{dir: filepath.Join(t.TempDir(), "example-calendar"), firstSeen: map[string]time.Time{}}
	sim.masto = mastodontest.New(t)
	sim.masto.Now = func() time.Time { return sim.now }
	sim.masto.FollowersCount = followers(1180, 2.8, 0)
	sim.pds = blueskytest.NewPDS(t)
	sim.av = blueskytest.NewAppView(t)
	sim.av.SetFollowers(followers(530, 2.2, 0))

	if err := os.CopyFS(sim.dir, os.DirFS(exampleDir)); err != nil {
		t.Fatal(err)
	}
	// The history is made afresh: the committed one is what it is compared with.
	if err := os.RemoveAll(filepath.Join(sim.dir, "state")); err != nil {
		t.Fatal(err)
	}
	charter, err := os.ReadFile(filepath.Join(sim.dir, "charter.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := replaceLine(t, string(charter), "  mastodon:", "  mastodon:  {network: mastodon, server: "+sim.masto.URL+"}")
	text = replaceLine(t, text, "  bluesky:", "  bluesky:   {network: bluesky, handle: "+blueskytest.Handle+", pds: "+sim.pds.URL()+", appview: "+sim.av.URL()+"}")
	if err := os.WriteFile(filepath.Join(sim.dir, "charter.yaml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return sim
}

// replaceLine replaces the one line of text that starts with prefix.
func replaceLine(t *testing.T, text, prefix, line string) string {
	lines := strings.Split(text, "\n")
	n := 0
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i] = line
			n++
		}
	}
	if n != 1 {
		t.Fatalf("charter.yaml: %d lines start with %q, want one", n, prefix)
	}
	return strings.Join(lines, "\n")
}

func (sim *simulation) getenv(key string) string {
	switch key {
	case "HERALD_MASTODON_TOKEN":
		return sim.masto.Token
	case "HERALD_BLUESKY_PASSWORD":
		return blueskytest.Password
	}
	return "" // every other account: not configured, as in the README
}

// run publishes each November post at its time and samples the
// publications 1, 3 and 6 hours after each publication and twice a day,
// to 1 December.
func (sim *simulation) run(t *testing.T) {
	publishAt := []time.Time{
		at(2, 9, 30), at(5, 12, 0), at(10, 18, 0), at(14, 11, 0),
		at(19, 10, 0), at(27, 9, 0), at(30, 17, 0),
	}
	events := map[time.Time]bool{} // the instants herald runs at; true: publish, then stats
	for _, p := range publishAt {
		events[p] = true
		for _, h := range []int{1, 3, 6} {
			sample(events, p.Add(time.Duration(h)*time.Hour))
		}
	}
	for day := 1; day <= 30; day++ {
		sample(events, at(day, 8, 0))
		sample(events, at(day, 20, 0))
	}
	// 1 December, 08:00: the month's last samples, and a publish run that
	// finds nothing due and journals the bilan's x (17 h late) as missed,
	// as the hourly job would have.
	closing := at(31, 8, 0)
	events[closing] = true
	times := make([]time.Time, 0, len(events))
	for tm := range events {
		times = append(times, tm)
	}
	slices.SortFunc(times, time.Time.Compare)
	ctx := context.Background()
	for _, now := range times {
		sim.now = now
		if events[now] {
			rep, err := publish.Run(ctx, publish.Options{Dir: sim.dir, Now: now, Wall: sim.clock, Getenv: sim.getenv, NoPush: true})
			if err != nil {
				t.Fatalf("publish at %s: %v", now, err)
			}
			published := 0
			for _, o := range rep.Outcomes {
				if o.What == "published" {
					published++
				}
			}
			if published == 0 && now != closing {
				t.Fatalf("publish at %s published nothing: %+v", now, rep.Outcomes)
			}
		}
		sim.engage(now)
		rep, err := stats.Collect(ctx, stats.Options{Dir: sim.dir, Now: now, Wall: sim.clock, Getenv: sim.getenv, NoPush: true})
		if err != nil {
			t.Fatalf("stats at %s: %v", now, err)
		}
		if rep.Failed() {
			t.Fatalf("stats at %s failed: %+v", now, rep.Problems)
		}
	}
}

// sample adds a stats run at tm, leaving a publication there as it is.
func sample(events map[time.Time]bool, tm time.Time) {
	if _, ok := events[tm]; !ok {
		events[tm] = false
	}
}

func (sim *simulation) clock() time.Time { return sim.now }

// at is a time of November 2026 in the charter's time zone.
func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, paris)
}

// followers is an account's count a number of days into November: a
// steady gain with a deterministic wobble.
func followers(start int64, perDay, days float64) int64 {
	return start + int64(days*perDay+2*math.Sin(days*1.3))
}

// engage sets every publication's counts and each account's followers
// for the instant now.
func (sim *simulation) engage(now time.Time) {
	days := now.Sub(at(1, 0, 0)).Hours() / 24
	sim.masto.FollowersCount = followers(1180, 2.8, days)
	sim.av.SetFollowers(followers(530, 2.2, days))
	for _, st := range sim.masto.Statuses() {
		likes := engagement("mastodon/"+st.ID, 24, now.Sub(st.CreatedAt))
		if st.InReplyToID != "" {
			likes /= 3 // a thread's later parts are read less
		}
		sim.masto.SetCounts(st.ID, likes, likes*3/10, likes/8, nil)
	}
	for rkey := range sim.pds.Records() {
		uri := blueskytest.AtURI(rkey)
		if _, ok := sim.firstSeen[uri]; !ok {
			sim.firstSeen[uri] = now
		}
		sim.av.SetLikes(uri, engagement("bluesky/"+uri, 14, now.Sub(sim.firstSeen[uri])))
	}
}

// engagement is the likes of a publication at an age: a level drawn
// from the seed and the publication's name around base, reached as the
// post ages (most of it in its first hours).
func engagement(name string, base float64, age time.Duration) int64 {
	if age <= 0 {
		return 0
	}
	h := fnv.New64a()
	h.Write([]byte(name))
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	level := base * (0.4 + 1.4*r.Float64())
	return int64(level * (1 - math.Exp(-age.Hours()/10)))
}

// stateFiles reads the simulation's state/, with the servers' loopback
// addresses written as the example charter's accounts.
func (sim *simulation) stateFiles(t *testing.T) map[string][]byte {
	rewrite := strings.NewReplacer(
		sim.masto.URL, "https://piaille.fr",
		"/profile/"+blueskytest.Handle+"/", "/profile/maison-exemple.bsky.social/",
	)
	files := map[string][]byte{}
	root := filepath.Join(sim.dir, "state")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files[filepath.ToSlash(rel)] = []byte(rewrite.Replace(string(data)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
