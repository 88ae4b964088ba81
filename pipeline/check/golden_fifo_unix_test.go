//go:build unix

package check_test

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/check"
)

// TestGoldenNotRegular checks that named pipes where a post or a medium
// should be are reported and skipped at once, never opened for reading
// (an open of a FIFO waits for a writer forever).
func TestGoldenNotRegular(t *testing.T) {
	dir := newCalendar(t, nil)
	writeFile(t, filepath.Join(dir, "posts", "a.md"), []byte("---\n"+
		"date: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\nmedia:\n"+
		"  - src: ../media/pipe.png\n    alt: Un tube nommé.\n---\nUne image qui est un tube.\n"))
	mkfifo(t, filepath.Join(dir, "posts", "pipe.md"))
	mkfifo(t, filepath.Join(dir, "media", "pipe.png"))
	done := make(chan error, 1)
	go func() {
		_, err := check.Run(context.Background(), check.Options{Dir: dir})
		done <- err
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("check blocked on a named pipe")
	}
	compareGolden(t, dir, filepath.Join("testdata", "generated", "not-regular.out"))
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
}
