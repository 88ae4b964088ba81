package render

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// FuzzRender renders an arbitrary Markdown body, as load gives it (UTF-8
// text), for an account on each network of netspec.Names(), with media on
// its parts and a variant for one network: nothing panics, every part is
// valid UTF-8, a network without threads gets one part, words alone come
// out as they are, and no part is empty where the plain text of the body
// (the reference dialect) has text: no network loses a part's text. (The
// other way is no loss: Discord keeps an empty code block's fences.)
//
// The seeds, in testdata/fuzz/FuzzRender, hold what each dialect escapes
// or drops: threads, links, images, code, raw HTML, emphasis, lists,
// entities, combining and wide characters.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

func FuzzRender(f *testing.F) {
	names := netspec.Names()
	f.Fuzz(func(t *testing.T, body string) {
		if !utf8.ValidString(body) || strings.ContainsRune(body, 0) {
			return // load refuses such a file before anything renders it
		}
		p := &load.Post{Body: body, Media: []load.Media{{Src: load.Text{Value: "a.png"}, Part: 1}, {Src: load.Text{Value: "b.png"}, Part: 2}}}
		// The plain dialect is the reference: a body that has text in it
		// has text there (an empty code block, a comment or a link
		// definition alone have none, in any dialect).
		plain := Parts(body, Plain)
		// Words alone, with no character Markdown gives a meaning to, are
		// text in every dialect, and come out as they are.
		words := strings.TrimSpace(body)
		prose := words != "" && !strings.ContainsFunc(words, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' '
		})
		for _, n := range names {
			r := Render(p, &load.Account{Key: n, Network: n})
			if len(r.Parts) == 0 {
				t.Fatalf("%s: no part for %q", n, body)
			}
			if spec, _ := netspec.Lookup(n); !spec.Threads && len(r.Parts) != 1 {
				t.Fatalf("%s has no threads but gets %d parts for %q", n, len(r.Parts), body)
			}
			for i, part := range r.Parts {
				if !utf8.ValidString(part.Text) {
					t.Fatalf("%s: part %d is not valid UTF-8: %q from %q", n, i+1, part.Text, body)
				}
			}
			if prose && !strings.Contains(r.Text(), words) {
				t.Fatalf("%s: %q renders as %q", n, body, r.Text())
			}
			if spec, _ := netspec.Lookup(n); spec.Threads && len(r.Parts) == len(plain) {
				for i, part := range r.Parts {
					if blank(part.Text) && !blank(plain[i].Text) {
						t.Fatalf("%s: part %d is %q, in plain text %q, from %q", n, i+1, part.Text, plain[i].Text, body)
					}
				}
			} else if blank(r.Text()) && !blank(joinParts(plain).Text) {
				t.Fatalf("%s: %q renders as %q, in plain text %q", n, body, r.Text(), joinParts(plain).Text)
			}
		}
	})
}
