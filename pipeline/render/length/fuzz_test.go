package length

import "testing"

// FuzzLengths checks that no length function panics, that none is
// negative, and that the URL spans X finds are in order, on rune
// boundaries and inside the text.
func FuzzLengths(f *testing.F) {
	for _, tc := range conformanceCases {
		f.Add(tc.text)
	}
	for _, tc := range ownCases {
		f.Add(tc.text)
	}
	f.Add("\xff@alice@\xc3 https://\xe2\x80.com/(\xf0 #️\u20e3\U0001F3F4\U000E0067")
	f.Fuzz(func(t *testing.T, text string) {
		for name, n := range map[string]int{
			"X":          X(text),
			"Graphemes":  Graphemes(text),
			"Characters": Characters(text),
			"Mastodon":   Mastodon(text, MastodonURLLength),
		} {
			if n < 0 {
				t.Fatalf("%s(%q) = %d, want >= 0", name, text, n)
			}
		}
		boundary := make([]bool, len(text)+1) // as Go decodes text: an invalid byte is a rune
		for i := range text {
			boundary[i] = true
		}
		boundary[len(text)] = true
		end := 0
		for _, u := range xURLs.find(text) {
			if u.start < end || u.end <= u.start || u.end > len(text) {
				t.Fatalf("URL %v out of order or range in %q", u, text)
			}
			if !boundary[u.start] || !boundary[u.end] {
				t.Fatalf("URL %v not on rune boundaries in %q", u, text)
			}
			end = u.end
		}
	})
}
