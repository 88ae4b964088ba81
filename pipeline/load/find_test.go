package load

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tree makes files (content "x") below a temporary folder.
func tree(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFindCalendars(t *testing.T) {
	dir := tree(t,
		"brands/a/charter.yaml", "brands/a/posts/2026/12/p.md",
		"brands/b/charter.yaml", "brands/b/posts/q.md",
		"brands/.hidden/charter.yaml",
		"loose/readme.md",
	)
	abs := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	tests := []struct {
		name  string
		wd    string
		paths []string
		want  []Calendar
	}{
		{"calendar root", dir, []string{"brands/a"}, []Calendar{{Root: abs("brands/a")}}},
		{"no path is the working directory", abs("brands/b"), nil, []Calendar{{Root: abs("brands/b")}}},
		{"post inside a calendar", dir, []string{"brands/a/posts/2026/12/p.md"},
			[]Calendar{{Root: abs("brands/a"), Scopes: []string{abs("brands/a/posts/2026/12/p.md")}}}},
		{"folder inside a calendar", abs("brands/a/posts"), []string{"2026"},
			[]Calendar{{Root: abs("brands/a"), Scopes: []string{abs("brands/a/posts/2026")}}}},
		{"folder holding calendars, hidden ones skipped", dir, []string{"brands"},
			[]Calendar{{Root: abs("brands/a")}, {Root: abs("brands/b")}}},
		{"two paths in one calendar", dir, []string{"brands/a/posts/2026", "brands/a/posts/2026/12/p.md"},
			[]Calendar{{Root: abs("brands/a"), Scopes: []string{abs("brands/a/posts/2026"), abs("brands/a/posts/2026/12/p.md")}}}},
		{"root and a folder: the whole calendar", dir, []string{"brands/a/posts", "brands/a"},
			[]Calendar{{Root: abs("brands/a")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FindCalendars(tt.wd, tt.paths)
			if err != nil {
				t.Fatal(err)
			}
			var gotV []Calendar
			for _, c := range got {
				gotV = append(gotV, *c)
			}
			if diff := cmp.Diff(tt.want, gotV); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"missing", "loose"} {
		t.Run("usage error: "+bad, func(t *testing.T) {
			_, err := FindCalendars(dir, []string{bad})
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Errorf("FindCalendars(%s) error = %v, want a UsageError", bad, err)
			}
		})
	}
}

func TestPostFiles(t *testing.T) {
	dir := tree(t, "charter.yaml", "posts/b.md", "posts/2026/a.md", "posts/.draft.md", "posts/.git/x.md", "posts/notes.txt", "media/c.md")
	got, err := PostFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "posts/2026/a.md"), filepath.Join(dir, "posts/b.md")}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A calendar with no posts/ yet is fine.
	empty := tree(t, "charter.yaml")
	if files, err := PostFiles(empty); err != nil || len(files) != 0 {
		t.Errorf("PostFiles(no posts) = %v, %v", files, err)
	}
}
