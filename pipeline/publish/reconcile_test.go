package publish_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish"
)

// stopped is what a Hook panics with to stop a run at a step, as a crash
// would (crash_test.go kills real processes).
type stopped struct{ step string }

// runStopped runs publish until the n-th call of the hook at step.
func runStopped(t *testing.T, opts publish.Options, step string, n int) {
	t.Helper()
	calls := 0
	opts.Hook = func(s string) {
		if s == step {
			if calls++; calls == n {
				panic(stopped{s})
			}
		}
	}
	defer func() {
		if r := recover(); r == nil {
			t.Fatalf("the run did not reach %s #%d", step, n)
		} else if _, ok := r.(stopped); !ok {
			panic(r)
		}
	}()
	publish.Run(t.Context(), opts)
}

// accountStatuses reads the status of every account of the due posts.
func accountStatuses(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, id := range []string{"avent-1", "avent-2"} {
		file := readJSON(t, filepath.Join(dir, "state/posts", id+".json"))
		for key, a := range file["accounts"].(map[string]any) {
			out[id+" "+key] = a.(map[string]any)["status"].(string)
		}
	}
	return out
}

func allStatus(status string) map[string]string {
	return map[string]string{
		"avent-1 bluesky": status, "avent-1 feed": status, "avent-1 mastodon": status, "avent-1 outbox": status,
		"avent-2 mastodon": status, "avent-2 outbox": status,
	}
}

