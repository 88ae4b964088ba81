package check

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestRealPathMatchesEvalSymlinks checks the shortcut realPath takes
// against filepath.EvalSymlinks, on a calendar reached through a link and
// holding links of its own.
func TestRealPathMatchesEvalSymlinks(t *testing.T) {
	top := t.TempDir()
	realRoot := filepath.Join(top, "real-calendar")
	outside := filepath.Join(top, "outside")
	for _, dir := range []string{realRoot + "/media/sub", realRoot + "/posts", outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{realRoot + "/media/a.png", realRoot + "/media/sub/b.png", outside + "/c.png"} {
		if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		top + "/calendar":                  "real-calendar",
		realRoot + "/media/inside.png":     "a.png",
		realRoot + "/media/linked-dir":     "sub",
		realRoot + "/media/out.png":        "../../outside/c.png",
		realRoot + "/media/out-dir":        outside,
		realRoot + "/media/dangling.png":   "nowhere.png",
		realRoot + "/media/loop.png":       "loop.png",
		realRoot + "/posts/media-of-posts": "../media",
	}
	for link, target := range links {
		if err := os.Symlink(target, link); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	for _, root := range []string{realRoot, top + "/calendar"} {
		cr := &charterRules{root: root}
		cr.realRoot = sync.OnceValues(func() (string, error) { return filepath.EvalSymlinks(root) })
		for _, rel := range []string{
			".", "media", "media/a.png", "media/sub/b.png", "media/inside.png", "media/linked-dir/b.png",
			"media/out.png", "media/out-dir/c.png", "media/dangling.png", "media/loop.png", "media/missing.png",
			"media/a.png/x", "posts/media-of-posts/a.png", "posts/media-of-posts/sub/b.png",
		} {
			file := filepath.Join(root, rel)
			got, gotErr := cr.realPath(file)
			want, wantErr := filepath.EvalSymlinks(file)
			if got != want || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("realPath(%s) = %q, %v; EvalSymlinks gives %q, %v", file, got, gotErr, want, wantErr)
			}
		}
	}
}
