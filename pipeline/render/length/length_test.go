package length

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/rivo/uniseg"
)

func TestGraphemes(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"ASCII", "abc", 3},
		{"decomposed accent is one", "e\u0301", 1},
		{"family is one", "👨\u200d👩\u200d👧\u200d👦", 1},
		{"flag is one", "🇫🇷", 1},
		{"skin tone is one", "👍🏽", 1},
		{"keycap is one", "1\uFE0F\u20E3", 1},
		{"CRLF is one", "a\r\nb", 3},
		{"Hangul jamo syllable is one", "\u1100\u1161\u11A8", 1},
		{"a URL counts in full", "https://example.com", 19},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Graphemes(tc.text)); diff != "" {
				t.Errorf("Graphemes(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestCharacters(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"ASCII", "abc", 3},
		{"decomposed accent composes in NFC", "e\u0301", 1},
		{"family is its code points", "👨\u200d👩\u200d👧\u200d👦", 7},
		{"flag is two", "🇫🇷", 2},
		{"presentation form decomposes in NFC", "\uFB2C", 3},
		{"a URL counts in full", "https://example.com", 19},
		{"invalid byte is one", "a\xffb", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Characters(tc.text)); diff != "" {
				t.Errorf("Characters(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestMastodon(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		urlLength int
		want      int
	}{
		{"empty", "", 23, 0},
		{"white space only", " \n\t ", 23, 0},
		{"plain text", "Bonjour !", 23, 9},
		{"long URL counts 23", "Voir https://example.com/a/very/long/path/that/goes/on", 23, 28},
		{"short URL counts 23 too", "https://a.co", 23, 23},
		{"server's own URL length", "https://example.com/long/path", 10, 10},
		{"bare domain counts in full", "example.com/path", 23, 16},
		{"gemini URL", "gemini://example.org/x", 23, 23},
		{"ftp URL counts in full", "ftp://example.org", 23, 17},
		{"pseudo-TLD counts in full", "https://social.example/@alice", 23, 29},
		{"trailing punctuation is text", "https://example.com/café.", 23, 24},
		{"Unicode path", "https://example.com/日本語", 23, 23},
		{"path stops at a parenthesis", "(https://example.com/a)", 23, 25},
		{"balanced parentheses", "https://example.com/a_(b)", 23, 23},
		{"remote mention counts its user", "@alice@mastodon.social merci", 23, 12},
		{"local mention", "@alice merci", 23, 12},
		{"mention in parentheses", "(@alice@example.com)", 23, 8},
		{"mention's domain ends before a period", "@alice@example.com.", 23, 7},
		{"email address is not a mention", "mail@example.com", 23, 16},
		{"mention followed by @ counts in full", "@alice@example.com@", 23, 19},
		{"mention in a URL path", "https://example.com/@alice", 23, 23},
		{"mention after =", "a=@alice@example.com", 23, 20},
		{"family emoji is one", "👨\u200d👩\u200d👧\u200d👦", 23, 1},
		{"decomposed accent is one", "e\u0301", 23, 1},
		{"hashtag counts in full", "#NoelMaison", 23, 11},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, Mastodon(tc.text, tc.urlLength)); diff != "" {
				t.Errorf("Mastodon(%q, %d) (-want +got):\n%s", tc.text, tc.urlLength, diff)
			}
		})
	}
}

func TestMastodonMentions(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // each mention as written, then the user it counts as
	}{
		{"two", "@a @b@c.org", []string{"@a", "a", "@b@c.org", "b"}},
		{"dots and hyphens inside a user", "@first.last-name hi", []string{"@first.last-name", "first.last-name"}},
		{"user ends before a period", "@alice.", []string{"@alice", "alice"}},
		{"after a word character", "x@alice", nil},
		{"after a slash", "/@alice", nil},
		{"followed by an accented letter", "@alicé", nil},
		{"followed by ://", "@alice://", nil},
		{"domain longer than 253", "@a@" + strings.Repeat("b", 250) + ".org", nil},
		{"Unicode domain", "@alice@exämple.org", []string{"@alice@exämple.org", "alice"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range mastodonMentions(tc.text) {
				got = append(got, tc.text[m.start:m.end], m.user)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("mentions of %q (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

var graphemePieces = []string{
	"a", "Z", " ", ".", "\r", "\n", "\r\n", "\t", "\x00", "é", "e\u0301", "\u0301", "\u200d", "\ufe0f", "\u20e3", "#", "1",
	"🇫", "🇷", "🇫🇷", "👩‍🎨", "👍🏽", "☕", "가", "\u1100", "\u1161", "\u11a8", "\u0903", "\u0915", "\u094d", "\u0600", "\xff",
	"\xe2\x80", "\U0001f3fb", "©", "\u2028",
}

// TestGraphemesLikeUniseg checks Graphemes's counting of ASCII against
// uniseg's count of the whole text.
func TestGraphemesLikeUniseg(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for range 100_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(graphemePieces[rng.IntN(len(graphemePieces))])
		}
		checkGraphemes(t, b.String())
	}
}

func checkGraphemes(t *testing.T, s string) {
	t.Helper()
	if got, want := Graphemes(s), uniseg.GraphemeClusterCount(s); got != want {
		t.Fatalf("Graphemes(%q) = %d, uniseg %d", s, got, want)
	}
}

func FuzzGraphemes(f *testing.F) {
	f.Add("Noël\r\n👩‍🎨 e\u0301 🇫🇷🇫 #\ufe0f\u20e3 가\xff")
	f.Fuzz(checkGraphemes)
}

// TestRunesMaxSumsRuneMax checks RunesMax against RuneMax rune by rune.
func TestRunesMaxSumsRuneMax(t *testing.T) {
	check := func(s string) {
		t.Helper()
		var runes, chars, weighted int
		for _, r := range s {
			c, w := RuneMax(r)
			runes, chars, weighted = runes+1, chars+c, weighted+w
		}
		if gr, gc, gw := RunesMax(s); gr != runes || gc != chars || gw != weighted {
			t.Fatalf("RunesMax(%q) = %d, %d, %d; want %d, %d, %d", s, gr, gc, gw, runes, chars, weighted)
		}
	}
	rng := rand.New(rand.NewPCG(15, 16))
	pieces := append(graphemePieces, "\xc0\x80", "\xc1\xbf", "\xc2", "\xc2\x80", "\xdf\xbf", "\u0344", "\ufb2c", "ǖ", "ᾂ", "abcdefghijk")
	for range 50_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(b.String())
	}
	for r := rune(0); r < 0x3100; r++ {
		check(string(r) + "a" + string(r))
	}
}
