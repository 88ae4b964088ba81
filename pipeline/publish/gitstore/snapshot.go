package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"sync"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

// Reader reads the files of one commit. Paths are slash paths from the
// repository root, as io/fs wants them ("." is the root).
type Reader interface {
	fs.ReadFileFS
	fs.ReadDirFS
	fs.StatFS
	// Head is the commit read, zero for a branch with no commit yet.
	Head() plumbing.Hash
}

// Snapshot is the tree of one commit as an fs.FS, read straight from the
// object database. FileInfo.Sys of an entry is its blob or tree hash
// (plumbing.Hash). Several goroutines may read it at once, but not while
// its Store fetches, commits or pushes.
type Snapshot struct {
	trees *treeCache
	head  plumbing.Hash
	root  plumbing.Hash // zero when there is no commit
	err   error
}

var _ Reader = (*Snapshot)(nil)

func newSnapshot(trees *treeCache, head plumbing.Hash) *Snapshot {
	s := &Snapshot{trees: trees, head: head}
	if !head.IsZero() {
		c, err := object.GetCommit(trees.st, head)
		if err != nil {
			s.err = fmt.Errorf("gitstore: read commit %s: %w", head, err)
		} else {
			s.root = c.TreeHash
		}
	}
	return s
}

// Head is the commit read.
func (s *Snapshot) Head() plumbing.Hash { return s.head }

// lookup finds the entry at name; the root is a directory entry.
func (s *Snapshot) lookup(op, name string) (object.TreeEntry, error) {
	if !fs.ValidPath(name) {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	if s.err != nil {
		return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: s.err}
	}
	e := object.TreeEntry{Name: ".", Mode: filemode.Dir, Hash: s.root}
	if name == "." {
		return e, nil
	}
	for rest := name; rest != ""; {
		elem := rest
		if i := indexSlash(rest); i >= 0 {
			elem, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if e.Mode != filemode.Dir || e.Hash.IsZero() {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		t, err := s.trees.get(e.Hash)
		if err != nil {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: err}
		}
		found, ok := t.find(elem)
		if !ok {
			return object.TreeEntry{}, &fs.PathError{Op: op, Path: name, Err: fs.ErrNotExist}
		}
		e = found
	}
	return e, nil
}

func indexSlash(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '/' {
			return i
		}
	}
	return -1
}

