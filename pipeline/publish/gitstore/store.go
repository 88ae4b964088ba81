// Package gitstore reads the calendar at the head of its branch and records
// Herald's own file changes (state files, outbox files, the feed) as commits,
// built directly from blobs and trees with go-git, and pushes them.
//
// A Store works on one branch of one repository. Its base is the commit the
// next Commit builds on: the remote branch as last fetched (or the local
// branch when there is no remote or with NoPush), then each commit made.
// Reading goes through the base's tree, never the worktree, so what Herald
// computes is what the remote holds.
//
// Commit rewrites only the trees along the changed paths. It then moves the
// local branch and, when that branch is checked out, writes the changed
// files and their index entries, so a local run leaves `git status` clean.
// A changed path that has local edits (in the worktree or staged) that are
// neither the base's content nor Herald's new content is never overwritten:
// Commit refuses with ErrLocalChanges and names the files, before anything
// is written; commit or discard those edits and run again.
//
// Push never forces: it updates the remote branch only from the commit it
// built on. When someone pushed meanwhile it returns ErrRejected, and
// CommitAndPush fetches, asks its caller for the changes again on the new
// head, and retries, so the other commit is kept as it is.
package gitstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Default author of Herald's commits.
const (
	DefaultAuthorName  = "herald"
	DefaultAuthorEmail = "herald@users.noreply.github.com"
)

var (
	// ErrNotRepository: the directory is not inside a git repository.
	ErrNotRepository = errors.New("not in a git repository")
	// ErrRejected: the branch moved meanwhile (someone pushed, or committed
	// locally); fetch and build the changes again on the new head.
	ErrRejected = errors.New("the branch moved meanwhile")
	// ErrLocalChanges: a changed path has local edits that Commit will not
	// overwrite. The error names the paths.
	ErrLocalChanges = errors.New("local changes would be overwritten")
	// ErrDiverged: the local branch has commits that are not on the remote.
	ErrDiverged = errors.New("the local branch has commits that are not on the remote")
	// ErrAuth: the server refused the credentials, or wanted some.
	ErrAuth = errors.New("authentication failed")
)

// Options configure a Store. The zero value works: remote "origin", the
// checked-out branch, the default author, the process environment and clock.
type Options struct {
	Remote string // default "origin"
	Branch string // default: the branch HEAD points to
	// NoPush works on the local branch alone: Fetch re-reads it and Push
	// does nothing. A repository without the remote works the same way.
	NoPush      bool
	AuthorName  string // default DefaultAuthorName
	AuthorEmail string // default DefaultAuthorEmail
	// Getenv looks credentials up (see auth.go); default os.Getenv.
	Getenv func(string) string
	// Now dates commits; default time.Now.
	Now func() time.Time
	// Backoff is the first wait of CommitAndPush after a rejected push,
	// doubled at each attempt; default 200ms.
	Backoff time.Duration
	// Log receives one line per fetch, commit and push; default discarded.
	Log io.Writer
}

// Store records commits on one branch of a repository. It is not safe for
// concurrent use.
type Store struct {
	opts     Options
	repo     *git.Repository
	storage  *filesystem.Storage
	gitDir   string // holds index and index.lock
	worktree string // "" for a bare repository
	branch   plumbing.ReferenceName
	tracking plumbing.ReferenceName // refs/remotes/<remote>/<branch>
	url      string                 // "" when local
	secrets  []string

	base       plumbing.Hash // what the next commit builds on
	remoteHead plumbing.Hash // the remote branch as last fetched or pushed
	// pending holds every object written by the commits since remoteHead,
	// which is all a push must send when covered is true.
	pending []plumbing.Hash
	covered bool
	ours    map[plumbing.Hash]bool // commits this store made
	trees   *treeCache
	snap    *Snapshot // of base
}

