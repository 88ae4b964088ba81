package gitstore

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// The tests run the git CLI only in their own temporary directories, to
// play the humans and to check what Herald wrote; the package never does.
// The remote they push to, and the git CLI helpers, are gittest's.

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var testNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))

func testOptions(env func(string) string) Options {
	return Options{Getenv: env, Now: func() time.Time { return testNow }, Backoff: time.Millisecond}
}

func openStore(t *testing.T, dir string, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// seededClone serves a repository holding files, and checks it out as a CI
// job would.
func seededClone(t *testing.T, files map[string]string) (*gittest.Server, string) {
	t.Helper()
	gs := gittest.NewServer(t, token)
	gs.Seed(t, files)
	return gs, gs.Clone(t)
}

// fetchedStore opens the checkout dir with the environment env and fetches.
func fetchedStore(t *testing.T, dir string, env func(string) string) *Store {
	t.Helper()
	s := openStore(t, dir, testOptions(env))
	if err := s.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// outboxA is the changes of a test that needs Herald to commit something:
// an outbox file.
func outboxA(Reader) ([]Change, error) {
	return []Change{{Path: "outbox/a.json", Content: []byte("{}\n")}}, nil
}
