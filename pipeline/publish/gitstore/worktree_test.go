package gitstore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// localRepo is a repository without a remote holding the calendar.
func localRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "calendar")
	gittest.Git(t, filepath.Dir(dir), "init", "-q", "-b", "main", dir)
	gittest.Commit(t, dir, files, "seed")
	return dir
}

func TestCommitLocalRepository(t *testing.T) {
	t.Parallel()
	dir := localRepo(t, calendar)
	ctx := context.Background()
	s := openStore(t, dir, testOptions(func(string) string { return "" }))
	if !s.Local() {
		t.Fatal("a repository without a remote is not local")
	}
	seed := s.Head()
	h, err := s.Commit(ctx, []Change{
		{Path: "state/2026/12/avent-1.json", Delete: true}, // its folders empty: removed too
		{Path: "outbox/avent-1.json", Content: []byte("{}\n")},
		{Path: "public/feed.xml", Content: []byte("<feed/>\n")},
	}, "publish: avent-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD", "HEAD^")); got != h.String()+"\n"+seed.String() {
		t.Fatalf("HEAD, HEAD^ = %s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "state")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state/ is left behind empty: %v", err)
	}
	if got := readFile(t, filepath.Join(dir, "public/feed.xml")); got != "<feed/>\n" {
		t.Errorf("feed = %q", got)
	}
	assertClean(t, dir)
	// Same content again: no commit.
	again, err := s.Commit(ctx, []Change{{Path: "public/feed.xml", Content: []byte("<feed/>\n")}}, "publish: nothing")
	if err != nil || again != h {
		t.Errorf("Commit of unchanged content = %s, %v; want %s and no commit", again, err, h)
	}
	if err := s.Push(ctx); err != nil {
		t.Errorf("Push of a local store: %v", err)
	}
	gittest.Git(t, dir, "fsck", "--strict", "--no-dangling")
}

func TestNoPushLeavesTheRemoteAlone(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	pushes := gs.Pushes()
	opts := testOptions(gs.Getenv())
	opts.NoPush = true
	s := openStore(t, dir, opts)
	if !s.Local() {
		t.Fatal("NoPush store is not local")
	}
	ctx := context.Background()
	h, err := s.CommitAndPush(ctx, outboxA, "publish: a", 3)
	if err != nil {
		t.Fatal(err)
	}
	if gs.Pushes() != pushes {
		t.Error("a NoPush store pushed")
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")); got != h.String() {
		t.Errorf("HEAD = %s, want %s", got, h)
	}
	assertClean(t, dir)
}

