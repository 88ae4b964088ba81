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

// TestOpenMediaLikeOS checks that openMedia opens what os.Open opens, and
// fails with the errors it gives.
func TestOpenMediaLikeOS(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.png"), []byte("\x89PNG\r\n\x1a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.png", ".", "missing.png", "a.png/x"} {
		path := filepath.Join(dir, name)
		want, wantErr := os.Open(path)
		got, gotErr := openMedia(path)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Errorf("%s: error %v, os.Open's %v", name, gotErr, wantErr)
		}
		if got != nil {
			gotInfo, err1 := got.Stat()
			wantInfo, err2 := want.Stat()
			if err1 != nil || err2 != nil || got.Name() != want.Name() || !os.SameFile(gotInfo, wantInfo) {
				t.Errorf("%s: opened %s (%v), os.Open %s (%v)", name, got.Name(), err1, want.Name(), err2)
			}
			got.Close()
			want.Close()
		}
	}
}
