// Package journal is where a calendar's state/ files are read and
// written: the head of the calendar's git branch, committed and pushed
// without ever forcing, or the calendar's folder outside git. publish and
// stats both journal through it.
package journal

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish/gitstore"
	"github.com/herald-social/herald/pipeline/state"
)

// pushAttempts is how many times a commit is built again on a remote that
// moved before the run gives up.
const pushAttempts = 5

// Journal is where a calendar's state/ files are read and written: at the
// head of the calendar's git branch, where every change is a commit pushed
// without ever forcing (a rejected push builds the changes again on the
// new head), or in the calendar's folder when it is not in git. publish
// and stats share it.
type Journal struct {
	root   string          // the calendar root
	git    *gitstore.Store // nil outside git
	prefix string          // the calendar root, relative to the repository root: "" or "brands/a/"
}

// Open opens the journal of the calendar at root (absolute).
// Outside a git repository it says so on opts.Log and works on the folder.
func Open(ctx context.Context, root string, opts gitstore.Options) (*Journal, error) {
	j := &Journal{root: root}
	store, err := gitstore.Open(ctx, root, opts)
	switch {
	case errors.Is(err, gitstore.ErrNotRepository):
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "%s is not in a git repository: the journal is written to state/ but nothing is committed\n", root)
		}
		return j, nil
	case err != nil:
		return nil, err
	}
	rel, err := filepath.Rel(store.Root(), root)
	if err != nil {
		store.Close()
		return nil, err
	}
	if rel = filepath.ToSlash(rel); rel != "." {
		j.prefix = rel + "/"
	}
	j.git = store
	return j, nil
}

// Close releases the repository.
func (j *Journal) Close() error {
	if j.git == nil {
		return nil
	}
	return j.git.Close()
}

// Repository is where the journal is committed: the repository's root and
// branch, or "" outside git.
func (j *Journal) Repository() string {
	if j.git == nil {
		return ""
	}
	return j.git.Root() + " (" + j.git.Branch() + ")"
}

// Pushed reports whether commits go to a remote.
func (j *Journal) Pushed() bool { return j.git != nil && !j.git.Local() }

// Fetch reads the remote branch; outside git it does nothing.
func (j *Journal) Fetch(ctx context.Context) error {
	if j.git == nil {
		return nil
	}
	return j.git.Fetch(ctx)
}

// Base is the calendar as the journal sees it: the base commit's tree in
// git (the remote head as last fetched, then each commit made), else the
// folder.
func (j *Journal) Base() fs.FS {
	if j.git == nil {
		return os.DirFS(j.root)
	}
	return j.sub(j.git.Snapshot())
}

// sub is the calendar inside a tree of the repository.
func (j *Journal) sub(tree fs.FS) fs.FS {
	if j.prefix == "" {
		return tree
	}
	sub, err := fs.Sub(tree, strings.TrimSuffix(j.prefix, "/"))
	if err != nil {
		return tree // cannot happen: the prefix is a valid path
	}
	return sub
}

// Changes computes herald's changes on base (the calendar at a commit, or
// its folder): state files by post id, and other files by name (slash
// paths relative to the calendar root). It may be called more than once,
// on a newer base each time, and must then compute its changes again from
// that base alone, leaving everything else as it is there.
type Changes func(base fs.FS) (states map[string]*state.File, files map[string][]byte, err error)

// Commit writes the changes: one commit pushed in git (its short hash,
// "" when the changes leave every file as it is), else the files in the
// folder ("").
func (j *Journal) Commit(ctx context.Context, msg string, changes Changes) (string, error) {
	if j.git == nil {
		states, files, err := changes(j.Base())
		if err != nil {
			return "", err
		}
		cs, err := j.encode(states, files)
		if err != nil {
			return "", err
		}
		dir := networks.DirStore{Root: j.root}
		for _, c := range cs {
			if err := dir.WriteFile(c.Path, c.Content); err != nil {
				return "", err
			}
		}
		return "", nil
	}
	made := false // whether the last changes computed change anything
	h, err := j.git.CommitAndPush(ctx, func(base gitstore.Reader) ([]gitstore.Change, error) {
		states, files, err := changes(j.sub(base))
		if err != nil {
			return nil, err
		}
		made = len(states)+len(files) > 0
		return j.encode(states, files)
	}, msg, pushAttempts)
	if err != nil {
		return "", fmt.Errorf("journal: %w", err)
	}
	if !made {
		return "", nil // another run did it all meanwhile: h is its commit
	}
	return h.String()[:7], nil
}

// encode turns changes into the repository's paths and contents, sorted.
func (j *Journal) encode(states map[string]*state.File, files map[string][]byte) ([]gitstore.Change, error) {
	var out []gitstore.Change
	for id, f := range states {
		name, err := state.Path(id)
		if err != nil {
			return nil, err
		}
		data, err := state.Encode(f)
		if err != nil {
			return nil, err
		}
		out = append(out, gitstore.Change{Path: j.prefix + name, Content: data})
	}
	for name, data := range files {
		out = append(out, gitstore.Change{Path: j.prefix + name, Content: data})
	}
	slices.SortFunc(out, func(a, b gitstore.Change) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// GitOptions fills the repository options of a run from its own:
// --no-push, the environment, the wall clock and the log.
func GitOptions(opts gitstore.Options, noPush bool, getenv func(string) string, wall func() time.Time, log io.Writer) gitstore.Options {
	opts.NoPush = opts.NoPush || noPush
	if opts.Getenv == nil {
		opts.Getenv = getenv
	}
	if opts.Now == nil {
		opts.Now = wall
	}
	if opts.Log == nil {
		opts.Log = log
	}
	return opts
}
