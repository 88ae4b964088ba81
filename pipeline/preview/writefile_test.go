package preview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteFileLikeOS checks that writeFile writes, replaces and fails as
// os.WriteFile does.
func TestWriteFileLikeOS(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	for _, content := range []string{strings.Repeat("é", 100_000), "short", ""} {
		if err := writeFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(file)
		if err != nil || string(got) != content {
			t.Fatalf("wrote %d bytes, read %d: %v", len(content), len(got), err)
		}
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o644&^umask() {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
	missing := filepath.Join(dir, "no", "page.html")
	got, want := writeFile(missing, nil, 0o644), os.WriteFile(missing, nil, 0o644)
	if got == nil || want == nil || got.Error() != want.Error() {
		t.Errorf("error %v, os.WriteFile's %v", got, want)
	}
}

// umask is the process's umask, as a file created 0o777 shows it.
func umask() os.FileMode {
	dir, err := os.MkdirTemp("", "umask")
	if err != nil {
		return 0
	}
	defer os.RemoveAll(dir)
	f := filepath.Join(dir, "f")
	if os.WriteFile(f, nil, 0o777) != nil {
		return 0
	}
	fi, err := os.Stat(f)
	if err != nil {
		return 0
	}
	return 0o777 &^ fi.Mode().Perm()
}
