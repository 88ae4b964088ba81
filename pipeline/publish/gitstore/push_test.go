package gitstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

const token = "ghs_s3cr3tT0kenValue"

var calendar = map[string]string{
	"charter.yaml":               "brand: Maison Exemple\n",
	"posts/2026/12/avent-1.md":   "---\ndate: 2026-12-01T09:00:00+01:00\n---\nJour 1\n",
	"posts/2026/12/avent-2.md":   "---\ndate: 2026-12-02T09:00:00+01:00\n---\nJour 2\n",
	"state/2026/12/avent-1.json": "{\"accounts\": {}}\n",
}

// assertClean checks that git finds the checkout at HEAD, index and files
// alike, without refreshing the index first (diff-files trusts the stat
// data Herald wrote).
func assertClean(t *testing.T, dir string) {
	t.Helper()
	if out := gittest.Git(t, dir, "diff-files", "--name-status"); out != "" {
		t.Errorf("worktree differs from the index (stat data or content):\n%s", out)
	}
	if out := gittest.Git(t, dir, "diff-index", "--cached", "--name-status", "HEAD"); out != "" {
		t.Errorf("index differs from HEAD:\n%s", out)
	}
	if out := gittest.Git(t, dir, "status", "--porcelain"); out != "" {
		t.Errorf("git status is not clean:\n%s", out)
	}
}

func TestCommitAndPushFastForward(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	pushes := gs.Pushes()
	ctx := context.Background()
	s := openStore(t, filepath.Join(dir, "posts"), testOptions(gs.Getenv()))
	if s.Local() || s.Branch() != "main" || s.Root() != dir {
		t.Fatalf("Open: local=%v branch=%q root=%q", s.Local(), s.Branch(), s.Root())
	}
	if err := s.Fetch(ctx); err != nil {
		t.Fatal(err)
	}
	remote := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main"))
	if s.Head().String() != remote {
		t.Fatalf("Head = %s, want the remote's %s", s.Head(), remote)
	}
	h, err := s.Commit(ctx, []Change{
		{Path: "state/2026/12/avent-1.json", Content: []byte("{\"accounts\": {\"feed\": {\"status\": \"publishing\"}}}\n")},
		{Path: "state/2026/12/avent-2.json", Content: []byte("{\"accounts\": {\"feed\": {\"status\": \"publishing\"}}}\n")},
		{Path: "outbox/avent-0.json", Delete: true}, // absent: left alone
	}, "publish: 2 intents\n\nfeed: avent-1, avent-2")
	if err != nil {
		t.Fatal(err)
	}
	if h != s.Head() {
		t.Fatalf("Commit returned %s, Head is %s", h, s.Head())
	}
	if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main")); got != remote {
		t.Fatalf("the remote moved before Push: %s", got)
	}
	if err := s.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main")); got != h.String() {
		t.Fatalf("remote main = %s, want %s", got, h)
	}
	if err := s.Push(ctx); err != nil {
		t.Fatalf("a second Push with nothing new: %v", err)
	}
	if n := gs.Pushes() - pushes; n != 1 {
		t.Errorf("%d receive-pack requests, want 1", n)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
	got := gittest.Git(t, gs.Bare, "log", "-1", "--format=%an <%ae>|%cn <%ce>|%aI|%P|%B", "main")
	want := fmt.Sprintf("herald <herald@users.noreply.github.com>|herald <herald@users.noreply.github.com>|2026-12-01T09:00:00+01:00|%s|publish: 2 intents\n\nfeed: avent-1, avent-2\n\n", remote)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commit (-want +got):\n%s", diff)
	}
	if got := gittest.Git(t, gs.Bare, "diff", "--name-status", remote, "main"); got != "M\tstate/2026/12/avent-1.json\nA\tstate/2026/12/avent-2.json\n" {
		t.Errorf("commit changes:\n%s", got)
	}
	// The checkout follows: branch, remote-tracking branch, files and index.
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD", "origin/main")); got != h.String()+"\n"+h.String() {
		t.Errorf("HEAD and origin/main = %s, want %s", got, h)
	}
	if got := readFile(t, filepath.Join(dir, "state/2026/12/avent-2.json")); !strings.Contains(got, "publishing") {
		t.Errorf("worktree file = %q", got)
	}
	assertClean(t, dir)
	if gs.Refused() != 0 {
		t.Errorf("the server refused %d requests", gs.Refused())
	}
}