func TestLocalEditsAreNotOverwritten(t *testing.T) {
	t.Parallel()
	const path = "state/2026/12/avent-1.json"
	herald := []Change{{Path: path, Content: []byte("{\"accounts\": {\"feed\": {}}}\n")}, {Path: "state/2026/12/avent-2.json", Content: []byte("{}\n")}}
	tests := []struct {
		name  string
		edit  func(t *testing.T, dir string)
		want  string // in the error; "" when the commit goes through
		check func(t *testing.T, dir string)
	}{
		{
			name: "modified in the worktree",
			edit: func(t *testing.T, dir string) { gittest.WriteFiles(t, dir, map[string]string{path: "mine\n"}) },
			want: path + " (modified)",
		},
		{
			name: "staged",
			edit: func(t *testing.T, dir string) {
				gittest.WriteFiles(t, dir, map[string]string{path: "mine\n"})
				gittest.Git(t, dir, "add", path)
				gittest.WriteFiles(t, dir, map[string]string{path: calendar[path]})
			},
			want: path + " (staged changes)",
		},
		{
			name: "deleted",
			edit: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, path)) },
			want: path + " (deleted)",
		},
		{
			name: "untracked file in the way",
			edit: func(t *testing.T, dir string) {
				gittest.WriteFiles(t, dir, map[string]string{"state/2026/12/avent-2.json": "mine\n"})
			},
			want: "state/2026/12/avent-2.json (an untracked file is in the way)",
		},
		{
			name: "symbolic link on the way",
			edit: func(t *testing.T, dir string) {
				outside := t.TempDir()
				os.RemoveAll(filepath.Join(dir, "state/2026/12"))
				if err := os.Symlink(outside, filepath.Join(dir, "state/2026/12")); err != nil {
					t.Fatal(err)
				}
			},
			want: "(state/2026/12 is a symbolic link)",
		},
		{
			name: "symbolic link in place of the file",
			edit: func(t *testing.T, dir string) {
				outside := filepath.Join(t.TempDir(), "outside.json")
				gittest.WriteFiles(t, filepath.Dir(outside), map[string]string{"outside.json": calendar[path]})
				os.Remove(filepath.Join(dir, path))
				if err := os.Symlink(outside, filepath.Join(dir, path)); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() {
					if got := readFile(t, outside); got != calendar[path] {
						t.Errorf("the file outside was written: %q", got)
					}
				})
			},
			want: path + " (a symbolic link is in the way)",
		},
		{
			name: "git is running",
			edit: func(t *testing.T, dir string) { gittest.WriteFiles(t, dir, map[string]string{".git/index.lock": ""}) },
			want: "index.lock exists: another git process seems to be running",
		},
		{
			name: "an unrelated edit is kept",
			edit: func(t *testing.T, dir string) {
				gittest.WriteFiles(t, dir, map[string]string{"posts/2026/12/avent-1.md": "my draft\n"})
			},
			check: func(t *testing.T, dir string) {
				if got := gittest.Git(t, dir, "status", "--porcelain"); got != " M posts/2026/12/avent-1.md\n" {
					t.Errorf("git status:\n%s", got)
				}
			},
		},
		{
			name: "Herald's own content from an interrupted run",
			edit: func(t *testing.T, dir string) {
				gittest.WriteFiles(t, dir, map[string]string{path: string(herald[0].Content)})
				gittest.Git(t, dir, "add", path)
			},
			check: func(t *testing.T, dir string) { assertClean(t, dir) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := localRepo(t, calendar)
			s := openStore(t, dir, testOptions(func(string) string { return "" }))
			head := s.Head()
			tt.edit(t, dir)
			before := gittest.Git(t, dir, "status", "--porcelain", "--untracked-files=all")
			_, err := s.Commit(context.Background(), herald, "publish: avent-1")
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				tt.check(t, dir)
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Commit = %v, want an error with %q", err, tt.want)
			}
			if !errors.Is(err, ErrLocalChanges) && !strings.Contains(tt.want, "index.lock") {
				t.Errorf("Commit = %v, want ErrLocalChanges", err)
			}
			t.Log(err)
			if s.Head() != head || strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")) != head.String() {
				t.Error("the branch moved")
			}
			if after := gittest.Git(t, dir, "status", "--porcelain", "--untracked-files=all"); after != before {
				t.Errorf("git status changed from\n%s\nto\n%s", before, after)
			}
		})
	}
}

func TestLocalBranchMovedMeanwhile(t *testing.T) {
	t.Parallel()
	dir := localRepo(t, calendar)
	ctx := context.Background()
	s := openStore(t, dir, testOptions(func(string) string { return "" }))
	// A writer commits after Herald read the branch.
	writer := gittest.Commit(t, dir, map[string]string{"posts/late.md": "late\n"}, "writer: late post")
	n := 0
	h, err := s.CommitAndPush(ctx, func(base Reader) ([]Change, error) {
		n++
		return outboxA(base)
	}, "publish: a", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD^")); n != 2 || got != writer {
		t.Errorf("after %d attempts HEAD^ = %s, want the writer's %s", n, got, writer)
	}
	if h.String() != strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")) {
		t.Error("HEAD is not the commit made")
	}
	assertClean(t, dir)
}

func TestBehindTheRemote(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	// The remote moves after the checkout, before Herald fetches.
	writer := gs.HumanCommit(t, map[string]string{"posts/2026/12/avent-3.md": "Jour 3\n", "posts/2026/12/avent-1.md": "Jour 1 bis\n"}, "writer: day 3")
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	h, err := s.CommitAndPush(ctx, func(Reader) ([]Change, error) {
		return []Change{{Path: "state/2026/12/avent-3.json", Content: []byte("{}\n")}}, nil
	}, "publish: avent-3", 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD", "HEAD^")); got != h.String()+"\n"+writer {
		t.Errorf("HEAD, HEAD^ = %s, want %s on the writer's %s", got, h, writer)
	}
	if got := readFile(t, filepath.Join(dir, "posts/2026/12/avent-1.md")); got != "Jour 1 bis\n" {
		t.Errorf("the checkout did not follow the writer's change: %q", got)
	}
	assertClean(t, dir)
}

