//go:build unix

package load

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadPostRefusesFIFO checks that a named pipe named like a post is
// refused at once, as the walk lists it (not regular) and through a
// symbolic link, instead of an open that waits for a writer forever.
func TestReadPostRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.md")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	link := filepath.Join(dir, "link.md")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for name, read := range map[string]func([]byte, string) ([]byte, error){
		"ReadPostInto": ReadPostInto, "ReadRegularPostInto": ReadRegularPostInto,
	} {
		for _, path := range []string{fifo, link} {
			t.Run(name+"/"+filepath.Base(path), func(t *testing.T) {
				done := make(chan error, 1)
				go func() { _, err := read(nil, path); done <- err }()
				select {
				case err := <-done:
					if name == "ReadRegularPostInto" {
						// The walk says regular only of regular files; a
						// FIFO swapped in after the listing must still not
						// block: without a writer its read ends at once.
						return
					}
					var nr NotRegularError
					if !errors.As(err, &nr) || nr.Kind != "a named pipe (FIFO)" {
						t.Errorf("error %v, want a NotRegularError naming a FIFO", err)
					}
				case <-time.After(2 * time.Second):
					t.Fatal("reading a FIFO blocked")
				}
			})
		}
	}
}

// TestWalkPostEntriesFIFO checks that the walk does not say a FIFO named
// *.md is regular, so that ReadRegularPostInto is never used on it.
func TestWalkPostEntriesFIFO(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(root, "posts", "pipe.md"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	var seen int
	err := WalkPostEntries(root, func(path string, regular bool) error {
		seen++
		if regular {
			t.Errorf("%s listed as regular", path)
		}
		return nil
	})
	if err != nil || seen != 1 {
		t.Errorf("walk: %d files, %v", seen, err)
	}
}
