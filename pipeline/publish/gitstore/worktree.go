package gitstore

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/index"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage"
)

// advanceBranch moves the local branch from where it is to next, a commit
// on parent, when that keeps every commit it holds:
//
//   - at parent (the usual case): the changed paths are written;
//   - at an ancestor of parent (the remote moved since the checkout) or at
//     a commit of this store that a rejected push dropped: the branch moves
//     as a fast-forward would, with every path that differs;
//   - unborn (HEAD names it, it has no commit): it is created, and every
//     file of next is checked out;
//   - elsewhere: with NoPush or no remote, someone committed meanwhile
//     (ErrRejected); with a remote, the branch holds commits that are not on
//     it (ErrDiverged), and nothing is written.
//
// A branch that is not checked out moves without touching the worktree. A
// branch that does not exist is created only when HEAD names it.
//
// flushed waits for the commit's objects to be written; the usual case
// reads no object and waits only before moving the branch.
func (s *Store) advanceBranch(parent, next plumbing.Hash, updates []pathUpdate, flushed func() error) error {
	oldRef, err := s.repo.Storer.Reference(s.branch)
	if err != nil && !errors.Is(err, plumbing.ErrReferenceNotFound) {
		return fmt.Errorf("gitstore: read %s: %w", s.branch, err)
	}
	local := plumbing.ZeroHash
	if oldRef != nil {
		local = oldRef.Hash()
	}
	if local != parent {
		if err := flushed(); err != nil {
			return err
		}
	}
	checkedOut := s.checkedOut()
	switch {
	case oldRef == nil && !checkedOut:
		return nil
	case local == parent:
	case oldRef == nil:
		// HEAD names a branch with no commit yet: check the commit out.
		if updates, err = s.diff(plumbing.ZeroHash, next); err != nil {
			return err
		}
	case s.Local():
		return fmt.Errorf("gitstore: %s moved to %s while Herald was working on %s: %w", s.branch.Short(), short(local), short(parent), ErrRejected)
	case s.ours[local] || s.isAncestor(local, parent):
		if updates, err = s.diff(local, next); err != nil {
			return err
		}
	default:
		return fmt.Errorf("gitstore: local branch %s (at %s) is not on %s: %w; push or reset it, or run without pushing",
			s.branch.Short(), short(local), s.tracking.Short(), ErrDiverged)
	}
	setRef := func() error {
		if err := flushed(); err != nil {
			return err
		}
		err := s.repo.Storer.CheckAndSetReference(plumbing.NewHashReference(s.branch, next), oldRef)
		if errors.Is(err, storage.ErrReferenceHasChanged) {
			return fmt.Errorf("gitstore: %s moved while Herald was committing: %w", s.branch.Short(), ErrRejected)
		}
		if err != nil {
			return fmt.Errorf("gitstore: update %s: %w", s.branch, err)
		}
		return nil
	}
	if !checkedOut {
		return setRef()
	}
	return s.syncWorktree(updates, setRef)
}

// checkedOut reports whether HEAD names the branch in a worktree.
func (s *Store) checkedOut() bool {
	if s.worktree == "" {
		return false
	}
	head, err := s.repo.Storer.Reference(plumbing.HEAD)
	return err == nil && head.Type() == plumbing.SymbolicReference && head.Target() == s.branch
}

func (s *Store) isAncestor(a, b plumbing.Hash) bool {
	ca, err := s.commitObject(a)
	if err != nil || ca == nil {
		return false
	}
	cb, err := s.commitObject(b)
	if err != nil || cb == nil {
		return false
	}
	ok, err := ca.IsAncestor(cb)
	return err == nil && ok
}

