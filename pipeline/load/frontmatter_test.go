package load

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/frontmatter"
)

// libraryFrontMatter is what frontmatter.MustParse finds in content, as
// ParsePost called it before splitFrontMatter.
func libraryFrontMatter(content []byte) (rawFrontMatter, bool) {
	raw := rawFrontMatter{lines: &lineReader{content: content}}
	if _, err := frontmatter.MustParse(bufio.NewReader(raw.lines), &raw, frontMatterFormats...); err != nil {
		return rawFrontMatter{}, false
	}
	raw.end = raw.lines.read
	return raw, true
}

// sameFrontMatter fails when splitFrontMatter and frontmatter do not find
// the same front matter in content, or one finds some and the other none.
func sameFrontMatter(t *testing.T, content []byte) {
	t.Helper()
	got, found := splitFrontMatter(content)
	want, ok := libraryFrontMatter(content)
	if found != ok {
		t.Fatalf("%q: splitFrontMatter found front matter: %v, frontmatter: %v", content, found, ok)
	}
	if got.format != want.format || !bytes.Equal(got.data, want.data) || got.end != want.end {
		t.Fatalf("%q: splitFrontMatter found %s %q, body at %d; frontmatter %s %q, body at %d",
			content, got.format, got.data, got.end, want.format, want.data, want.end)
	}
}

var frontMatterShapes = []string{
	"", "\n", "---", "---\n", "---\n---", "---\n---\n", "---\n---\nbody", "---\r\n---\r\nbody\r\n",
	"\n\n---\na: 1\n---\nbody\n", " \t\n---\na: 1\n--- \nbody", "\u00a0---\u00a0\na: 1\n\u2003---\n",
	"---\na: 1\n", "---\na: 1\n----\n", "---\na: 1\n+++\n", "+++\na = 1\n+++\n", "+++\na = 1\n---\n+++",
	"--- \na: 1\n  ---  \n\nbody\n---\n", "text\n---\na: 1\n---\n", "---x\n---\n", "---\n---\n---\n",
	"\r\n---\r\n\r\na: 1\r\n---", "---\na: |\n  ---\n---\n", "+++\n\n+++\n", "\n", "\n\n",
}

func TestSplitFrontMatterAsFrontmatter(t *testing.T) {
	t.Parallel()
	for _, s := range frontMatterShapes {
		sameFrontMatter(t, []byte(s))
	}
	// And the common shape is found without frontmatter.
	raw, found := splitFrontMatter([]byte("---\ndate: 2026-12-01\n---\nbody\n"))
	if !found || raw.format != "yaml" || string(raw.data) != "date: 2026-12-01\n" || raw.end != 25 {
		t.Fatalf("got %+v, %v", raw, found)
	}
	posts, _ := filepath.Glob("../../example-calendar/posts/*/*/*.md")
	if len(posts) == 0 {
		t.Fatal("no example posts")
	}
	for _, p := range posts {
		content, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, found := splitFrontMatter(content); !found {
			t.Errorf("%s: front matter not found", p)
		}
		sameFrontMatter(t, content)
	}
}

// FuzzSplitFrontMatter holds splitFrontMatter to frontmatter's answers:
// go test ./pipeline/load -run '^$' -fuzz FuzzSplitFrontMatter -fuzztime 1m
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range frontMatterShapes {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, content []byte) { sameFrontMatter(t, content) })
}