func TestRejectedPushIsAppliedAgainOnTop(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, map[string]string{
		"charter.yaml":      "brand: Maison Exemple\n",
		"posts/avent-1.md":  "Jour 1\n",
		"state/journal.log": "seed\n",
	})
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())

	// Herald's change depends on the base: it appends to the journal as the
	// base has it. A writer pushes between Herald's fetch and its push.
	var human string
	var bases []string
	changes := func(base Reader) ([]Change, error) {
		bases = append(bases, base.Head().String())
		if human == "" {
			human = gs.HumanCommit(t, map[string]string{
				"posts/avent-1.md":  "Jour 1, corrigé\n",
				"posts/avent-2.md":  "Jour 2\n",
				"state/journal.log": "seed\nwriter\n",
			}, "writer: fix day 1, add day 2")
		}
		journal, err := base.ReadFile("state/journal.log")
		if err != nil {
			return nil, err
		}
		return []Change{
			{Path: "state/journal.log", Content: append(journal, "herald\n"...)},
			{Path: "outbox/avent-1.json", Content: []byte("{\"post\": \"avent-1\"}\n")},
		}, nil
	}
	humanTree := func() string { return gittest.Git(t, gs.Bare, "ls-tree", "-r", human) }
	h, err := s.CommitAndPush(ctx, changes, "publish: avent-1 to outbox", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(bases) != 2 || bases[1] != human {
		t.Fatalf("changes saw bases %v, want the seed then the writer's %s", bases, human)
	}
	if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main", "main^")); got != h.String()+"\n"+human {
		t.Fatalf("remote main and its parent = %s, want %s on the writer's %s", got, h, human)
	}
	// The writer's commit is untouched and in the history; Herald's commit
	// changes only Herald's files, on top of the writer's.
	if got := gittest.Git(t, gs.Bare, "log", "--format=%an: %s", "main"); got != "herald: publish: avent-1 to outbox\nHuman Writer: writer: fix day 1, add day 2\nHuman Writer: seed the calendar\n" {
		t.Errorf("history:\n%s", got)
	}
	if got := gittest.Git(t, gs.Bare, "show", "main:posts/avent-1.md"); got != "Jour 1, corrigé\n" {
		t.Errorf("the writer's post = %q", got)
	}
	if got := gittest.Git(t, gs.Bare, "show", "main:state/journal.log"); got != "seed\nwriter\nherald\n" {
		t.Errorf("journal = %q, want the writer's line then Herald's", got)
	}
	if got := gittest.Git(t, gs.Bare, "diff", "--name-only", human, "main"); got != "outbox/avent-1.json\nstate/journal.log\n" {
		t.Errorf("Herald's commit changes:\n%s", got)
	}
	if before, after := humanTree(), humanTree(); before != after || !strings.Contains(before, "posts/avent-2.md") {
		t.Errorf("the writer's tree:\n%s", before)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
	// The checkout is at the pushed commit, with the writer's files.
	if got := strings.TrimSpace(gittest.Git(t, dir, "rev-parse", "HEAD")); got != h.String() {
		t.Errorf("checkout HEAD = %s, want %s", got, h)
	}
	if got := readFile(t, filepath.Join(dir, "posts/avent-2.md")); got != "Jour 2\n" {
		t.Errorf("checkout lacks the writer's post: %q", got)
	}
	assertClean(t, dir)
}