func TestCheckoutFollowsLinksAndModes(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, map[string]string{"charter.yaml": "brand: x\n", "bin/hook.sh": "#!/bin/sh\n", "media/old.txt": "old\n"})
	// A writer adds a symbolic link, makes a file executable and turns a
	// file into a folder; the checkout follows when Herald commits.
	writer := gs.Clone(t)
	gittest.Git(t, writer, "rm", "-q", "media/old.txt")
	gittest.WriteFiles(t, writer, map[string]string{"media/old.txt/inside.txt": "inside\n"})
	if err := os.Symlink("../charter.yaml", filepath.Join(writer, "media/charter-link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(writer, "bin/hook.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	gittest.Commit(t, writer, nil, "writer: links and modes")
	gs.Human(t, writer, "push", "-q", "origin", "HEAD:main")

	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	if _, err := s.CommitAndPush(ctx, func(Reader) ([]Change, error) {
		return []Change{{Path: "bin/hook.sh", Content: []byte("#!/bin/sh\necho herald\n")}}, nil
	}, "publish: hook", 1); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(filepath.Join(dir, "media/charter-link")); err != nil || target != "../charter.yaml" {
		t.Errorf("link = %q, %v", target, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "bin/hook.sh")); err != nil || fi.Mode().Perm()&0o100 == 0 {
		t.Errorf("hook.sh is not executable: %v %v", fi.Mode(), err)
	}
	if got := gittest.Git(t, gs.Bare, "ls-tree", "main", "bin/hook.sh"); !strings.HasPrefix(got, "100755 ") {
		t.Errorf("Herald's commit lost the executable mode: %s", got)
	}
	if got := readFile(t, filepath.Join(dir, "media/old.txt/inside.txt")); got != "inside\n" {
		t.Errorf("inside.txt = %q", got)
	}
	assertClean(t, dir)
}

func TestDivergedLocalBranch(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	local := gittest.Commit(t, dir, map[string]string{"posts/mine.md": "not pushed\n"}, "writer: not pushed yet")
	s := openStore(t, dir, testOptions(gs.Getenv()))
	_, err := s.Commit(context.Background(), []Change{{Path: "outbox/a.json", Content: []byte("{}\n")}}, "publish: a")
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("Commit = %v, want ErrDiverged", err)
	}
	t.Log(err)
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")); got != local {
		t.Errorf("HEAD moved to %s", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "outbox")); !errors.Is(err, os.ErrNotExist) {
		t.Error("the worktree was written")
	}
}

func TestShallowCheckout(t *testing.T) {
	t.Parallel()
	gs := gittest.NewServer(t, token)
	gs.Seed(t, calendar)
	for i := 0; i < 3; i++ {
		gs.HumanCommit(t, map[string]string{"posts/2026/12/avent-1.md": strings.Repeat("x", i+1) + "\n"}, "writer: edit")
	}
	dir := gs.Clone(t, "--depth", "1") // what actions/checkout does by default
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	n := 0
	h, err := s.CommitAndPush(ctx, func(base Reader) ([]Change, error) {
		if n++; n == 1 {
			gs.HumanCommit(t, map[string]string{"posts/late.md": "late\n"}, "writer: late")
		}
		return outboxA(base)
	}, "publish: a", 3)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
	if got := gittest.Git(t, gs.Bare, "log", "-2", "--format=%s", h.String()); got != "publish: a\nwriter: late\n" {
		t.Errorf("remote history:\n%s", got)
	}
	assertClean(t, dir)
}

func TestPushCreatesTheRemoteBranch(t *testing.T) {
	t.Parallel()
	gs := gittest.NewServer(t, token)
	dir := localRepo(t, calendar)
	gittest.Git(t, dir, "remote", "add", "origin", gs.URL)
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	h, err := s.CommitAndPush(ctx, outboxA, "publish: a", 1)
	if err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
	if got := gittest.Git(t, gs.Bare, "log", "--format=%s", "main"); got != "publish: a\nseed\n" || !strings.HasPrefix(gittest.Git(t, gs.Bare, "rev-parse", "main"), h.String()) {
		t.Errorf("remote history:\n%s", got)
	}
}