// diff lists the files that differ between two commits, deletions first.
func (s *Store) diff(from, to plumbing.Hash) ([]pathUpdate, error) {
	tree := func(h plumbing.Hash) (*object.Tree, error) {
		c, err := s.commitObject(h)
		if err != nil || c == nil {
			return nil, err
		}
		return c.Tree()
	}
	a, err := tree(from)
	if err != nil {
		return nil, err
	}
	b, err := tree(to)
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTree(a, b)
	if err != nil {
		return nil, fmt.Errorf("gitstore: compare %s and %s: %w", short(from), short(to), err)
	}
	var dels, puts []pathUpdate
	for _, c := range changes {
		if c.From.Name != "" && c.From.Name != c.To.Name {
			dels = append(dels, pathUpdate{path: c.From.Name, old: c.From.TreeEntry.Hash, oldMode: c.From.TreeEntry.Mode})
		}
		if c.To.Name != "" {
			u := pathUpdate{path: c.To.Name, new: c.To.TreeEntry.Hash, newMode: c.To.TreeEntry.Mode}
			if c.From.Name == c.To.Name {
				u.old, u.oldMode = c.From.TreeEntry.Hash, c.From.TreeEntry.Mode
			}
			puts = append(puts, u)
		}
	}
	return append(dels, puts...), nil
}