// ReadFile reads the blob at name.
func (s *Snapshot) ReadFile(name string) ([]byte, error) {
	e, err := s.lookup("read", name)
	if err != nil {
		return nil, err
	}
	if e.Mode == filemode.Dir {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	b, err := s.trees.blob(e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// ReadDir lists the directory at name, sorted by name.
func (s *Snapshot) ReadDir(name string) ([]fs.DirEntry, error) {
	e, err := s.lookup("readdir", name)
	if err != nil {
		return nil, err
	}
	if e.Mode != filemode.Dir {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	if e.Hash.IsZero() {
		return []fs.DirEntry{}, nil
	}
	t, err := s.trees.get(e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: err}
	}
	out := make([]fs.DirEntry, len(t.Entries))
	for i, te := range t.Entries {
		out[i] = &fileInfo{trees: s.trees, entry: te}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// Stat describes the entry at name.
func (s *Snapshot) Stat(name string) (fs.FileInfo, error) {
	e, err := s.lookup("stat", name)
	if err != nil {
		return nil, err
	}
	e.Name = path.Base(name)
	return &fileInfo{trees: s.trees, entry: e}, nil
}

// Open opens the file or directory at name.
func (s *Snapshot) Open(name string) (fs.File, error) {
	e, err := s.lookup("open", name)
	if err != nil {
		return nil, err
	}
	e.Name = path.Base(name)
	info := &fileInfo{trees: s.trees, entry: e}
	if e.Mode == filemode.Dir {
		entries, err := s.ReadDir(name)
		if err != nil {
			return nil, err
		}
		return &openDir{info: info, entries: entries}, nil
	}
	b, err := s.trees.blob(e.Hash)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &openFile{info: info, Reader: bytes.NewReader(b)}, nil
}

// fileInfo is both fs.FileInfo and fs.DirEntry of a tree entry.
type fileInfo struct {
	trees *treeCache
	entry object.TreeEntry
}

func (f *fileInfo) Name() string               { return f.entry.Name }
func (f *fileInfo) IsDir() bool                { return f.entry.Mode == filemode.Dir }
func (f *fileInfo) Type() fs.FileMode          { return f.Mode().Type() }
func (f *fileInfo) Info() (fs.FileInfo, error) { return f, nil }
func (f *fileInfo) ModTime() time.Time         { return time.Time{} }
func (f *fileInfo) Sys() any                   { return f.entry.Hash }

func (f *fileInfo) Mode() fs.FileMode {
	switch f.entry.Mode {
	case filemode.Dir:
		return fs.ModeDir | 0o755
	case filemode.Executable:
		return 0o755
	case filemode.Symlink:
		return fs.ModeSymlink | 0o777
	case filemode.Submodule:
		return fs.ModeIrregular
	}
	return 0o644
}

func (f *fileInfo) Size() int64 {
	if f.IsDir() || f.entry.Hash.IsZero() {
		return 0
	}
	f.trees.mu.Lock()
	defer f.trees.mu.Unlock()
	n, err := f.trees.st.EncodedObjectSize(f.entry.Hash)
	if err != nil {
		return 0
	}
	return n
}

type openFile struct {
	info *fileInfo
	*bytes.Reader
}

func (f *openFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *openFile) Close() error               { return nil }

type openDir struct {
	info    *fileInfo
	entries []fs.DirEntry
	off     int
}

func (d *openDir) Stat() (fs.FileInfo, error) { return d.info, nil }
func (d *openDir) Close() error               { return nil }
func (d *openDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.info.Name(), Err: errors.New("is a directory")}
}

func (d *openDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n <= 0 {
		d.off = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	if n > len(rest) {
		n = len(rest)
	}
	d.off += n
	return rest[:n], nil
}

// treeCache keeps decoded trees by hash: a commit's trees are read once
// however many files are read from them. Its lock also serializes reads
// of the object storage, which go-git does not make safe for concurrent use.
type treeCache struct {
	st *filesystem.Storage
	mu sync.Mutex
	m  map[plumbing.Hash]*cachedTree
}

// maxCachedTrees bounds the cache; it starts over when full.
const maxCachedTrees = 50000

type cachedTree struct {
	*object.Tree
}

func newTreeCache(st *filesystem.Storage) *treeCache {
	return &treeCache{st: st, m: map[plumbing.Hash]*cachedTree{}}
}

func (c *treeCache) get(h plumbing.Hash) (*cachedTree, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.m[h]; ok {
		return t, nil
	}
	tree, err := object.GetTree(c.st, h)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", h, err)
	}
	t := &cachedTree{Tree: tree}
	if len(c.m) >= maxCachedTrees {
		c.m = map[plumbing.Hash]*cachedTree{}
	}
	c.m[h] = t
	return t, nil
}

// find looks an entry up by name with a binary search: tree entries are
// sorted as git sorts them, directories as if their name ended in "/".
func (t *cachedTree) find(name string) (object.TreeEntry, bool) {
	es := t.Entries
	// Both name and name+"/" may sort at different places; look for each.
	for _, key := range [2]string{name, name + "/"} {
		i := sort.Search(len(es), func(i int) bool { return entryKey(es[i]) >= key })
		if i < len(es) && es[i].Name == name && entryKey(es[i]) == key {
			return es[i], true
		}
	}
	return object.TreeEntry{}, false
}

// entryKey is the name git sorts a tree entry by.
func entryKey(e object.TreeEntry) string {
	if e.Mode == filemode.Dir {
		return e.Name + "/"
	}
	return e.Name
}

func (c *treeCache) blob(h plumbing.Hash) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	o, err := c.st.EncodedObject(plumbing.BlobObject, h)
	if err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	r, err := o.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b := make([]byte, 0, o.Size())
	buf := bytes.NewBuffer(b)
	if _, err := io.Copy(buf, r); err != nil {
		return nil, fmt.Errorf("read blob %s: %w", h, err)
	}
	return buf.Bytes(), nil
}
