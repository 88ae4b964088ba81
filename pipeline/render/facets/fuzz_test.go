package facets

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzDetect(f *testing.F) {
	for _, tc := range portedCases {
		f.Add(tc.text)
	}
	for _, tc := range ownCases {
		f.Add(tc.text)
	}
	f.Add("\xff@alice.test \xc3#tag\xe2\x80 example.org\xf0")
	f.Fuzz(func(t *testing.T, text string) {
		checkFacets(t, text, Detect(text))
	})
}

// checkFacets fails t unless facets are well-formed for text: in range, on
// rune boundaries (as Go decodes text, an invalid byte being one rune), in
// order, not overlapping, and each covering what its type and value say.
func checkFacets(t *testing.T, text string, facets []Facet) {
	t.Helper()
	boundary := make([]bool, len(text)+1)
	for i := range text {
		boundary[i] = true
	}
	boundary[len(text)] = true
	end := 0
	for i, f := range facets {
		if f.ByteStart < end || f.ByteEnd <= f.ByteStart || f.ByteEnd > len(text) {
			t.Fatalf("facet %d %+v: range out of order or out of [%d, %d] in %q", i, f, end, len(text), text)
		}
		if !boundary[f.ByteStart] || !boundary[f.ByteEnd] {
			t.Fatalf("facet %d %+v: not on rune boundaries in %q", i, f, text)
		}
		end = f.ByteEnd
		covered := text[f.ByteStart:f.ByteEnd]
		var ok bool
		switch f.Type {
		case Mention:
			ok = covered == "@"+f.Value
		case Link:
			ok = f.Value == covered || f.Value == "https://"+covered
		case Tag:
			ok = covered == "#"+f.Value || covered == "＃"+f.Value ||
				strings.HasPrefix(f.Value, "$") && strings.EqualFold(covered, f.Value)
		}
		if !ok {
			t.Fatalf("facet %d %+v: %q does not match its type and value in %q", i, f, covered, text)
		}
		if utf8.ValidString(text) && !utf8.ValidString(f.Value) {
			t.Fatalf("facet %d %+v: value is not UTF-8", i, f)
		}
	}
}

// benchText is a 2 KB post in French with links, mentions, tags, emoji and
// the text between them.
func benchText() string {
	const part = "Découvrez le programme de l'été 🎉 avec @alice.bsky.social et @bob.example.com : " +
		"tout est sur https://example.org/programme?année=2026 (et example.fr/été). " +
		"Réservez vite ! #Festival #Été2026 $AAPL 👩🏽\u200d💻 "
	var b strings.Builder
	for b.Len() < 2048 {
		b.WriteString(part)
	}
	s := b.String()[:2048]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

func BenchmarkDetect(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		Detect(text)
	}
}
