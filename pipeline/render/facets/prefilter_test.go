package facets

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// referenceLinks is appendLinks trying linkRE after every space and "(",
// as it did before mayLink spared it most words.
func referenceLinks(text string) []Facet {
	return appendLinksWhere(nil, text, func(string) bool { return true })
}

// referenceTags is appendTags finding hash signs with strings.IndexAny.
func referenceTags(text string) []Facet {
	var facets []Facet
	for i := 0; ; {
		hash := strings.IndexAny(text[i:], "#＃")
		if hash < 0 {
			return facets
		}
		hash += i
		_, size := utf8.DecodeRuneInString(text[hash:])
		i = hash + size
		if !after(text, hash, false) {
			continue
		}
		m := tagRE.FindStringIndex(text[i:spaceFrom(text, i)])
		if m == nil {
			continue
		}
		body := text[i : i+m[1]]
		i += m[1]
		if f, ok := tagFacet(hash, size, body); ok {
			facets = append(facets, f)
		}
	}
}

var linkPieces = []string{
	" ", "(", ")", ".", "..", "a", "Z", "0", "9", "h", "http", "HTTP", "hTtPs", "://", "s://", "example", "org", "fr",
	"é", "\u00a0", "\u2028", "-", "_", "/", "?", "#", "＃", "#", "@", "\xff", "\xef\xbc", "x.y", "1.2", "a.", ".a", "ſ", "K",
	"\ufe0f", "!",
}

// TestPrefilters checks that links and tags are found as they were before
// the searches that spare most of the text the regexps.
func TestPrefilters(t *testing.T) {
	check := func(text string) {
		t.Helper()
		if got, want := appendLinks(nil, text), referenceLinks(text); !slices.Equal(got, want) {
			t.Fatalf("links of %q: %v, want %v", text, got, want)
		}
		if got, want := appendTags(nil, text), referenceTags(text); !slices.Equal(got, want) {
			t.Fatalf("tags of %q: %v, want %v", text, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(linkPieces[rng.IntN(len(linkPieces))])
		}
		check(b.String())
	}
	for _, tc := range portedCases {
		check(tc.text)
	}
	for _, tc := range ownCases {
		check(tc.text)
	}
}

func FuzzPrefilters(f *testing.F) {
	f.Add("voir example.org (https://x.fr) HTTP://A.B hTTp a1.b2 ſ.org #tag ＃タグ a#b #️⃣")
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := appendLinks(nil, text), referenceLinks(text); !slices.Equal(got, want) {
			t.Fatalf("links of %q: %v, want %v", text, got, want)
		}
		if got, want := appendTags(nil, text), referenceTags(text); !slices.Equal(got, want) {
			t.Fatalf("tags of %q: %v, want %v", text, got, want)
		}
	})
}
