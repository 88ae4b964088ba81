package gitstore

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"syscall"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
)

// checker tells whether a path Commit is about to write has local edits.
// A path is clean when its index entry and its worktree file each hold
// either the base's content or Herald's new content (the latter after a
// run that stopped between writing files and moving the branch).
type checker struct {
	s         *Store
	entries   map[string]*index.Entry // stage 0, by path
	unmerged  map[string]bool
	indexTime int64                  // the index file's mtime, for racily clean entries
	deleted   map[string]bool        // paths the same commit removes
	dirs      map[string]string      // checked directories: "" or why not usable
	disk      map[string]fs.FileInfo // what is at each path checked, if anything
}

// dirty returns why u.path has local edits, "" when it has none.
func (c *checker) dirty(u pathUpdate) string {
	if c.unmerged[u.path] {
		return "unmerged"
	}
	e := c.entries[u.path]
	var staged plumbing.Hash
	if e != nil {
		switch {
		case e.IntentToAdd:
			return "added with --intent-to-add"
		case e.SkipWorktree:
			return "outside the sparse checkout"
		}
		staged = e.Hash
	}
	if staged != u.old && staged != u.new {
		return "staged changes"
	}
	if why := c.dir(path.Dir(u.path)); why != "" {
		return why
	}
	abs := c.s.abs(u.path)
	fi, err := os.Lstat(abs)
	if err == nil {
		c.disk[u.path] = fi
	}
	var onDisk plumbing.Hash
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR): // below a file the same commit removes
	case err != nil:
		return err.Error()
	case fi.IsDir() && u.oldMode == filemode.Submodule:
		onDisk = u.old // git does not look into a submodule's checkout here
	case fi.IsDir():
		return "a directory is in the way"
	case fi.Mode()&fs.ModeSymlink != 0 && u.oldMode != filemode.Symlink:
		return "a symbolic link is in the way"
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(abs)
		if err != nil {
			return err.Error()
		}
		onDisk = plumbing.ComputeHash(plumbing.BlobObject, []byte(target))
	case !fi.Mode().IsRegular():
		return "not a regular file"
	case e != nil && c.statClean(e, fi):
		onDisk = e.Hash
	default:
		b, err := os.ReadFile(abs)
		if err != nil {
			return err.Error()
		}
		onDisk = plumbing.ComputeHash(plumbing.BlobObject, b)
	}
	if onDisk != u.old && onDisk != u.new {
		switch {
		case onDisk.IsZero():
			return "deleted"
		case u.old.IsZero() && e == nil:
			return "an untracked file is in the way"
		}
		return "modified"
	}
	return ""
}

// statClean is git's quick check: same size and mtime as when the entry
// was written, and written before the index (else it may have changed
// within the same tick).
func (c *checker) statClean(e *index.Entry, fi fs.FileInfo) bool {
	return fi.Size() == int64(e.Size) && fi.ModTime().Equal(e.ModifiedAt) && fi.ModTime().UnixNano() < c.indexTime
}

// dir returns why a file cannot be written in dir: a symbolic link (that
// could lead out of the worktree) or a file in the way.
func (c *checker) dir(dir string) string {
	if dir == "." {
		return ""
	}
	if why, ok := c.dirs[dir]; ok {
		return why
	}
	why := c.dir(path.Dir(dir))
	if why == "" {
		fi, err := os.Lstat(c.s.abs(dir))
		switch {
		case errors.Is(err, fs.ErrNotExist), err == nil && fi.IsDir():
		case err != nil:
			why = err.Error()
		case fi.Mode()&fs.ModeSymlink != 0:
			why = dir + " is a symbolic link"
		case !c.deleted[dir]:
			why = dir + " is a file"
		}
	}
	c.dirs[dir] = why
	return why
}