// syncWorktree writes the updates to the worktree and index, and calls
// setRef between writing the new index and putting it in place, holding
// index.lock throughout as git does. Nothing is written when a path has
// local edits: see dirty.
func (s *Store) syncWorktree(updates []pathUpdate, setRef func() error) (err error) {
	indexPath := filepath.Join(s.gitDir, "index")
	lockPath := indexPath + ".lock"
	lock, err := os.OpenFile(lockPath, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("gitstore: %s exists: another git process seems to be running in this repository; if none is, remove that file and run again", lockPath)
	}
	if err != nil {
		return fmt.Errorf("gitstore: lock the index: %w", err)
	}
	renamed := false
	defer func() {
		if !renamed {
			lock.Close()
			os.Remove(lockPath)
		}
	}()

	idx, err := s.repo.Storer.Index()
	if err != nil {
		hint := ""
		if strings.Contains(err.Error(), "unknown extension") {
			hint = " (a split index, which go-git cannot read: turn it off with git update-index --no-split-index)"
		}
		return fmt.Errorf("gitstore: read the index %s: %w%s", indexPath, err, hint)
	}
	var indexTime int64
	if fi, err := os.Stat(indexPath); err == nil {
		indexTime = fi.ModTime().UnixNano()
	}
	entries := make(map[string]*index.Entry, len(idx.Entries))
	unmerged := map[string]bool{}
	for _, e := range idx.Entries {
		if e.Stage != 0 { // index.Merged is 1 in go-git, but a merged entry decodes as stage 0
			unmerged[e.Name] = true
		} else {
			entries[e.Name] = e
		}
	}

	c := checker{s: s, entries: entries, unmerged: unmerged, indexTime: indexTime, deleted: map[string]bool{}, dirs: map[string]string{}, disk: map[string]fs.FileInfo{}}
	for _, u := range updates {
		if u.new.IsZero() {
			c.deleted[u.path] = true
		}
	}
	var dirty []string
	for _, u := range updates {
		if why := c.dirty(u); why != "" {
			dirty = append(dirty, u.path+" ("+why+")")
		}
	}
	if len(dirty) > 0 {
		sort.Strings(dirty)
		more := ""
		if len(dirty) > 10 {
			more = fmt.Sprintf(" and %d more", len(dirty)-10)
			dirty = dirty[:10]
		}
		return fmt.Errorf("gitstore: %w in %s: %s%s; commit or discard those edits, then run again",
			ErrLocalChanges, s.worktree, strings.Join(dirty, ", "), more)
	}

	removed, err := s.apply(updates, c.disk, entries)
	if err != nil {
		return err
	}
	kept := idx.Entries[:0]
	for _, e := range idx.Entries {
		if !removed[e.Name] {
			kept = append(kept, e)
		}
	}
	idx.Entries = kept
	for _, u := range updates {
		if e := entries[u.path]; e != nil && e.Name == "" {
			e.Name = u.path
			idx.Entries = append(idx.Entries, e)
		}
	}
	idx.Cache = nil // git rebuilds the cache tree; a stale one would be wrong

	w := bufio.NewWriterSize(lock, 1<<16)
	if err := index.NewEncoder(w).Encode(idx); err != nil {
		return fmt.Errorf("gitstore: write the index: %w", err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("gitstore: write the index: %w", err)
	}
	if err := lock.Close(); err != nil {
		return fmt.Errorf("gitstore: write the index: %w", err)
	}
	if err := setRef(); err != nil {
		return err
	}
	if err := os.Rename(lockPath, indexPath); err != nil {
		return fmt.Errorf("gitstore: write the index: %w", err)
	}
	renamed = true
	return nil
}

// apply removes the files to delete, then writes the others, several at a
// time (the time goes in system calls), and updates their index entries; a
// new entry is left nameless, to be added by the caller. disk is what the
// checker found at each path. It returns the paths whose entries go.
func (s *Store) apply(updates []pathUpdate, disk map[string]fs.FileInfo, entries map[string]*index.Entry) (map[string]bool, error) {
	removed := map[string]bool{}
	var puts []pathUpdate
	for _, u := range updates {
		if !u.new.IsZero() {
			if u.content == nil && u.newMode != filemode.Submodule {
				b, err := s.trees.blob(u.new)
				if err != nil {
					return nil, fmt.Errorf("gitstore: %s: %w", u.path, err)
				}
				u.content = b
			}
			puts = append(puts, u)
			continue
		}
		abs := s.abs(u.path)
		if err := os.Remove(abs); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("gitstore: remove %s: %w", abs, err)
		}
		s.removeEmptyDirs(path.Dir(u.path))
		if entries[u.path] != nil {
			removed[u.path] = true
			delete(entries, u.path)
		}
	}

	infos := make([]fs.FileInfo, len(puts))
	errs := make([]error, len(puts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < writers && w < len(puts); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(puts); i = int(next.Add(1) - 1) {
				u := puts[i]
				infos[i], errs[i] = writeFile(s.abs(u.path), u.content, u.newMode, disk[u.path])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}

	for i, u := range puts {
		e := entries[u.path]
		if e == nil {
			e = &index.Entry{}
			entries[u.path] = e
		}
		e.Hash, e.Mode = u.new, u.newMode
		if u.newMode != filemode.Submodule {
			e.Size, e.ModifiedAt = uint32(infos[i].Size()), infos[i].ModTime()
			fillSystemInfo(e, infos[i])
		}
	}
	return removed, nil
}

// writers is how many files are written at once.
const writers = 4

// writeFile writes a file as git checks one out: in place when a regular
// file is there (a symbolic link is replaced, never followed), creating
// its directories as needed. A submodule gets an empty directory.
func writeFile(abs string, content []byte, mode filemode.FileMode, onDisk fs.FileInfo) (os.FileInfo, error) {
	if mode == filemode.Submodule && onDisk != nil && onDisk.IsDir() {
		return onDisk, nil // git leaves a submodule's checkout to git submodule update
	}
	if onDisk != nil && (!onDisk.Mode().IsRegular() || mode == filemode.Symlink || mode == filemode.Submodule) {
		if err := os.Remove(abs); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("gitstore: %w", err)
		}
		onDisk = nil
	}
	if onDisk == nil || mode == filemode.Submodule {
		if err := os.MkdirAll(filepath.Dir(abs), 0o777); err != nil {
			return nil, fmt.Errorf("gitstore: %w", err)
		}
	}
	var err error
	switch mode {
	case filemode.Submodule:
		err = os.Mkdir(abs, 0o777)
	case filemode.Symlink:
		err = os.Symlink(string(content), abs)
	default:
		perm := os.FileMode(0o644)
		if mode == filemode.Executable {
			perm = 0o755
		}
		var f *os.File
		f, err = os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
		if err != nil {
			break
		}
		_, err = f.Write(content)
		if err == nil && onDisk != nil && onDisk.Mode()&0o100 != perm&0o100 {
			err = f.Chmod(perm)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return nil, fmt.Errorf("gitstore: write %s: %w", abs, err)
	}
	return os.Lstat(abs)
}

// removeEmptyDirs removes dir and its parents while they are empty, as git
// does when it deletes a file.
func (s *Store) removeEmptyDirs(dir string) {
	for dir != "." && dir != "/" && dir != "" {
		if os.Remove(s.abs(dir)) != nil {
			return
		}
		dir = path.Dir(dir)
	}
}