func TestPushRejectedWhenRemoteMoved(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	if _, err := s.Commit(ctx, []Change{{Path: "state/x.json", Content: []byte("{}\n")}}, "publish: x"); err != nil {
		t.Fatal(err)
	}
	human := gs.HumanCommit(t, map[string]string{"posts/new.md": "new\n"}, "writer: new post")
	err := s.Push(ctx)
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("Push = %v, want ErrRejected", err)
	}
	if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main")); got != human {
		t.Fatalf("remote main = %s after a rejected push, want the writer's %s", got, human)
	}
	// CommitAndPush gives up after maxAttempts when the remote keeps moving.
	n := 0
	_, err = s.CommitAndPush(ctx, func(Reader) ([]Change, error) {
		n++
		gs.HumanCommit(t, map[string]string{fmt.Sprintf("posts/p%d.md", n): "p\n"}, "writer: another")
		return []Change{{Path: "state/x.json", Content: []byte(fmt.Sprintf("{\"n\": %d}\n", n))}}, nil
	}, "publish: x", 2)
	if !errors.Is(err, ErrRejected) || n != 2 || !strings.Contains(err.Error(), "after 2 attempts") {
		t.Fatalf("CommitAndPush = %v after %d attempts, want ErrRejected after 2", err, n)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict")
}

func TestPushLosesTheRaceAtReceivePack(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	ctx := context.Background()
	s := fetchedStore(t, dir, gs.Getenv())
	// The refs Herald's push reads are current; the writer's push lands
	// after that, before git receive-pack takes Herald's update.
	var writer string
	gs.BeforeReceivePack(func() {
		writer = gs.HumanCommit(t, map[string]string{"posts/race.md": "won\n"}, "writer: won the race")
	})
	n := 0
	h, err := s.CommitAndPush(ctx, func(base Reader) ([]Change, error) {
		n++
		return outboxA(base)
	}, "publish: a", 3)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 || writer == "" {
		t.Fatalf("%d attempts (writer %q), want 2 after the writer's push", n, writer)
	}
	if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main", "main^")); got != h.String()+"\n"+writer {
		t.Errorf("remote main, main^ = %s, want %s on the writer's %s", got, h, writer)
	}
	if got := gittest.Git(t, gs.Bare, "show", "main:posts/race.md"); got != "won\n" {
		t.Errorf("the writer's file = %q", got)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
	assertClean(t, dir)
}

func TestAuthErrorsHideTheToken(t *testing.T) {
	t.Parallel()
	gs := gittest.NewServer(t, token)
	gs.Seed(t, calendar)
	ctx := context.Background()
	const wrong = "ghs_wr0ngT0kenValue"
	tests := []struct {
		name   string
		env    func(string) string
		url    string
		want   string
		secret string
	}{
		{name: "wrong GITHUB_TOKEN", env: gs.Getenv("GITHUB_TOKEN", wrong), want: "refused the credentials from GITHUB_TOKEN", secret: wrong},
		{name: "wrong HERALD_GIT_TOKEN", env: gs.Getenv("HERALD_GIT_TOKEN", wrong), want: "refused the credentials from HERALD_GIT_TOKEN", secret: wrong},
		{name: "no token", env: func(string) string { return "" }, want: "no credentials were given"},
		{name: "GITHUB_TOKEN is not sent to another host", env: gs.Getenv("GITHUB_SERVER_URL", "https://github.example"), want: "no credentials were given", secret: token},
		{name: "wrong token in the URL", env: func(string) string { return "" }, url: strings.Replace(gs.URL, "http://", "http://x-access-token:"+wrong+"@", 1), want: "refused the credentials from the remote's URL", secret: wrong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := gs.Clone(t)
			if tt.url != "" {
				gittest.Git(t, dir, "remote", "set-url", "origin", tt.url)
			}
			s := openStore(t, dir, testOptions(tt.env))
			err := s.Fetch(ctx)
			if !errors.Is(err, ErrAuth) {
				t.Fatalf("Fetch = %v, want ErrAuth", err)
			}
			if _, err := s.Commit(ctx, []Change{{Path: "state/a.json", Content: []byte("{}\n")}}, "publish"); err != nil {
				t.Fatal(err)
			}
			perr := s.Push(ctx)
			if !errors.Is(perr, ErrAuth) {
				t.Fatalf("Push = %v, want ErrAuth", perr)
			}
			for _, e := range []error{err, perr} {
				msg := e.Error()
				t.Log(msg)
				if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "/calendar.git") {
					t.Errorf("error %q does not say %q and where", msg, tt.want)
				}
				if tt.secret != "" && strings.Contains(msg, tt.secret) {
					t.Errorf("error shows the secret: %q", msg)
				}
				for u := errors.Unwrap(e); u != nil; u = errors.Unwrap(u) {
					if tt.secret != "" && strings.Contains(u.Error(), tt.secret) {
						t.Errorf("wrapped error shows the secret: %q", u.Error())
					}
				}
			}
		})
	}
	if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-list", "--count", "main")); got != "1" {
		t.Errorf("the remote has %s commits, want the seed alone", got)
	}
}

