package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadPostLikeOS checks that ReadPost reads as os.ReadFile does and
// fails with the errors os.Open and File.Read give.
func TestReadPostLikeOS(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("é", 5000)
	for name, content := range map[string]string{"empty.md": "", "small.md": "---\ndate: x\n---\nbody\n", "big.md": big} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, buf := range [][]byte{nil, make([]byte, 10, 16<<10)} {
			got, err := ReadPostInto(buf, path)
			if err != nil || string(got) != content {
				t.Errorf("%s: read %q, %v", name, got, err)
			}
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "folder.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"missing.md", "folder.md"} {
		path := filepath.Join(dir, name)
		_, want := os.ReadFile(path)
		if _, got := ReadPost(path); got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("%s: error %v, os.ReadFile's %v", name, got, want)
		}
	}
}

// TestReadRegularPostLikeOS checks that ReadRegularPostInto, which stops at
// a short read, reads what os.ReadFile does, files the size of the buffer
// given and one byte more included, and no more than one byte past
// MaxPostSize.
func TestReadRegularPostLikeOS(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"empty.md": "", "small.md": "---\ndate: x\n---\nbody\n", "big.md": strings.Repeat("é", 5000),
		"buffer.md": strings.Repeat("x", 16<<10), "buffer1.md": strings.Repeat("x", 16<<10+1),
		"toolarge.md": strings.Repeat("x", MaxPostSize+10),
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		want, _ := ReadPost(path)
		if len(content) <= MaxPostSize && string(want) != content || len(want) > MaxPostSize+1 {
			t.Fatalf("%s: ReadPost read %d bytes of %d", name, len(want), len(content))
		}
		for _, buf := range [][]byte{nil, make([]byte, 10, 16<<10)} {
			got, err := ReadRegularPostInto(buf, path)
			if err != nil || string(got) != string(want) {
				t.Errorf("%s: read %d bytes, want %d (%v)", name, len(got), len(want), err)
			}
		}
	}
	_, want := ReadPost(filepath.Join(dir, "missing.md"))
	if _, got := ReadRegularPostInto(nil, filepath.Join(dir, "missing.md")); got == nil || got.Error() != want.Error() {
		t.Errorf("missing.md: error %v, ReadPost's %v", got, want)
	}
}
