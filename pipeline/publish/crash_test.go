package publish_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// kill is where a process of the crash test kills itself.
type kill struct {
	step string
	n    int // the n-th call of the step, from 1
}

func (k kill) String() string { return fmt.Sprintf("%s#%d", k.step, k.n) }

// TestCrashAtEveryStep runs herald publish in a process that kills itself
// with SIGKILL at each step of the protocol in turn (at each network call
// for the publish step), then fresh runs on the same checkout, with the
// wall clock past the lease, until one completes. Every due post must then
// be published exactly once on every account (the fake network counts
// Publish calls in a file that outlives the processes), none lost, and the
// journal at the remote's head must say so.
func TestCrashAtEveryStep(t *testing.T) {
	t.Parallel()
	// Three network publications (avent-1 on mastodon and bluesky, avent-2
	// on mastodon), so publish#1..3 stop before each of them.
	cases := [][]kill{
		{{"fetch", 1}},
		{{"reconcile", 1}},
		{{"intents", 1}},
		{{"publish", 1}},
		{{"publish", 2}},
		{{"publish", 3}},
		{{"results", 1}},
		// Killed again while recovering.
		{{"publish", 2}, {"reconcile", 1}},
		{{"publish", 2}, {"publish", 1}},
		{{"results", 1}, {"results", 1}},
	}
	for _, kills := range cases {
		var names []string
		for _, k := range kills {
			names = append(names, k.String())
		}
		t.Run(strings.Join(names, ","), func(t *testing.T) {
			t.Parallel()
			bare := gittest.Bare(t)
			seed := filepath.Join(t.TempDir(), "seed")
			gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
			files := calendar()
			delete(files, "posts/veille.md")
			gittest.WriteFiles(t, seed, files)
			gittest.Git(t, seed, "add", "-A")
			gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
			gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
			dir := filepath.Join(t.TempDir(), "ci")
			gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)
			network := filepath.Join(t.TempDir(), "network.json")

			for i, k := range kills {
				h := newHelper(t, helperConfig{Dir: dir, Now: now, Network: network, Kill: k.step, KillAt: k.n, Later: time.Duration(i) * time.Hour})
				if code := h.run(t); code != -1 {
					t.Fatalf("run %d was to be killed at %s, it exited %d\n%s", i+1, k, code, h)
				}
			}
			h := newHelper(t, helperConfig{Dir: dir, Now: now, Network: network, Later: time.Duration(len(kills)) * time.Hour})
			if code := h.run(t); code != 0 {
				t.Fatalf("the fresh run exited %d\n%s", code, h)
			}

			// The network has each publication once.
			n := newFakeNetwork(t.Errorf, published)
			n.file = network
			got := map[string]int{}
			for _, r := range n.records() {
				got[r.Post+" "+r.Account] += r.Publishes
			}
			want := map[string]int{"posts/avent-1 mastodon": 1, "posts/avent-1 bluesky": 1, "posts/avent-2 mastodon": 1}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("publications on the network (-want +got):\n%s\n%s", diff, h)
			}
			// The remote's head says so, and the channels wrote once.
			statuses := map[string]string{}
			for _, id := range []string{"avent-1", "avent-2"} {
				file := decodeJSON(t, id, []byte(gittest.Git(t, bare, "show", "main:state/posts/"+id+".json")))
				for key := range file["accounts"].(map[string]any) {
					statuses[id+" "+key] = accountState(t, file, key)["status"].(string)
				}
				if n := strings.Count(gittest.Git(t, bare, "log", "--format=%H", "main", "--", "outbox/posts/"+id+".json"), "\n"); n != 1 {
					t.Errorf("outbox/posts/%s.json was written by %d commits, want 1", id, n)
				}
			}
			if diff := cmp.Diff(allStatus("published"), statuses); diff != "" {
				t.Errorf("journal at the remote's head (-want +got):\n%s", diff)
			}
			if feed := gittest.Git(t, bare, "show", "main:public/feed.xml"); strings.Count(feed, "<entry") != 1 {
				t.Errorf("the feed has %d entries, want avent-1's", strings.Count(feed, "<entry"))
			}
			if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
				t.Errorf("the checkout is not clean:\n%s", got)
			}

			// And a run after that has nothing to do.
			head := gittest.Git(t, bare, "rev-parse", "main")
			h = newHelper(t, helperConfig{Dir: dir, Now: now, Network: network, Later: time.Duration(len(kills)+1) * time.Hour})
			if code := h.run(t); code != 0 || gittest.Git(t, bare, "rev-parse", "main") != head {
				t.Errorf("a run with nothing due exited %d and moved the remote\n%s", code, h)
			}
		})
	}
}