// TestReconcile stops a run between its steps, then runs again: an intent
// whose lease ran out is looked up on the network before anything else,
// and a publication is never made twice (the fake network fails the test
// on a second Publish of a key).
func TestReconcile(t *testing.T) {
	later := wall.Add(time.Hour) // past the lease
	tests := []struct {
		name string
		step string // where the first run stops
		// then the second run: its wall clock and --now
		wall   time.Time
		now    string
		lookup error
		want   []string          // outcomes of the second run
		status map[string]string // afterwards
		failed bool
	}{{
		name: "stopped after publishing", step: "results", wall: later, now: now,
		want: []string{
			"published posts/avent-1 on feed", "published posts/avent-1 on outbox", "published posts/avent-2 on outbox",
			"reconciled posts/avent-1 on bluesky", "reconciled posts/avent-1 on mastodon", "reconciled posts/avent-2 on mastodon",
			"skipped posts/brouillon on mastodon",
		},
		status: allStatus("published"),
	}, {
		name: "stopped before publishing", step: "publish", wall: later, now: now,
		want: []string{
			"published posts/avent-1 on bluesky", "published posts/avent-1 on feed", "published posts/avent-1 on mastodon",
			"published posts/avent-1 on outbox", "published posts/avent-2 on mastodon", "published posts/avent-2 on outbox",
			"skipped posts/brouillon on mastodon",
		},
		status: allStatus("published"),
	}, {
		// An abandoned intent that the network does not have, found after
		// max_lateness: it is missed, not left publishing for ever.
		name: "stopped before publishing, found too late", step: "publish", wall: later, now: "2026-12-01 17:00",
		want: []string{
			"missed posts/avent-1 on bluesky", "missed posts/avent-1 on feed", "missed posts/avent-1 on mastodon",
			"missed posts/avent-1 on outbox", "missed posts/avent-2 on mastodon", "missed posts/avent-2 on outbox",
			"skipped posts/brouillon on mastodon",
		},
		status: allStatus("missed"),
		failed: true,
	}, {
		// Within the lease the first run may be alive: hands off.
		name: "lease running", step: "results", wall: wall.Add(time.Minute), now: now,
		want: []string{
			"in-progress posts/avent-1 on bluesky", "in-progress posts/avent-1 on feed", "in-progress posts/avent-1 on mastodon",
			"in-progress posts/avent-1 on outbox", "in-progress posts/avent-2 on mastodon", "in-progress posts/avent-2 on outbox",
			"skipped posts/brouillon on mastodon",
		},
		status: allStatus("publishing"),
	}, {
		// The network cannot say whether the posts went out: they stay in
		// progress rather than risk a second post. The channels, which
		// look in the calendar, are published.
		name: "network cannot tell", step: "results", wall: later, now: now,
		lookup: &networks.Error{Kind: networks.Transient, Status: 503, Err: errors.New("Service Unavailable")},
		want: []string{
			"in-progress posts/avent-1 on bluesky", "in-progress posts/avent-1 on mastodon", "in-progress posts/avent-2 on mastodon",
			"published posts/avent-1 on feed", "published posts/avent-1 on outbox", "published posts/avent-2 on outbox",
			"skipped posts/brouillon on mastodon",
		},
		status: map[string]string{
			"avent-1 bluesky": "publishing", "avent-1 feed": "published", "avent-1 mastodon": "publishing", "avent-1 outbox": "published",
			"avent-2 mastodon": "publishing", "avent-2 outbox": "published",
		},
	}, {
		// The network can never say (Telegram's bots cannot read a
		// chat's history): the posts stay in progress, reported for a
		// person to confirm, with what the network's client says to do,
		// and the run fails so that someone looks.
		name: "network can never tell", step: "results", wall: later, now: now,
		lookup: &networks.Error{Kind: networks.Unsupported, Err: errors.New("cannot read the history")},
		want: []string{
			"published posts/avent-1 on feed", "published posts/avent-1 on outbox", "published posts/avent-2 on outbox",
			"skipped posts/brouillon on mastodon",
			"unconfirmed posts/avent-1 on bluesky", "unconfirmed posts/avent-1 on mastodon", "unconfirmed posts/avent-2 on mastodon",
		},
		status: map[string]string{
			"avent-1 bluesky": "publishing", "avent-1 feed": "published", "avent-1 mastodon": "publishing", "avent-1 outbox": "published",
			"avent-2 mastodon": "publishing", "avent-2 outbox": "published",
		},
		failed: true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := calendar()
			delete(files, "posts/veille.md")
			dir := newCalendar(t, files)
			n := newNetwork(t)
			opts := options(dir, n)
			runStopped(t, opts, tt.step, 1)
			if got := accountStatuses(t, dir); !cmp.Equal(got, allStatus("publishing")) {
				t.Fatalf("after the stop: %v, want every intent publishing", got)
			}

			n.lookupErr = tt.lookup
			opts.Wall = func() time.Time { return tt.wall }
			opts.NowText = tt.now
			rep := run(t, opts)
			if diff := cmp.Diff(tt.want, outcomes(rep)); diff != "" {
				t.Errorf("outcomes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.status, accountStatuses(t, dir)); diff != "" {
				t.Errorf("journal (-want +got):\n%s", diff)
			}
			if rep.Failed() != tt.failed {
				t.Errorf("Failed() = %v", rep.Failed())
			}
			for key, r := range n.records() {
				if r.Publishes != 1 {
					t.Errorf("%s (%s on %s) published %d times", key, r.Post, r.Account, r.Publishes)
				}
			}
			for _, o := range rep.Outcomes {
				if o.What == "unconfirmed" && !errors.Is(o.Err, tt.lookup) {
					t.Errorf("unconfirmed %s on %s: Err = %v, want what Lookup said", o.PostID, o.Account, o.Err)
				}
			}
		})
	}
}

// TestTransientFailureIsLookedUp: a publication that failed with a
// transient error (a timeout) may have gone through; the next run asks the
// network before trying again.
func TestTransientFailureIsLookedUp(t *testing.T) {
	files := calendar()
	delete(files, "posts/veille.md")
	dir := newCalendar(t, files)
	n := newNetwork(t)
	n.failAfter["bluesky"] = &networks.Error{Kind: networks.Transient, Account: "bluesky", Err: errors.New("timeout awaiting response headers")}
	opts := options(dir, n)
	rep := run(t, opts)
	if !rep.Failed() || accountStatuses(t, dir)["avent-1 bluesky"] != "failed" {
		t.Fatalf("first run: %v, %v", outcomes(rep), accountStatuses(t, dir))
	}

	delete(n.failAfter, "bluesky")
	opts.Wall = func() time.Time { return wall.Add(5 * time.Minute) }
	rep = run(t, opts)
	if diff := cmp.Diff([]string{"reconciled posts/avent-1 on bluesky", "skipped posts/brouillon on mastodon"}, outcomes(rep)); diff != "" {
		t.Errorf("second run (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(allStatus("published"), accountStatuses(t, dir)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
	for key, r := range n.records() {
		if r.Publishes != 1 {
			t.Errorf("%s published %d times", key, r.Publishes)
		}
	}
}
