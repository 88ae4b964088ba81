package publish_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

const token = "ghs_t0kenThatMustNeverBeSeen"

// TestPushOverHTTPS publishes from a CI checkout and pushes the journal to
// git's own smart HTTP server, with GITHUB_TOKEN as basic auth.
func TestPushOverHTTPS(t *testing.T) {
	t.Parallel()
	gs := gittest.NewServer(t, token)
	gs.Seed(t, calendar())
	dir := gs.Clone(t)
	n := newNetwork(t)
	var log bytes.Buffer
	opts := options(dir, n)
	opts.Getenv = gs.Getenv()
	opts.Log = &log
	pushes := gs.Pushes()
	rep := run(t, opts)

	if !rep.Pushed || len(rep.Commits) != 2 {
		t.Fatalf("pushed %v, commits %v: want 2 commits pushed", rep.Pushed, rep.Commits)
	}
	if got := gs.Pushes() - pushes; got != 2 {
		t.Errorf("%d pushes, want 2 (intents, results)", got)
	}
	if gs.Refused() != 0 {
		t.Errorf("the server refused %d requests", gs.Refused())
	}
	remote := gittest.Git(t, gs.Bare, "log", "--format=%an <%ae>|%s", "main")
	want := "herald <herald@users.noreply.github.com>|herald: published 2 posts on 4 accounts\n" +
		"herald <herald@users.noreply.github.com>|herald: publishing 2 posts on 4 accounts, 1 missed\n" +
		"Human Writer <writer@example.com>|seed the calendar\n"
	if diff := cmp.Diff(want, remote); diff != "" {
		t.Errorf("remote history (-want +got):\n%s", diff)
	}
	head := decodeJSON(t, "remote state", []byte(gittest.Git(t, gs.Bare, "show", "main:state/posts/avent-1.json")))
	for _, key := range []string{"mastodon", "bluesky", "feed", "outbox"} {
		if a := accountState(t, head, key); a["status"] != "published" {
			t.Errorf("remote accounts.%s = %v", key, a)
		}
	}
	gittest.Git(t, gs.Bare, "cat-file", "-e", "main:outbox/posts/avent-2.json")
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("the checkout is not clean:\n%s", got)
	}
	main := gittest.Git(t, gs.Bare, "rev-parse", "main")
	if got := gittest.Git(t, dir, "rev-parse", "HEAD", "origin/main"); got != main+main {
		t.Errorf("HEAD and origin/main = %s, want the remote's %s", got, main)
	}
	// The token is nowhere: not in the log, the commits or the files.
	everything := log.String() + gittest.Git(t, gs.Bare, "log", "-p", "main") + gittest.Git(t, dir, "config", "--list")
	if strings.Contains(everything, token) {
		t.Errorf("the token leaked:\n%s", everything)
	}
}

// TestHumanCommitDuringRun: a person pushes while a run works, between
// its fetch and its intents push, or while it publishes. The run's push is
// rejected; it fetches and applies its own changes again on top of the
// person's commit, which stays as it was, and nothing is published twice.
func TestHumanCommitDuringRun(t *testing.T) {
	t.Parallel()
	for _, step := range []string{"intents", "publish", "results"} {
		t.Run(step, func(t *testing.T) {
			t.Parallel()
			gs := gittest.NewServer(t, token)
			gs.Seed(t, calendar())
			dir := gs.Clone(t)
			n := newNetwork(t)
			opts := options(dir, n)
			opts.Getenv = gs.Getenv()
			var log bytes.Buffer
			opts.Log = &log
			human := map[string]string{
				"posts/avent-3.md":   strings.Replace(calendar()["posts/avent-3.md"], "Jour 3.", "Jour 3, relu.", 1),
				"notes/relecture.md": "Relu par Léa.\n",
				// Beside the feed herald writes.
				"public/robots.txt": "User-agent: *\n",
			}
			var humanCommit string
			opts.Hook = func(s string) {
				if s == step && humanCommit == "" {
					humanCommit = gs.HumanCommit(t, human, "Relecture de l'Avent")
				}
			}
			rep := run(t, opts)
			if humanCommit == "" {
				t.Fatal("the hook never ran")
			}
			if !rep.Pushed || len(rep.Commits) != 2 {
				t.Fatalf("pushed %v, commits %v", rep.Pushed, rep.Commits)
			}
			if !strings.Contains(log.String(), "fetching and trying again") {
				t.Errorf("no push was rejected:\n%s", log.String())
			}
			// The person's commit is in the remote's history, untouched.
			gittest.Git(t, gs.Bare, "merge-base", "--is-ancestor", humanCommit, "main")
			for name, content := range human {
				if got := gittest.Git(t, gs.Bare, "show", "main:"+name); got != content {
					t.Errorf("%s = %q at the remote's head, want the person's %q", name, got, content)
				}
			}
			// Herald's commits after it change herald's files only.
			changed := gittest.Git(t, gs.Bare, "diff", "--name-only", humanCommit, "main")
			for _, name := range strings.Fields(changed) {
				if !strings.HasPrefix(name, "state/") && !strings.HasPrefix(name, "outbox/") && name != "public/feed.xml" {
					t.Errorf("herald changed %s after the person's commit", name)
				}
			}
			if strings.Count(gittest.Git(t, gs.Bare, "log", "--format=%s", humanCommit+"..main"), "herald:") < 1 {
				t.Errorf("no herald commit on top of the person's")
			}
			head := decodeJSON(t, "remote state", []byte(gittest.Git(t, gs.Bare, "show", "main:state/posts/avent-1.json")))
			for _, key := range []string{"mastodon", "bluesky", "feed", "outbox"} {
				if a := accountState(t, head, key); a["status"] != "published" {
					t.Errorf("remote accounts.%s = %v", key, a)
				}
			}
			for key, r := range n.records() {
				if r.Publishes != 1 {
					t.Errorf("%s published %d times", key, r.Publishes)
				}
			}
			// The checkout has the person's files too, and is clean.
			if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
				t.Errorf("the checkout is not clean:\n%s", got)
			}
			if got := readFileString(t, filepath.Join(dir, "notes/relecture.md")); got != human["notes/relecture.md"] {
				t.Errorf("checkout notes/relecture.md = %q", got)
			}
		})
	}
}

func readFileString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
