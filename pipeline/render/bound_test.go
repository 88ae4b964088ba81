package render

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// boundPieces are what the random sources of TestBound are made of: the
// Markdown constructs that make plain text longer or shorter than its
// source, URLs, and characters that NFC or X weigh in their own way.
var boundPieces = []string{
	" ", "\n", "\n\n", "\n\n---\n\n", "---", "a", "é", "e\u0301", "\u0958", "\ufb2c", "\U0001d160", "가", "🎄", "👩‍🎨", "🇫🇷",
	"1️⃣", "•", "—", ".", ". ", "x.fr", "t.co", "https://", "http://", "://", "/", "@alice", "@alice@example.org",
	"www.example.com", "#tag", "&amp;", "&#46;", "&period;", "&#x1F600;", "\\", "\\.", "*", "**", "_", "[", "]", "(", ")",
	"[lien](https://example.org)", "[x.fr](https://x.fr)", "![alt](a.png)", "- ", "-", "\n- ", "\n-\n", "* ", "+ ",
	"1. ", "9. ", "1) ", "\n1.\n", "  - ", "   ", "    ", "> ", "\n> ", "# ", "\n===\n", "\n---", "  \n", "\\\n", "'", "\u2019",
}

// checkBound renders source for every network in the Plain dialect and
// fails when a part is longer than the source's bound says it can be.
func checkBound(t *testing.T, source string) {
	t.Helper()
	b := BoundOf(source)
	if !b.ok {
		return
	}
	accounts := []*load.Account{{Key: "mastodon-1000", Network: "mastodon", MaxCharacters: 1000}}
	for _, n := range netspec.Names() {
		accounts = append(accounts, &load.Account{Key: n, Network: n})
	}
	p := &load.Post{Body: source}
	for _, a := range accounts {
		most, ok := b.Max(a)
		if !ok {
			if DialectFor(a.Network) == Plain {
				t.Fatalf("%s: no bound for %q", a.Key, source)
			}
			continue
		}
		for i, part := range Render(p, a).Parts {
			if n := Length(a, part.Text); n > most {
				t.Fatalf("%s: part %d of %q is %q, of length %d, above its bound %d", a.Key, i+1, source, part.Text, n, most)
			}
		}
	}
}

func TestBound(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 1_000 // a few seconds under -race; HERALD_LONG_TESTS=1 runs the full count
	if os.Getenv("HERALD_LONG_TESTS") == "1" {
		n = 10_000
	}
	for range n {
		var b strings.Builder
		for range rng.IntN(30) {
			b.WriteString(boundPieces[rng.IntN(len(boundPieces))])
		}
		checkBound(t, b.String())
	}
	cases, _ := filepath.Glob("testdata/*.md")
	for _, md := range cases {
		src, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		checkBound(t, string(src))
	}
}

// TestBoundRefuses checks that the constructs the bound does not cover
// leave a source without one.
func TestBoundRefuses(t *testing.T) {
	for _, source := range []string{
		"[a]\n\n[a]: https://example.org", "<https://example.org>", "`code`", "~~~\ncode\n~~~", "a\tb", "a\r\nb",
		"- - a", "1. - a", "> * 2. a",
	} {
		if b := BoundOf(source); b.ok {
			t.Errorf("%q has a bound", source)
		}
	}
	for _, source := range []string{"- a\n- b", "1. a\n2. b", "- ---", "a. b", ""} {
		if b := BoundOf(source); !b.ok {
			t.Errorf("%q has no bound", source)
		}
	}
}

// TestBoundPieces checks that a thread's parts are bounded one by one.
func TestBoundPieces(t *testing.T) {
	long := strings.Repeat("Une phrase de la partie. ", 10)
	source := long + "\n\n---\n\n" + long + "\n\n---\n\n" + long
	b := BoundOf(source)
	x, _ := b.Max(&load.Account{Key: "x", Network: "x"})
	linkedin, _ := b.Max(&load.Account{Key: "linkedin", Network: "linkedin"})
	if x > 280 || linkedin < len(source)-10 {
		t.Errorf("bounds of three parts of %d characters: x %d, linkedin %d", len(long), x, linkedin)
	}
}

func FuzzBound(f *testing.F) {
	f.Add("Voir [le site](https://x.fr) et @alice@example.org 👩‍🎨 e\u0301\n\n---\n\n- un\n-\n1. deux")
	f.Fuzz(checkBound)
}
