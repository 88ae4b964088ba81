// Package channeltest builds, for the tests of the channels that write
// into the calendar, a calendar on disk and the publications of its posts
// as the engine makes them: parsed, rendered for the account, media
// resolved, digest and idempotency key computed.
package channeltest

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/publication"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
)

// PNG is the start of a PNG file: enough for the MIME sniffer.
const PNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

// Calendar writes files (slash-separated name → content) into a new
// folder and returns it.
func Calendar(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// Publication returns the publication of the post at rel (below root) on
// account, published at at, as the engine builds it (state.NewPublication).
func Publication(t *testing.T, root, rel string, account *load.Account, at time.Time) networks.Publication {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	post, err := load.ParsePost(rel, content)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	when, err := time.Parse(time.RFC3339, post.Date.Value)
	if err != nil {
		t.Fatalf("%s: date: %v", rel, err)
	}
	pub, err := publication.New(post, account, os.DirFS(root), when, "fr-FR")
	if err != nil {
		t.Fatal(err)
	}
	pub.At = at
	return pub
}

// Store is a networks.DirStore that records what is written, and fails
// the writes of FailOn.
type Store struct {
	networks.DirStore
	FailOn string

	mu      sync.Mutex
	written []string
}

// NewStore returns a Store on root.
func NewStore(root string) *Store { return &Store{DirStore: networks.DirStore{Root: root}} }

// WriteFile implements networks.Store.
func (s *Store) WriteFile(name string, data []byte) error {
	if name == s.FailOn {
		return fmt.Errorf("write %s: no space left on device", name)
	}
	if err := s.DirStore.WriteFile(name, data); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written = append(s.written, path.Clean(name))
	return nil
}

// Written returns the names written since the last call.
func (s *Store) Written() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.written
	s.written = nil
	return w
}
