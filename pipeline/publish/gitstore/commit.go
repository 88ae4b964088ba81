package gitstore

import (
	"bufio"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/memory"
)

// Change is one file Herald writes or deletes.
type Change struct {
	Path    string // slash path from the repository root
	Content []byte // the file's new content, unless Delete
	Delete  bool   // remove the file; a file that does not exist is left alone
}

// pathUpdate is one file a commit changes, for the worktree and index.
type pathUpdate struct {
	path             string
	old, new         plumbing.Hash // zero: absent
	oldMode, newMode filemode.FileMode
	content          []byte // the new content, nil to read it from new
}

// Commit records changes in one commit on top of the base and makes it the
// new base. Only the trees along the changed paths are rewritten. The local
// branch follows (see advanceBranch), with the worktree and index when it
// is checked out. Changes that leave every file as it is make no commit and
// return the base.
func (s *Store) Commit(ctx context.Context, changes []Change, message string) (plumbing.Hash, error) {
	if err := ctx.Err(); err != nil {
		return plumbing.ZeroHash, err
	}
	if strings.TrimSpace(message) == "" {
		return plumbing.ZeroHash, fmt.Errorf("gitstore: a commit needs a message")
	}
	trie, err := buildTrie(changes)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	parent := s.base
	var root plumbing.Hash
	if c, err := s.commitObject(parent); err != nil {
		return plumbing.ZeroHash, err
	} else if c != nil {
		root = c.TreeHash
	}
	b := &builder{s: s}
	next, err := b.tree(root, trie, "")
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if next == root {
		return parent, nil
	}
	if next.IsZero() {
		if next, err = b.write(&object.Tree{}); err != nil {
			return plumbing.ZeroHash, err
		}
	}
	sig := object.Signature{Name: s.opts.AuthorName, Email: s.opts.AuthorEmail, When: s.opts.Now()}
	c := &object.Commit{Author: sig, Committer: sig, Message: strings.TrimRight(message, "\n") + "\n", TreeHash: next}
	if !parent.IsZero() {
		c.ParentHashes = []plumbing.Hash{parent}
	}
	h, err := b.write(c)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	// The objects are written while the worktree is checked and written:
	// they are needed only when the branch moves, or to read them back.
	done := make(chan error, 1)
	go func() { done <- b.flush() }()
	var once sync.Once
	var flushErr error
	flushed := func() error {
		once.Do(func() { flushErr = <-done })
		return flushErr
	}
	err = s.advanceBranch(parent, h, b.updates, flushed)
	if ferr := flushed(); err == nil {
		err = ferr
	}
	if err != nil {
		return plumbing.ZeroHash, err
	}
	s.base = h
	s.ours[h] = true
	s.pending = append(s.pending, b.written...)
	fmt.Fprintf(s.opts.Log, "gitstore: committed %s on %s: %d files: %s\n", short(h), s.branch.Short(), len(b.updates), firstLine(message))
	return h, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// node is a directory of the changes, or a changed file.
type node struct {
	children map[string]*node
	change   *Change
}

// buildTrie checks the changes' paths and arranges them by directory.
func buildTrie(changes []Change) (*node, error) {
	root := &node{}
	for i := range changes {
		c := &changes[i]
		if err := checkPath(c.Path); err != nil {
			return nil, err
		}
		n := root
		parts := strings.Split(c.Path, "/")
		for j, part := range parts {
			if n.change != nil {
				return nil, fmt.Errorf("gitstore: change %q needs %q to be a directory, but it is changed as a file", c.Path, strings.Join(parts[:j], "/"))
			}
			if n.children == nil {
				n.children = map[string]*node{}
			}
			child := n.children[part]
			if child == nil {
				child = &node{}
				n.children[part] = child
			}
			n = child
		}
		if n.change != nil {
			return nil, fmt.Errorf("gitstore: %q is changed twice in one commit", c.Path)
		}
		if n.children != nil {
			return nil, fmt.Errorf("gitstore: change %q is a file, but other changes are below it", c.Path)
		}
		n.change = c
	}
	return root, nil
}

// checkPath accepts a clean slash path inside the repository, outside .git.
func checkPath(p string) error {
	bad := p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00")
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." || strings.EqualFold(part, ".git") {
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("gitstore: %q is not a clean slash path inside the repository", p)
	}
	return nil
}

// builder makes the objects of one commit, kept in memory until flush.
type builder struct {
	s       *Store
	objects []plumbing.EncodedObject
	written []plumbing.Hash
	updates []pathUpdate
}

type encoder interface {
	Encode(plumbing.EncodedObject) error
}

func (b *builder) write(o encoder) (plumbing.Hash, error) {
	obj := &plumbing.MemoryObject{}
	if err := o.Encode(obj); err != nil {
		return plumbing.ZeroHash, fmt.Errorf("gitstore: encode: %w", err)
	}
	return b.add(obj), nil
}