// Open finds the repository holding dir (dir or one of its parents) and
// returns a Store on its branch. Outside a repository the error wraps
// ErrNotRepository.
func Open(ctx context.Context, dir string, opts Options) (*Store, error) {
	if opts.Remote == "" {
		opts.Remote = "origin"
	}
	if opts.AuthorName == "" {
		opts.AuthorName = DefaultAuthorName
	}
	if opts.AuthorEmail == "" {
		opts.AuthorEmail = DefaultAuthorEmail
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Backoff == 0 {
		opts.Backoff = 200 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("gitstore: %s: %w (run git init there, or expect nothing to be committed)", dir, ErrNotRepository)
	}
	if err != nil {
		return nil, fmt.Errorf("gitstore: open the repository holding %s: %w", dir, err)
	}
	found, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return nil, fmt.Errorf("gitstore: %s: unsupported repository storage", dir)
	}
	wt, err := repo.Worktree()
	if err != nil && !errors.Is(err, git.ErrIsBareRepository) {
		return nil, fmt.Errorf("gitstore: %s: %w", dir, err)
	}
	// Open it again keeping the packs open: reading a calendar's files
	// would otherwise open the pack once per object.
	st := filesystem.NewStorageWithOptions(found.Filesystem(), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
	if wt != nil {
		repo, err = git.Open(st, wt.Filesystem)
	} else {
		repo, err = git.Open(st, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("gitstore: open the repository holding %s: %w", dir, err)
	}
	s := &Store{
		opts:    opts,
		repo:    repo,
		storage: st,
		gitDir:  st.Filesystem().Root(),
		ours:    map[plumbing.Hash]bool{},
		trees:   newTreeCache(st),
	}
	if wt != nil {
		s.worktree = wt.Filesystem.Root()
	}
	if err := s.resolveBranch(); err != nil {
		return nil, err
	}
	if !opts.NoPush {
		if r, err := repo.Remote(opts.Remote); err == nil && len(r.Config().URLs) > 0 {
			s.url = r.Config().URLs[0]
			s.tracking = plumbing.NewRemoteReferenceName(opts.Remote, s.branch.Short())
			s.secrets = secretsOf(opts.Getenv, s.url)
		}
	}
	if err := s.reset(); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the files the store keeps open.
func (s *Store) Close() error { return s.storage.Close() }

func (s *Store) resolveBranch() error {
	if s.opts.Branch != "" {
		s.branch = plumbing.NewBranchReferenceName(s.opts.Branch)
		return nil
	}
	head, err := s.repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		return fmt.Errorf("gitstore: read HEAD: %w", err)
	}
	if head.Type() != plumbing.SymbolicReference || !head.Target().IsBranch() {
		return fmt.Errorf("gitstore: HEAD is detached at %s: check a branch out, or name the branch to publish on", head.Hash())
	}
	s.branch = head.Target()
	return nil
}

// reset sets the base to the remote branch as last fetched, or to the local
// branch when local or when the remote branch is unknown.
func (s *Store) reset() error {
	s.pending, s.covered = nil, false
	s.remoteHead = plumbing.ZeroHash
	if !s.Local() {
		h, err := s.refHash(s.tracking)
		if err != nil {
			return err
		}
		if !h.IsZero() {
			s.remoteHead, s.base, s.covered = h, h, true
			return nil
		}
	}
	h, err := s.refHash(s.branch)
	if err != nil {
		return err
	}
	s.base = h
	return nil
}

// refHash is the commit a reference points to, zero when it does not exist.
func (s *Store) refHash(name plumbing.ReferenceName) (plumbing.Hash, error) {
	ref, err := s.repo.Storer.Reference(name)
	if errors.Is(err, plumbing.ErrReferenceNotFound) {
		return plumbing.ZeroHash, nil
	}
	if err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gitstore: read %s: %w", name, err)
	}
	return ref.Hash(), nil
}

// Local reports whether the store works on the local branch alone (NoPush,
// or no such remote): nothing is fetched or pushed.
func (s *Store) Local() bool { return s.url == "" }

// Branch is the short name of the branch the store commits to.
func (s *Store) Branch() string { return s.branch.Short() }

// Root is the worktree's directory, "" for a bare repository.
func (s *Store) Root() string { return s.worktree }

// Head is the base commit: the remote branch as last fetched (the local
// branch when local), or the last commit made. Zero for a branch with no
// commit yet.
func (s *Store) Head() plumbing.Hash { return s.base }

// Snapshot is the base commit's tree, to read files from.
func (s *Store) Snapshot() *Snapshot {
	if s.snap == nil || s.snap.head != s.base {
		s.snap = newSnapshot(s.trees, s.base)
	}
	return s.snap
}

// ReadFile reads a file (slash path from the repository root) at the base
// commit. A missing file is an error satisfying errors.Is(err, fs.ErrNotExist).
func (s *Store) ReadFile(path string) ([]byte, error) { return s.Snapshot().ReadFile(path) }

// Fetch updates the base to the remote branch's head. Commits not pushed
// yet are dropped (CommitAndPush builds them again). When local, Fetch
// re-reads the local branch.
func (s *Store) Fetch(ctx context.Context) error {
	if s.Local() {
		return s.reset()
	}
	auth, err := s.auth()
	if err != nil {
		return err
	}
	spec := fmt.Sprintf("+%s:%s", s.branch, s.tracking)
	err = s.repo.FetchContext(ctx, &git.FetchOptions{
		RemoteName: s.opts.Remote,
		RefSpecs:   []config.RefSpec{config.RefSpec(spec)},
		Auth:       auth,
		Tags:       git.NoTags,
	})
	var noMatch git.NoMatchingRefSpecError
	switch {
	case err == nil, errors.Is(err, git.NoErrAlreadyUpToDate):
	case errors.As(err, &noMatch), errors.Is(err, transport.ErrEmptyRemoteRepository):
		// The remote has no such branch yet: the first push creates it.
		if err := s.repo.Storer.RemoveReference(s.tracking); err != nil {
			return fmt.Errorf("gitstore: %w", err)
		}
	default:
		return s.remoteError("fetch from", err)
	}
	if err := s.reset(); err != nil {
		return err
	}
	fmt.Fprintf(s.opts.Log, "gitstore: fetched %s: %s\n", s.tracking.Short(), short(s.base))
	return nil
}

// commitObject reads a commit, nil for the zero hash.
func (s *Store) commitObject(h plumbing.Hash) (*object.Commit, error) {
	if h.IsZero() {
		return nil, nil
	}
	c, err := object.GetCommit(s.repo.Storer, h)
	if err != nil {
		return nil, fmt.Errorf("gitstore: read commit %s: %w", h, err)
	}
	return c, nil
}

func short(h plumbing.Hash) string {
	if h.IsZero() {
		return "(no commit)"
	}
	return h.String()[:12]
}

// abs turns a slash path from the repository root into a worktree path.
func (s *Store) abs(path string) string {
	return filepath.Join(s.worktree, filepath.FromSlash(path))
}
