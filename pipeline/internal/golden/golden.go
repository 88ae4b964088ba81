// Package golden compares a test's output with a file kept beside it, in
// testdata, and rewrites the file when the test runs with -update: every
// package's golden tests share this one flag and this one behaviour.
//
//	go test ./pipeline/check -run Golden -update   # then review the diff
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Update is the -update flag: write the golden files from what the code
// produces instead of comparing.
var Update = flag.Bool("update", false, "rewrite the golden files from the current output (then review the diff)")

// Check compares got with the golden file at path (its folders are made
// on -update). A missing file fails the test with the command that
// writes it.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
