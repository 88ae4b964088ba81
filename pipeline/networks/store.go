package networks

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Store is the calendar as a channel that publishes into it (feed,
// outbox) reads and writes it. Names are slash-separated and relative to
// the calendar root. The engine passes DirStore, or its own Store that also
// keeps what is written to commit it.
type Store interface {
	// ReadFile returns a file's content; an error that Is fs.ErrNotExist
	// when there is none.
	ReadFile(name string) ([]byte, error)
	// WriteFile replaces a file's content as one step: a reader sees the
	// old content or the new, never a part of it. It makes the folders the
	// file needs.
	WriteFile(name string, data []byte) error
}

// DirStore is a Store on the folder Root (the calendar root).
type DirStore struct{ Root string }

// ReadFile implements Store.
func (d DirStore) ReadFile(name string) ([]byte, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(p)
}

// WriteFile implements Store: the content goes to a temporary file in the
// same folder, synced, then renamed over the file.
func (d DirStore) WriteFile(name string, data []byte) (err error) {
	p, err := d.path(name)
	if err != nil {
		return err
	}
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(p)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

func (d DirStore) path(name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return filepath.Join(d.Root, filepath.FromSlash(name)), nil
}

// ErrBadName is a file name that is not a clean path inside the calendar.
var ErrBadName = errors.New("not a clean slash-separated path inside the calendar")

// CheckName checks that name is a clean relative path that stays inside
// the calendar: no "..", no leading "/", no backslash, no empty segment.
func CheckName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.Contains(name, `\`) {
		return fmt.Errorf("%q: %w", name, ErrBadName)
	}
	return nil
}

// JoinName joins a path below the calendar root, as a charter names it
// ("outbox", "./public/"), with a slash-separated name (a post id and an
// extension; "" for none) and checks that both stay inside the calendar.
func JoinName(dir, name string) (string, error) {
	clean := path.Clean(dir)
	if dir == "" || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(dir, `\`) {
		return "", fmt.Errorf("%q: %w", dir, ErrBadName)
	}
	if name != "" {
		if err := CheckName(name); err != nil {
			return "", err
		}
	}
	joined := path.Join(clean, name)
	return joined, CheckName(joined)
}
