package preview

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// checkDir makes dir, unless it exists already and is empty or a site
// written before (rewrite): WriteSite replaces no other folder's files.
func checkDir(dir string) (rewrite bool, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("creating the site folder: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, siteMarker)); err == nil {
		return true, nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, fmt.Errorf("reading the site folder: %w", err)
	}
	defer f.Close()
	if names, _ := f.Readdirnames(1); len(names) > 0 {
		return false, fmt.Errorf("%s: %w", dir, ErrNotSite)
	}
	return false, nil
}

// removeStale removes the files of a previous site that this one did not
// write, and the folders left empty. Writing over the files that stay,
// rather than emptying the folder first, keeps the site whole for a browser
// while it is rebuilt, and spares the file system thousands of inodes.
func removeStale(dir string, written map[string]bool) error {
	var empty []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if rel != "." {
				empty = append(empty, path)
			}
		case rel != siteMarker && !written[rel]:
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("removing the old site's files: %w", err)
	}
	for _, d := range slices.Backward(empty) {
		os.Remove(d) // only succeeds when empty
	}
	return nil
}

// siteWorker writes files of the site, one at a time: it renders each
// into a buffer it reuses, then writes it in one go.
type siteWorker struct {
	out bytes.Buffer
	old []byte
}

// write renders one file of the site and writes it, unless, when the site
// is rewritten, the file already holds exactly that: a rebuild then
// touches only the pages that changed.
func (w *siteWorker) write(dir, rel string, rewrite bool, render func(io.Writer) error) error {
	w.out.Reset()
	if err := render(&w.out); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	file := filepath.Join(dir, filepath.FromSlash(rel))
	if rewrite && w.holds(file, w.out.Bytes()) {
		return nil
	}
	if err := writeFile(file, w.out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	return nil
}

// holds reports whether file holds exactly b.
func (w *siteWorker) holds(file string, b []byte) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(len(b)) {
		return false
	}
	w.old = slices.Grow(w.old[:0], len(b))[:len(b)]
	_, err = io.ReadFull(f, w.old)
	return err == nil && bytes.Equal(w.old, b)
}

// copyFile puts a medium into the site: a hard link to it when the site is
// on the same file system (a calendar's media are many and large), else a
// copy. A copy or link a previous run made is kept while it is the same
// size and age. An old file is removed before its replacement is made, so
// that writing the site never writes through a link into the calendar.
func copyFile(from, to string) error {
	fi, err := os.Stat(from)
	if err != nil {
		return err
	}
	if old, err := os.Lstat(to); err == nil {
		if old.Mode().IsRegular() && old.Size() == fi.Size() && old.ModTime().Equal(fi.ModTime()) {
			return nil
		}
		if err := os.Remove(to); err != nil {
			return err
		}
	}
	if os.Link(from, to) == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", from, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(to, fi.ModTime(), fi.ModTime())
}

// siteJobs are the files to write, by folder: a worker writes a whole
// folder at a time, as two processes creating files in the same folder
// wait on each other in the kernel.
type siteJobs struct {
	byDir map[string][]func(*siteWorker) error
	files map[string]bool
}

func newSiteJobs() *siteJobs {
	return &siteJobs{byDir: map[string][]func(*siteWorker) error{}, files: map[string]bool{}}
}

func (j *siteJobs) add(file string, job func(*siteWorker) error) {
	d := path.Dir(file)
	j.byDir[d] = append(j.byDir[d], job)
	j.files[file] = true
}

// dirs returns the folders the files go in.
func (j *siteJobs) dirs() []string {
	return sortedKeys(j.byDir)
}

// run runs the jobs on a few workers, the largest folders first, and
// returns the first error.
func (j *siteJobs) run(workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	groups := make([][]func(*siteWorker) error, 0, len(j.byDir))
	for _, d := range j.dirs() {
		groups = append(groups, j.byDir[d])
	}
	slices.SortStableFunc(groups, func(a, b []func(*siteWorker) error) int { return len(b) - len(a) })
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range min(workers, len(groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &siteWorker{}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(groups) {
					return
				}
				for _, job := range groups[i] {
					if err := job(w); err != nil {
						mu.Lock()
						first = cmpErr(first, err)
						mu.Unlock()
						next.Store(int64(len(groups))) // stop the others
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
