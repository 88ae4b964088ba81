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
