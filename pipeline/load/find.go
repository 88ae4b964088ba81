package load

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Calendar is a calendar root found on disk and the parts of it a command
// was asked to cover.
type Calendar struct {
	Root string // absolute, cleaned
	// Scopes are absolute paths (folders or post files) below Root; a post
	// is in scope when it is at or below one of them. Empty means all.
	Scopes []string
}

// InScope reports whether the post at absolute path abs is covered.
func (c *Calendar) InScope(abs string) bool {
	if len(c.Scopes) == 0 {
		return true
	}
	for _, s := range c.Scopes {
		if abs == s || strings.HasPrefix(abs, s+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// UsageError is a command that cannot start: a PATH that names no
// calendar, a charter with errors, a bad --now. Exit code 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// FindCalendars resolves the PATH arguments of a command, relative to dir,
// into calendars, as SPEC.md says: a calendar root; a folder or post inside
// a calendar (the nearest charter.yaml above it, as git finds .git); or a
// folder holding calendars (every charter.yaml below it). No path means dir.
func FindCalendars(dir string, paths []string) ([]*Calendar, error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	var cals []*Calendar
	byRoot := map[string]*Calendar{}
	add := func(root, scope string) {
		c, ok := byRoot[root]
		if !ok {
			c = &Calendar{Root: root}
			byRoot[root] = c
			cals = append(cals, c)
		}
		if !slices.Contains(c.Scopes, scope) {
			c.Scopes = append(c.Scopes, scope)
		}
	}
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(dir, p)
		}
		abs = filepath.Clean(abs)
		if _, err := os.Stat(abs); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, &UsageError{Err: fmt.Errorf("%s: no such file or folder", p)}
			}
			return nil, &UsageError{Err: fmt.Errorf("%s: %v", p, err)}
		}
		if root, ok := calendarAbove(abs); ok {
			add(root, abs)
			continue
		}
		roots, err := calendarsBelow(abs)
		if err != nil {
			return nil, err
		}
		if len(roots) == 0 {
			where := fmt.Sprintf("no %s in %s, above it or below it", CharterFile, p)
			if p == "." {
				where = fmt.Sprintf("no %s in this folder, above it or below it", CharterFile)
			}
			return nil, &UsageError{Err: errors.New(where + ": run herald in a calendar, give its path, or create one with herald init")}
		}
		for _, r := range roots {
			add(r, r)
		}
	}
	// A scope equal to the root means the whole calendar.
	for _, c := range cals {
		if slices.Contains(c.Scopes, c.Root) {
			c.Scopes = nil
		}
	}
	return cals, nil
}

// calendarAbove returns the nearest folder at or above abs that holds a
// charter.yaml.
func calendarAbove(abs string) (string, bool) {
	d := abs
	if fi, err := os.Stat(d); err == nil && !fi.IsDir() {
		d = filepath.Dir(d)
	}
	for {
		// Any charter.yaml marks the calendar, even one that is not a
		// regular file: check then says what it is, rather than finding
		// no calendar, or another one above.
		if _, err := os.Lstat(filepath.Join(d, CharterFile)); err == nil {
			return d, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", false
		}
		d = parent
	}
}

// calendarsBelow returns every folder below abs holding a charter.yaml,
// skipping hidden folders and node_modules.
func calendarsBelow(abs string) ([]string, error) {
	var roots []string
	err := filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable folder holds no calendar we can check
		}
		if d.IsDir() && p != abs && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.Name() == CharterFile && p != abs {
			roots = append(roots, filepath.Dir(p))
		}
		return nil
	})
	return roots, err
}

// PostFiles lists the post files of a calendar: every *.md below posts/,
// skipping hidden files and folders, in lexical order.
func PostFiles(root string) ([]string, error) {
	var files []string
	err := WalkPostFiles(root, func(p string) error {
		files = append(files, p)
		return nil
	})
	return files, err
}

// WalkPostFiles calls fn with each post file of a calendar, in the order
// PostFiles lists them, as the walk finds them; an error fn returns stops
// the walk and is returned.
func WalkPostFiles(root string, fn func(path string) error) error {
	return WalkPostEntries(root, func(path string, _ bool) error { return fn(path) })
}

// WalkPostEntries is WalkPostFiles also telling fn whether the folder's
// listing says the file is a regular file (not a symbolic link), which
// ReadRegularPostInto reads with one system call less.
func WalkPostEntries(root string, fn func(path string, regular bool) error) error {
	postsDir := filepath.Join(root, "posts")
	return filepath.WalkDir(postsDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == postsDir && errors.Is(err, fs.ErrNotExist) {
				return nil // a calendar without posts yet
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != postsDir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			return fn(p, d.Type().IsRegular())
		}
		return nil
	})
}
