package check

import (
	"fmt"
	"path/filepath"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/herald-social/herald/pipeline/load"
)

// changedSinceRev returns a test of whether a post differs from its version
// at rev (a branch, tag or commit of the repository holding root): a post
// is changed when rev has no file at its path or a different blob. Hashing
// the file on disk compares the working tree, uncommitted edits included,
// without a status scan of the whole worktree.
func changedSinceRev(root, rev string) (func(abs string, content []byte) bool, error) {
	repo, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{DetectDotGit: true})
	if err != nil {
		return nil, &load.UsageError{Err: fmt.Errorf("--changed-since: %s is not in a git repository: %v", root, err)}
	}
	wt, err := repo.Worktree()
	if err != nil {
		return nil, &load.UsageError{Err: fmt.Errorf("--changed-since: %v", err)}
	}
	top := wt.Filesystem.Root()
	hash, err := repo.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, &load.UsageError{Err: fmt.Errorf("--changed-since: unknown revision %q: %v (in CI, fetch it first: git fetch origin %s)", rev, err, rev)}
	}
	commit, err := repo.CommitObject(*hash)
	if err != nil {
		return nil, &load.UsageError{Err: fmt.Errorf("--changed-since: %q is not a commit: %v", rev, err)}
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, err
	}
	// Collect the blobs below the calendar's posts/ folder at rev.
	postsDir, err := filepath.Rel(top, filepath.Join(root, "posts"))
	if err != nil {
		return nil, err
	}
	postsDir = filepath.ToSlash(postsDir)
	blobs := map[string]plumbing.Hash{}
	sub, err := tree.Tree(postsDir)
	if err == nil {
		walker := object.NewTreeWalker(sub, true, nil)
		defer walker.Close()
		for {
			name, entry, err := walker.Next()
			if err != nil {
				break
			}
			if entry.Mode != filemode.Dir {
				blobs[postsDir+"/"+name] = entry.Hash
			}
		}
	}
	return func(abs string, content []byte) bool {
		rel, err := filepath.Rel(top, abs)
		if err != nil {
			return true
		}
		old, ok := blobs[filepath.ToSlash(rel)]
		return !ok || old != plumbing.ComputeHash(plumbing.BlobObject, content)
	}, nil
}
