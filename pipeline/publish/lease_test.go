package publish_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/publish"
)

// stoppedWithIntents stops a first run with lease after it pushed its
// intents, and returns the calendar and its network.
func stoppedWithIntents(t *testing.T, lease time.Duration) (string, *fakeNetwork, publish.Options) {
	t.Helper()
	files := calendar()
	delete(files, "posts/veille.md")
	dir := newCalendar(t, files)
	n := newNetwork(t)
	opts := options(dir, n)
	opts.Lease = lease
	runStopped(t, opts, "results", 1)
	if got := accountStatuses(t, dir); !cmp.Equal(got, allStatus("publishing")) {
		t.Fatalf("after the stop: %v, want every intent publishing", got)
	}
	return dir, n, opts
}

var inProgress = []string{
	"in-progress posts/avent-1 on bluesky", "in-progress posts/avent-1 on feed", "in-progress posts/avent-1 on mastodon",
	"in-progress posts/avent-1 on outbox", "in-progress posts/avent-2 on mastodon", "in-progress posts/avent-2 on outbox",
	"skipped posts/brouillon on mastodon",
}

// TestLeaseBelongsToTheIntent: the intent records the lease its run chose,
// and another run's shorter --lease never ends it early; an intent written
// before leases were recorded keeps at least the default.
func TestLeaseBelongsToTheIntent(t *testing.T) {
	tests := []struct {
		name        string
		first       time.Duration // the first run's --lease
		legacy      bool          // the intents record no lease (an older herald)
		second      time.Duration // the second run's --lease
		after       time.Duration // the second run starts this long after the first
		want        []string
		wantPublish int
	}{
		{name: "a 1h intent, a 1m run 30m later", first: time.Hour, second: time.Minute, after: 30 * time.Minute, want: inProgress},
		{name: "an old intent, a 1m run 5m later", first: publish.DefaultLease, legacy: true, second: time.Minute, after: 5 * time.Minute, want: inProgress},
		{name: "a 1h intent, a 1m run 61m later", first: time.Hour, second: time.Minute, after: 61 * time.Minute, want: []string{
			"published posts/avent-1 on feed", "published posts/avent-1 on outbox", "published posts/avent-2 on outbox",
			"reconciled posts/avent-1 on bluesky", "reconciled posts/avent-1 on mastodon", "reconciled posts/avent-2 on mastodon",
			"skipped posts/brouillon on mastodon",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, n, opts := stoppedWithIntents(t, tt.first)
			file := filepath.Join(dir, "state/posts/avent-1.json")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lease := regexp.MustCompile(`(?m)^ *"lease": "` + regexp.QuoteMeta(tt.first.String()) + `",\n`)
			if got := len(lease.FindAll(data, -1)); got != 4 {
				t.Fatalf("%d of avent-1's 4 intents record the lease %s:\n%s", got, tt.first, data)
			}
			if tt.legacy {
				os.WriteFile(file, lease.ReplaceAll(data, nil), 0o644)
			}
			opts.Lease = tt.second
			opts.Wall = func() time.Time { return wall.Add(tt.after) }
			rep := run(t, opts)
			if diff := cmp.Diff(tt.want, outcomes(rep)); diff != "" {
				t.Errorf("second run (-want +got):\n%s", diff)
			}
			for key, r := range n.records() {
				if r.Publishes != 1 {
					t.Errorf("%s published %d times", key, r.Publishes)
				}
			}
		})
	}
}

// TestRecover: --recover reconciles every intent now, whatever its lease,
// through Lookup: what the network has is recorded published, never sent
// again; what it has not is published.
func TestRecover(t *testing.T) {
	dir, n, opts := stoppedWithIntents(t, time.Hour)
	opts.Recover = true
	opts.Wall = func() time.Time { return wall.Add(time.Minute) }
	rep := run(t, opts)
	want := []string{
		"published posts/avent-1 on feed", "published posts/avent-1 on outbox", "published posts/avent-2 on outbox",
		"reconciled posts/avent-1 on bluesky", "reconciled posts/avent-1 on mastodon", "reconciled posts/avent-2 on mastodon",
		"skipped posts/brouillon on mastodon",
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Errorf("--recover (-want +got):\n%s", diff)
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
