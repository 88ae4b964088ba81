package preview_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/preview"
)

// buildSite checks the calendar at dir and writes its site into a new
// folder, which it returns.
func buildSite(t testing.TB, dir string, opts preview.SiteOptions) string {
	t.Helper()
	res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "site")
	if err := preview.WriteSite(out, res, opts); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSiteGolden compares every page of the site of testdata/site/calendar
// with testdata/site/want/LANG, in each language of the charter's locale.
// Run with -update to rewrite them.
func TestSiteGolden(t *testing.T) {
	for _, l := range locales {
		t.Run(l.lang, func(t *testing.T) {
			t.Parallel()
			dir := withLocale(t, "testdata/site", "calendar", l.locale)
			res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
			if err != nil {
				t.Fatal(err)
			}
			site := filepath.Join(t.TempDir(), "site")
			if err := preview.WriteSite(site, res, preview.SiteOptions{Printer: printerOf(t, res)}); err != nil {
				t.Fatal(err)
			}
			got := htmlFiles(t, site)
			want := filepath.Join("testdata", "site", "want", l.lang)
			if *golden.Update {
				if err := os.RemoveAll(want); err != nil {
					t.Fatal(err)
				}
				for rel, content := range got {
					file := filepath.Join(want, filepath.FromSlash(rel))
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			if diff := cmp.Diff(htmlFiles(t, want), got); diff != "" {
				t.Errorf("site differs from %s (-want +got); run go test -update if the change is right:\n%s", want, diff)
			}
			for _, file := range []string{"style.css", "site.js", "media/atelier.png"} {
				if _, err := os.Stat(filepath.Join(site, file)); err != nil {
					t.Errorf("the site has no %s: %v", file, err)
				}
			}
			if _, err := os.Stat(filepath.Join(site, "media", "outside.png")); err == nil {
				t.Error("a medium from outside the calendar was copied into the site")
			}
		})
	}
}

// TestSiteEscapes checks that a post's raw HTML shows as text wherever it
// lands (body, title, alt text, links): the pages hold no script but the
// site's own, no event handler attribute and no javascript: URL.
func TestSiteEscapes(t *testing.T) {
	site := buildSite(t, "testdata/site/calendar", preview.SiteOptions{LiveReload: true})
	for _, page := range []string{"index.html", "posts/2026/12/piege.html"} {
		t.Run(page, func(t *testing.T) {
			f, err := os.Open(filepath.Join(site, page))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			doc, err := html.Parse(f)
			if err != nil {
				t.Fatal(err)
			}
			var scripts []string
			var text strings.Builder
			for n := range doc.Descendants() {
				if n.Type == html.TextNode {
					text.WriteString(n.Data)
				}
				if n.Type != html.ElementNode {
					continue
				}
				for _, a := range n.Attr {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					switch {
					case strings.HasPrefix(a.Key, "on"):
						t.Errorf("<%s> has an event handler: %s=%q", n.Data, a.Key, a.Val)
					case (a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || v == "x"):
						t.Errorf("<%s> has %s=%q", n.Data, a.Key, a.Val)
					}
				}
				if n.Data == "script" {
					src := ""
					for _, a := range n.Attr {
						if a.Key == "src" {
							src = a.Val
						}
					}
					if n.FirstChild != nil {
						t.Errorf("inline script: %q", n.FirstChild.Data)
					}
					scripts = append(scripts, src)
				}
			}
			if diff := cmp.Diff([]string{"site.js", "/_herald/reload.js"}, scripts, cmp.Transformer("base", func(s string) string {
				return strings.TrimLeft(s, "./")
			})); diff != "" {
				t.Errorf("scripts (-want +got):\n%s", diff)
			}
			if page != "index.html" {
				for _, shown := range []string{"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>Piège</b>"} {
					if !strings.Contains(text.String(), shown) {
						t.Errorf("the page does not show %q as text", shown)
					}
				}
			}
		})
	}
}

func htmlFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".html" {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSiteRebuild writes a site twice into the same folder: the second
// site has the calendar's new media and none of the old site's pages, and
// writing it never touches the calendar's files.
func TestSiteRebuild(t *testing.T) {
	cal := filepath.Join(t.TempDir(), "calendar")
	if err := os.CopyFS(cal, os.DirFS("testdata/site/calendar")); err != nil {
		t.Fatal(err)
	}
	site := buildSite(t, cal, preview.SiteOptions{})
	medium := filepath.Join(cal, "media", "atelier.png")
	write := func(file, content string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// An editor saves a new file over the old one.
	write(medium+".new", "new picture")
	if err := os.Rename(medium+".new", medium); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(cal, "posts", "2026", "12", "fil.md")); err != nil {
		t.Fatal(err)
	}
	rebuild := func() {
		t.Helper()
		res, err := check.Run(context.Background(), check.Options{Dir: cal, KeepPosts: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := preview.WriteSite(site, res, preview.SiteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	rebuild()
	// Then writes into it in place.
	write(medium, "newer picture")
	rebuild()
	for file, want := range map[string]string{medium: "newer picture", filepath.Join(site, "media", "atelier.png"): "newer picture"} {
		if got, err := os.ReadFile(file); err != nil || string(got) != want {
			t.Errorf("%s holds %q (%v), want %q", file, got, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(site, "posts", "2026", "12", "fil.html")); err == nil {
		t.Error("the page of a removed post is still in the site")
	}
	if _, err := os.Stat(filepath.Join(site, "posts", "2026", "12", "piege.html")); err != nil {
		t.Errorf("a page is missing after the rebuild: %v", err)
	}

	// A folder that holds something else is refused, and left alone.
	other := t.TempDir()
	write(filepath.Join(other, "notes.txt"), "mine")
	res, err := check.Run(context.Background(), check.Options{Dir: cal, KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := preview.WriteSite(other, res, preview.SiteOptions{}); !errors.Is(err, preview.ErrNotSite) {
		t.Errorf("WriteSite into a folder of other files: %v, want ErrNotSite", err)
	}
	if names, _ := os.ReadDir(other); len(names) != 1 {
		t.Errorf("WriteSite changed a folder it refused: %v", names)
	}
}
