package publish_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// channelCalendar has five posts due at now, on an outbox and a feed.
func channelCalendar() map[string]string {
	files := map[string]string{
		"charter.yaml": `brand: Maison Test
timezone: Europe/Paris
locale: fr-FR
accounts:
  outbox: {network: outbox, dir: outbox}
  feed:   {network: feed, path: public/feed.xml, title: Maison Test, link: https://maison.example}
editorial_line:
  produit: {description: Nos créations}
cadence:
  max_lateness: 6h
`,
	}
	for i := range 5 {
		files[fmt.Sprintf("posts/p%d.md", i)] = fmt.Sprintf("---\ndate: 2026-12-01 09:%02d\nnetworks: [outbox, feed]\ntags: [produit]\n---\nPost %d.\n", 10*i, i)
	}
	return files
}

var commitsLine = regexp.MustCompile(`(?m)^commits \[(.*)\]$`)

// TestConcurrentRuns starts two herald publish processes together, each
// on its own checkout of one remote (git http-backend), as two CI jobs
// that overlap. With a barrier, both have planned the same posts and race
// for the intents push; without, they just start together. Both must
// succeed, no push may be lost, and each post must be in the outbox and
// the feed once, written by one commit, and journaled published.
func TestConcurrentRuns(t *testing.T) {
	t.Parallel()
	for _, barrier := range []bool{true, false} {
		t.Run(fmt.Sprintf("barrier=%v", barrier), func(t *testing.T) {
			t.Parallel()
			gs := gittest.NewServer(t, token)
			gs.Seed(t, channelCalendar())
			var helpers []*helper
			var bar string
			if barrier {
				bar = t.TempDir()
			}
			for range 2 {
				dir := gs.Clone(t)
				helpers = append(helpers, newHelper(t, helperConfig{
					Dir: dir, Now: now, Barrier: bar, Parties: 2,
					Env: gs.Vars(),
				}))
			}
			for _, h := range helpers {
				if err := h.cmd.Start(); err != nil {
					t.Fatal(err)
				}
			}
			var commits []string
			for i, h := range helpers {
				if code := h.exit(t); code != 0 {
					t.Errorf("process %d exited %d\n%s", i+1, code, h)
				}
				m := commitsLine.FindStringSubmatch(h.stdout.String())
				if m == nil {
					t.Fatalf("process %d did not report its commits\n%s", i+1, h)
				}
				commits = append(commits, strings.Fields(m[1])...)
			}
			// No push lost: every commit a process reported is at the remote.
			for _, c := range commits {
				if _, err := gittest.GitErr(t, gs.Bare, "merge-base", "--is-ancestor", c, "main"); err != nil {
					t.Errorf("commit %s is not in the remote's history", c)
				}
			}
			if len(commits) != 2 {
				t.Errorf("the processes made %d commits, want the intents and results of one run\n%s\n%s", len(commits), helpers[0], helpers[1])
			}
			feed := gittest.Git(t, gs.Bare, "show", "main:public/feed.xml")
			for i := range 5 {
				id := fmt.Sprintf("posts/p%d", i)
				file := decodeJSON(t, id, []byte(gittest.Git(t, gs.Bare, "show", "main:state/"+id+".json")))
				for _, key := range []string{"outbox", "feed"} {
					if a := accountState(t, file, key); a["status"] != "published" {
						t.Errorf("%s on %s: %v", id, key, a)
					}
				}
				if n := strings.Count(gittest.Git(t, gs.Bare, "log", "--format=%H", "main", "--", "outbox/"+id+".json"), "\n"); n != 1 {
					t.Errorf("outbox/%s.json was written by %d commits, want 1", id, n)
				}
				if n := strings.Count(feed, "<id>tag:maison.example,2026:"+id+"</id>"); n != 1 {
					t.Errorf("the feed has %d entries for %s, want 1", n, id)
				}
			}
		})
	}
}