func (b *builder) add(obj plumbing.EncodedObject) plumbing.Hash {
	h := obj.Hash()
	b.objects = append(b.objects, obj)
	b.written = append(b.written, h)
	return h
}

func (b *builder) blob(content []byte) plumbing.Hash {
	obj := &plumbing.MemoryObject{}
	obj.SetType(plumbing.BlobObject)
	obj.Write(content)
	return b.add(obj)
}

// packThreshold is the number of objects from which a commit's objects go
// to the repository as one pack rather than as loose objects: thousands of
// small files cost more than one pack to write (git keeps a received pack
// from 100 objects on, for the same reason).
const packThreshold = 100

// flush writes the objects to the repository.
func (b *builder) flush() error {
	st := b.s.repo.Storer
	if len(b.objects) < packThreshold {
		for _, o := range b.objects {
			if _, err := st.SetEncodedObject(o); err != nil {
				return fmt.Errorf("gitstore: write object: %w", err)
			}
		}
		return nil
	}
	mem := memory.NewStorage()
	for _, o := range b.objects {
		if _, err := mem.SetEncodedObject(o); err != nil {
			return err
		}
	}
	w, err := b.s.storage.PackfileWriter()
	if err != nil {
		return fmt.Errorf("gitstore: write a pack: %w", err)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	_, err = packfile.NewEncoder(bw, mem, false).Encode(b.written, 0)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("gitstore: write a pack: %w", err)
	}
	return nil
}

// tree rewrites the tree h (zero: none) with the changes below n, and
// returns its new hash: h itself when nothing changed, zero when the tree
// ends up empty (git stores no empty directory).
func (b *builder) tree(h plumbing.Hash, n *node, prefix string) (plumbing.Hash, error) {
	var entries []object.TreeEntry
	if !h.IsZero() {
		t, err := b.s.trees.get(h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("gitstore: %w", err)
		}
		entries = append(make([]object.TreeEntry, 0, len(t.Entries)+len(n.children)), t.Entries...)
	}
	at := make(map[string]int, len(n.children))
	for name := range n.children {
		at[name] = -1
	}
	for i, e := range entries {
		if _, ok := at[e.Name]; ok {
			at[e.Name] = i
		}
	}
	names := make([]string, 0, len(n.children))
	for name := range n.children {
		names = append(names, name)
	}
	sort.Strings(names)

	changed, removed := false, false
	for _, name := range names {
		child, i := n.children[name], at[name]
		p := name
		if prefix != "" {
			p = prefix + "/" + name
		}
		var cur object.TreeEntry
		if i >= 0 {
			cur = entries[i]
		}
		if c := child.change; c != nil {
			if i >= 0 && cur.Mode == filemode.Dir {
				return plumbing.ZeroHash, fmt.Errorf("gitstore: cannot change %q: it is a directory", p)
			}
			if c.Delete {
				if i < 0 {
					continue
				}
				entries[i].Name, changed, removed = "", true, true
				b.updates = append(b.updates, pathUpdate{path: p, old: cur.Hash, oldMode: cur.Mode})
				continue
			}
			mode := filemode.Regular
			if i >= 0 && cur.Mode == filemode.Executable {
				mode = filemode.Executable
			}
			sum := plumbing.ComputeHash(plumbing.BlobObject, c.Content)
			if i >= 0 && cur.Hash == sum && cur.Mode == mode {
				continue
			}
			b.blob(c.Content)
			b.updates = append(b.updates, pathUpdate{path: p, old: cur.Hash, oldMode: cur.Mode, new: sum, newMode: mode, content: c.Content})
			changed = true
			if i >= 0 {
				entries[i].Hash, entries[i].Mode = sum, mode
			} else {
				entries = append(entries, object.TreeEntry{Name: name, Mode: mode, Hash: sum})
			}
			continue
		}
		var sub plumbing.Hash
		if i >= 0 {
			if cur.Mode != filemode.Dir {
				return plumbing.ZeroHash, fmt.Errorf("gitstore: cannot write below %q: it is a file", p)
			}
			sub = cur.Hash
		}
		next, err := b.tree(sub, child, p)
		if err != nil {
			return plumbing.ZeroHash, err
		}
		switch {
		case next == sub:
		case next.IsZero():
			entries[i].Name, changed, removed = "", true, true
		case i >= 0:
			entries[i].Hash, changed = next, true
		default:
			entries = append(entries, object.TreeEntry{Name: name, Mode: filemode.Dir, Hash: next})
			changed = true
		}
	}
	if !changed {
		return h, nil
	}
	if removed {
		kept := entries[:0]
		for _, e := range entries {
			if e.Name != "" {
				kept = append(kept, e)
			}
		}
		entries = kept
	}
	if len(entries) == 0 {
		return plumbing.ZeroHash, nil
	}
	sort.Sort(object.TreeEntrySorter(entries))
	return b.write(&object.Tree{Entries: entries})
}
