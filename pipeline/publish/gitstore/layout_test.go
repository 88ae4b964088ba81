package gitstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

func TestDetachedHead(t *testing.T) {
	t.Parallel()
	dir := localRepo(t, calendar)
	gittest.Git(t, dir, "checkout", "-q", "--detach")
	if _, err := Open(context.Background(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "detached") {
		t.Fatalf("Open = %v, want an error about the detached HEAD", err)
	}
	opts := testOptions(func(string) string { return "" })
	opts.Branch = "main"
	s := openStore(t, dir, opts)
	h, err := s.Commit(context.Background(), []Change{{Path: "outbox/a.json", Content: []byte("{}\n")}}, "publish: a")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "main")); got != h.String() {
		t.Errorf("main = %s, want %s", got, h)
	}
	if _, err := os.Stat(filepath.Join(dir, "outbox")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the detached worktree was written")
	}
}

func TestSnapshotFS(t *testing.T) {
	t.Parallel()
	dir := localRepo(t, calendar)
	s := openStore(t, dir, Options{})
	if err := fstest.TestFS(s.Snapshot(), "charter.yaml", "posts/2026/12/avent-1.md", "state/2026/12/avent-1.json"); err != nil {
		t.Fatal(err)
	}
	// Several readers at once (go test -race).
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			snap := s.Snapshot()
			for _, p := range []string{"charter.yaml", "posts/2026/12/avent-2.md", "state/2026/12/avent-1.json"} {
				if b, err := snap.ReadFile(p); err != nil || string(b) != calendar[p] {
					t.Errorf("ReadFile(%s) = %q, %v", p, b, err)
				}
				if fi, err := snap.Stat(p); err != nil || fi.Size() != int64(len(calendar[p])) {
					t.Errorf("Stat(%s) = %v, %v", p, fi, err)
				}
			}
		}()
	}
	wg.Wait()
	entries, err := s.Snapshot().ReadDir("posts/2026/12")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"avent-1.md", "avent-2.md"}, names); diff != "" {
		t.Errorf("ReadDir (-want +got):\n%s", diff)
	}
}

func TestBadChanges(t *testing.T) {
	t.Parallel()
	dir := localRepo(t, calendar)
	s := openStore(t, dir, Options{})
	tests := []struct {
		name    string
		changes []Change
		want    string
	}{
		{"absolute", []Change{{Path: "/etc/passwd"}}, "not a clean slash path"},
		{"dot-dot", []Change{{Path: "state/../../x"}}, "not a clean slash path"},
		{"into .git", []Change{{Path: ".git/config"}}, "not a clean slash path"},
		{"into .GIT", []Change{{Path: "a/.GIT/hooks/x"}}, "not a clean slash path"},
		{"empty part", []Change{{Path: "state//a.json"}}, "not a clean slash path"},
		{"twice", []Change{{Path: "a.json"}, {Path: "a.json"}}, "changed twice"},
		{"file and folder", []Change{{Path: "a"}, {Path: "a/b"}}, "to be a directory"},
		{"folder and file", []Change{{Path: "a/b"}, {Path: "a"}}, "other changes are below it"},
		{"a folder", []Change{{Path: "posts/2026", Content: []byte("x")}}, "it is a directory"},
		{"below a file", []Change{{Path: "charter.yaml/x", Content: []byte("x")}}, "it is a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Commit(context.Background(), tt.changes, "publish")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Commit = %v, want an error with %q", err, tt.want)
			}
		})
	}
	if _, err := s.Commit(context.Background(), []Change{{Path: "a"}}, " \n"); err == nil {
		t.Error("a commit without a message went through")
	}
}

func TestSplitIndexIsRefused(t *testing.T) {
	t.Parallel()
	dir := localRepo(t, calendar)
	gittest.Git(t, dir, "update-index", "--split-index")
	s := openStore(t, dir, testOptions(func(string) string { return "" }))
	_, err := s.Commit(context.Background(), []Change{{Path: "outbox/a.json", Content: []byte("{}\n")}}, "publish: a")
	if err == nil || !strings.Contains(err.Error(), "git update-index --no-split-index") {
		t.Fatalf("Commit = %v, want advice to turn the split index off", err)
	}
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status:\n%s", got)
	}
}

func TestRepositoryLayouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the checkout to use
	}{
		{"index version 4", func(t *testing.T, dir string) string {
			gittest.Git(t, dir, "update-index", "--index-version", "4")
			return dir
		}},
		{"untracked cache", func(t *testing.T, dir string) string {
			gittest.Git(t, dir, "update-index", "--untracked-cache")
			gittest.Git(t, dir, "status", "--porcelain")
			return dir
		}},
		{"linked worktree", func(t *testing.T, dir string) string {
			linked := filepath.Join(t.TempDir(), "linked")
			gittest.Git(t, dir, "worktree", "add", "-q", "-b", "other", linked)
			return linked
		}},
		{"packed refs", func(t *testing.T, dir string) string {
			gittest.Git(t, dir, "pack-refs", "--all")
			return dir
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := tt.setup(t, localRepo(t, calendar))
			s, err := Open(context.Background(), dir, testOptions(func(string) string { return "" }))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			h, err := s.Commit(context.Background(), []Change{
				{Path: "state/2026/12/avent-1.json", Content: []byte("{\"n\": 1}\n")},
				{Path: "outbox/a.json", Content: []byte("{}\n")},
			}, "publish: a")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")); got != h.String() {
				t.Errorf("HEAD = %s, want %s", got, h)
			}
			assertClean(t, dir)
			gittest.Git(t, dir, "fsck", "--strict", "--no-dangling")
		})
	}
}

func TestFirstCommit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "calendar")
	gittest.Git(t, filepath.Dir(dir), "init", "-q", "-b", "main", dir)
	gittest.WriteFiles(t, dir, map[string]string{"charter.yaml": "brand: x\n"}) // untracked, left alone
	s := openStore(t, dir, testOptions(func(string) string { return "" }))
	if !s.Head().IsZero() {
		t.Fatalf("Head of an empty repository = %s", s.Head())
	}
	if _, err := s.ReadFile("charter.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadFile in an empty repository = %v", err)
	}
	h, err := s.Commit(context.Background(), []Change{{Path: "state/a.json", Content: []byte("{}\n")}}, "publish: a")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-list", "--parents", "main")); got != h.String() {
		t.Errorf("main = %q, want the root commit %s", got, h)
	}
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != "?? charter.yaml\n" {
		t.Errorf("git status:\n%s", got)
	}
}

func TestUnbornBranchWithRemote(t *testing.T) {
	t.Parallel()
	gs := gittest.NewServer(t, token)
	gs.Seed(t, calendar)
	dir := filepath.Join(t.TempDir(), "calendar")
	gittest.Git(t, filepath.Dir(dir), "init", "-q", "-b", "main", dir)
	gittest.Git(t, dir, "remote", "add", "origin", gs.URL)
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	h, err := s.CommitAndPush(ctx, outboxA, "publish: a", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")); got != h.String() {
		t.Errorf("HEAD = %s, want %s", got, h)
	}
	if got := readFile(t, filepath.Join(dir, "charter.yaml")); got != calendar["charter.yaml"] {
		t.Errorf("charter.yaml = %q", got)
	}
	assertClean(t, dir)
}
