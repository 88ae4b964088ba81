//go:build unix

package state

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestLoadRefusesFIFO checks that a named pipe where a state file should
// be is refused at once with a message saying what it is, where an open
// would wait for a writer forever.
func TestLoadRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "state", "instances"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"state/news.json", "state/instances/mastodon.json"} {
		if err := syscall.Mkfifo(filepath.Join(dir, filepath.FromSlash(name)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	calendar := os.DirFS(dir)
	for name, read := range map[string]func() error{
		"Load":      func() error { _, err := Load(calendar, "news"); return err },
		"ReadFacts": func() error { _, _, err := ReadFacts(calendar, "mastodon"); return err },
	} {
		t.Run(name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { done <- read() }()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), "is a named pipe (FIFO), not a state file") {
					t.Errorf("error %v, want one naming the FIFO", err)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("reading a FIFO blocked")
			}
		})
	}
}