func TestCommitThousandFiles(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	ctx := context.Background()
	s := openStore(t, dir, testOptions(gs.Getenv()))
	changes := make([]Change, 1000)
	for i := range changes {
		changes[i] = Change{Path: fmt.Sprintf("state/2026/%02d/post-%04d.json", i%12+1, i), Content: []byte(fmt.Sprintf("{\"n\": %d}\n", i))}
	}
	changes = append(changes, Change{Path: "state/2026/12/avent-1.json", Delete: true})
	h, err := s.CommitAndPush(ctx, func(Reader) ([]Change, error) { return changes, nil }, "publish: 1000 posts", 1)
	if err != nil {
		t.Fatal(err)
	}
	gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
	files := strings.Fields(gittest.Git(t, gs.Bare, "ls-tree", "-r", "--name-only", h.String(), "state"))
	if len(files) != 1000 {
		t.Errorf("%d state files, want 1000", len(files))
	}
	if got := gittest.Git(t, gs.Bare, "show", h.String()+":state/2026/08/post-0007.json"); got != "{\"n\": 7}\n" {
		t.Errorf("post-0007 = %q", got)
	}
	if got := gittest.Git(t, gs.Bare, "diff", "--shortstat", "HEAD^", "HEAD"); !strings.Contains(got, "1001 files changed") {
		t.Errorf("diff: %s", got)
	}
	assertClean(t, dir)
}

func TestOpenOutsideRepository(t *testing.T) {
	t.Parallel()
	_, err := Open(context.Background(), t.TempDir(), Options{})
	if !errors.Is(err, ErrNotRepository) {
		t.Fatalf("Open = %v, want ErrNotRepository", err)
	}
}

func TestSnapshotReadsTheRemoteHead(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	human := gs.HumanCommit(t, map[string]string{"posts/2026/12/avent-3.md": "Jour 3\n"}, "writer: day 3")
	s := fetchedStore(t, dir, gs.Getenv())
	if s.Head().String() != human {
		t.Fatalf("Head = %s, want %s", s.Head(), human)
	}
	// The file is at the remote head, not in the checkout.
	got, err := s.ReadFile("posts/2026/12/avent-3.md")
	if err != nil || string(got) != "Jour 3\n" {
		t.Fatalf("ReadFile = %q, %v", got, err)
	}
	if _, err := s.ReadFile("posts/2026/12/avent-9.md"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadFile of a missing file = %v, want fs.ErrNotExist", err)
	}
	var paths []string
	err = fs.WalkDir(s.Snapshot(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"charter.yaml", "posts/2026/12/avent-1.md", "posts/2026/12/avent-2.md", "posts/2026/12/avent-3.md", "state/2026/12/avent-1.json"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestCanceled(t *testing.T) {
	t.Parallel()
	gs, dir := seededClone(t, calendar)
	s := openStore(t, dir, testOptions(gs.Getenv()))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Fetch(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Fetch = %v, want context.Canceled", err)
	}
	if _, err := s.Commit(ctx, []Change{{Path: "a", Content: []byte("a")}}, "publish"); !errors.Is(err, context.Canceled) {
		t.Errorf("Commit = %v, want context.Canceled", err)
	}
}
