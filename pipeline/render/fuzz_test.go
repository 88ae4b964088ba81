package render

import (
	"html"
	"os"
	"regexp"
	"strings"
	"testing"
)

// markdownSyntax are the characters Markdown syntax is written with. The
// plain text drops the syntax and keeps the writer's text, so it never holds
// more of them than the writer typed as text.
const markdownSyntax = "*_[]!#<>`"

// entity is a character reference as CommonMark reads one: with its
// semicolon. HTML also reads "&#00" (no semicolon) as one, Markdown as text.
var entity = regexp.MustCompile(`&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});`)

// FuzzPlain renders arbitrary Markdown in every dialect and checks that
// nothing panics and that the plain text holds no Markdown syntax that was
// not in the source as text.
//
// Run it with: go test ./pipeline/render -run '^$' -fuzz FuzzPlain -fuzztime 5m
func FuzzPlain(f *testing.F) {
	everything, err := os.ReadFile("testdata/everything.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(everything))
	for _, s := range []string{
		"**gras** et _italique_ #2026 l'été https://example.org",
		"[lien](https://example.org) ![image](a.png \"titre\")",
		"Un\n\n---\n\nDeux\n\n---\n\nTrois",
		"- un\n- deux\n  - trois\n\n1. premier\n2) second",
		"> citation\n> > imbriquée\n\n```go\ncode\n```",
		"<script>alert(1)</script> <img src=x onerror=alert(1)>",
		`\*\*pas gras\*\* &#42;&#42; &amp; &lt;b&gt;`,
		"# Titre\n\nSetext\n======\n\nligne  \ncassée\\\nencore",
		"<https://example.org> <contact@example.org> [ref]\n\n[ref]: https://example.org",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, source string) {
		for d := Plain; d <= HTML; d++ {
			if parts := Parts(source, d); len(parts) == 0 {
				t.Fatalf("%s: no part for %q", d, source)
			}
		}
		// "\*" and "&#42;" are the writer's ways of typing "*".
		typed := entity.ReplaceAllStringFunc(strings.ReplaceAll(source, `\`, ""), html.UnescapeString)
		plain := Parts(source, Plain)
		var text strings.Builder
		for _, part := range plain {
			text.WriteString(part.Text)
		}
		for _, c := range markdownSyntax {
			if got, want := strings.Count(text.String(), string(c)), strings.Count(typed, string(c)); got > want {
				t.Fatalf("the plain text holds %d %q, the source %d: %q gave %q", got, c, want, source, text.String())
			}
		}
	})
}
