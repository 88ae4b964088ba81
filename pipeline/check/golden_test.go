package check_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"golang.org/x/tools/txtar"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/load"
)

// TestGoldenPosts checks each testdata/posts/<case>.md as the only post of
// a calendar made from testdata/base, and compares the diagnostics, as the
// text format prints them with the source line, with <case>.out.
func TestGoldenPosts(t *testing.T) {
	cases, _ := filepath.Glob("testdata/posts/*.md")
	if len(cases) == 0 {
		t.Fatal("no golden post cases")
	}
	for _, md := range cases {
		name := strings.TrimSuffix(filepath.Base(md), ".md")
		t.Run(name, func(t *testing.T) {
			dir := newCalendar(t, nil)
			content, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			writeFile(t, filepath.Join(dir, "posts", name+".md"), content)
			compareGolden(t, dir, strings.TrimSuffix(md, ".md")+".out")
		})
	}
}

// TestGoldenCalendars checks each testdata/calendars/<case>.txtar: a
// calendar whose files the archive holds (testdata/base's charter.yaml
// when the archive has none), compared with <case>.out.
func TestGoldenCalendars(t *testing.T) {
	cases, _ := filepath.Glob("testdata/calendars/*.txtar")
	if len(cases) == 0 {
		t.Fatal("no golden calendar cases")
	}
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := newCalendar(t, ar)
			compareGolden(t, dir, strings.TrimSuffix(file, ".txtar")+".out")
		})
	}
}

// newCalendar makes a calendar in a temporary folder from testdata/base
// and the files of ar, which replace base's.
func newCalendar(t *testing.T, ar *txtar.Archive) string {
	t.Helper()
	dir := t.TempDir()
	base := "testdata/base"
	err := filepath.WalkDir(base, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		content, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		writeFile(t, filepath.Join(dir, rel), content)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if ar != nil {
		for _, f := range ar.Files {
			writeFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data)
		}
	}
	return dir
}

func writeFile(t *testing.T, path string, content []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, content, 0o644); err != nil {
		t.Fatal(err)
	}
}

// compareGolden runs check on the calendar at dir and compares its text
// output with the golden file.
func compareGolden(t *testing.T, dir, goldenFile string) {
	t.Helper()
	res, err := check.Run(context.Background(), check.Options{Dir: dir})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	var out bytes.Buffer
	p := diag.Printer{Format: "text", Source: func(path string) ([]byte, error) {
		return load.ReadPost(filepath.Join(dir, filepath.FromSlash(path))) // never blocks on a FIFO
	}}
	if err := p.Print(&out, res.Diagnostics); err != nil {
		t.Fatal(err)
	}
	if res.ConfigError {
		out.WriteString("(configuration error: exit 2)\n")
	}
	golden.Check(t, goldenFile, out.Bytes())
}
