package length

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// xCase is a text and its weighted length.
type xCase struct {
	name string
	text string
	want int
}

// conformanceCases are modelled on twitter-text's conformance/validate.yml
// (WeightedTweetsWithDiscountedEmojiCounterTest and lengths), which every
// twitter-text implementation passes with config/v3.json: the same kinds of
// text, built here, with the weighted lengths that file expects.
var conformanceCases = []xCase{
	{"regular text", "This is a test.", 15},
	{"text and url", "Hi http://test.co", 26},
	{"just a url", "http://test.co", 23},
	{"url with http", "http://test.com", 23},
	{"url with https", "https://test.com", 23},
	{"url without scheme", "test.com", 23},
	{"several urls", "Test https://test.com test https://test.com test.com test", 86},
	{"285 ASCII characters", "285 chars-" + strings.Repeat("xxxxxxxxxx-", 25), 285},
	{"url in the middle", "285 chars- http://www.twitter.com/jack " + strings.Repeat("xxxxxxxxxx-", 24), 299},
	{"url at the end", strings.Repeat("xxxxxxxxxx-", 24) + " http://www.twitter.com/jack ", 289},
	{"ten urls", strings.Repeat("https://www.twitter.com/aloha ", 10), 240},
	{"160 CJK characters", strings.Repeat("故人西辞黄鹤楼，", 20), 320},
	{"160 emoji", strings.Repeat("😷", 160), 320},
	{"3 Latin and 160 CJK characters", "the" + strings.Repeat("故人西辞黄鹤楼，", 20), 323},
	{"decomposed Á is one character", "A\u0301B", 2},
	{"ﬕ-like presentation form decomposes into 3", "A\uFB2C", 4},
	{"decomposed character at 282", "282 chars-" + strings.Repeat("xxxxxxxxxx-", 24) + "xxxxxA\u0301x", 281},
	{"astral code points", "\U00010000\U0010ffff", 4},
	{"Hangul", "저찀쯿쿿", 8},
	{"letter, emoji, symbol and family", "H🐱☺👨\u200d👩\u200d👧\u200d👦", 7},
	{"five emoji", "😷👾😡🔥💩", 10},
	{"skin tone and ZWJ profession", "🙋🏽👨\u200d🎤", 4},
	{"140 family emoji", strings.Repeat("👨\u200d👩\u200d👧\u200d👦", 140), 280},
	{"Unicode 10 emoji and a subdivision flag", "Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; 🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F", 34},
	{"Unicode 9 emoji", "Unicode 9.0 emoji: 🤠; 💃; 💃🏾", 29},
	{"non-characters count", "ABC\u202A\uFFFFABC\uFFFE", 12},
	{"directional marks around a url with a Unicode TLD", "\u2066\u202Ahttp://foobar.پاکستان/\u202C\u2069", 31},
	{"64-byte label without scheme is text", strings.Repeat("randomurl", 7) + "s.com", 68},
	{"63-byte label with scheme is a url", "a https://" + strings.Repeat("x", 63) + ".com/foo b", 27},
	{"64-byte label with scheme is text", "a https://" + strings.Repeat("x", 64) + ".com/foo b", 84},
	{"CJK host of 52 characters is a url", strings.Repeat("あいうえおかきくけこ", 12) + " http://" + strings.Repeat("あいうえおかきくけこ", 5) + "あい.com", 264},
	{"CJK host over 63 bytes in punycode is text", strings.Repeat("あいうえおかきくけこ", 12) + " http://" + strings.Repeat("あいうえおかきくけこ", 5) + "あいう.com", 358},
}

// ownCases are Herald's own: the weights, the emoji sequences and the URL
// rules one at a time.
var ownCases = []xCase{
	{"empty", "", 0},
	{"white space only", "   ", 3},
	{"French accents", "Noël à l'atelier", 16},
	{"spaces and joiners of General Punctuation", "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u200B\u200C\u200D", 14},
	{"hyphens and quotes", "‐‑‒–—―‖‗‘’‚‛“”„‟", 16},
	{"primes", "′″‴‵‶‷", 6},
	{"ellipsis and euro are outside the ranges", "…€", 4},
	{"copyright alone is a letter", "©", 1},
	{"copyright as emoji", "©\uFE0F", 2},
	{"text presentation selector counts apart", "☀\uFE0E", 4},
	{"selector after a letter", "a\uFE0F", 3},
	{"keycap", "#\uFE0F\u20E3", 2},
	{"keycap without selector", "1\u20E3", 2},
	{"digit alone", "1", 1},
	{"flag", "🇫🇷", 2},
	{"flag and a lone regional indicator", "🇫🇷🇩", 4},
	{"skin tone on a base that takes none", "😷🏽", 4},
	{"ZWJ sequence newer than twitter-text's list", "❤\uFE0F\u200D🔥", 2},
	{"rainbow flag", "🏳\uFE0F\u200D🌈", 2},
	{"trailing ZWJ", "😀\u200D", 3},
	{"other schemes are text", "ftp://example.com/x", 19},
	{"country code without path is text", "maison.fr", 9},
	{"country code with path", "maison.fr/avent", 23},
	{"subdomain and country code", "www.maison.fr", 23},
	{"t.co without scheme", "t.co", 23},
	{".co.jp without scheme", "foo.co.jp", 23},
	{"email address", "contact@maison.fr", 17},
	{"pseudo-TLD is text", "https://maison.example/avent", 28},
	{"trailing period", "Voir https://example.com/page.", 29},
	{"balanced parentheses", "(https://fr.wikipedia.org/wiki/Noël_(fête))", 25},
	{"path ends before CJK", "https://example.com/日本", 27},
	{"IP address is text", "http://192.168.0.1/", 19},
	{"hashtag", "#example.com", 12},
	{"after a letter", "xhttps://example.com", 20},
	{"port without path is text", "example.com:8080", 28},
	{"port with path", "example.com:8080/x", 23},
	{"query without path is text", "example.com?x=1", 27},
	{"query with scheme", "https://example.com?x=1&y=2", 23},
	{"user and password", "http://user:pass@example.com", 28},
	{"upper case", "HTTPS://WWW.EXAMPLE.COM", 23},
	{"t.co ends after its slug", "https://t.co/abcdef?x=1", 27},
	{"underscore in a subdomain", "http://test_underscore.twitter.com", 23},
	{"underscore in the domain name", "http://domain-dash_2314352345_dfasd.foo-cow_4352.com", 52},
	{"leading hyphen in a label", "http://www.-domain4352.com/", 27},
	{"bare domain after a slash", "a/example.com", 13},
	{"bare domain after a hyphen", "-example.com/x", 14},
	{"non-ASCII labels before a bare domain", "日本.example.com", 28},
	{"Cyrillic path", "http://example.com/Русские_слова", 23},
	{"snowman domain", "http://☃.net/", 23},
	{"mention is text", "@herald", 7},
}

func TestX(t *testing.T) {
	for _, cases := range [][]xCase{conformanceCases, ownCases} {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				if diff := cmp.Diff(tc.want, X(tc.text)); diff != "" {
					t.Errorf("X(%q) (-want +got):\n%s", tc.text, diff)
				}
			})
		}
	}
}

func TestXURLs(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"several", "a https://a.com/x, b.org/y. (c.net)", []string{"https://a.com/x", "b.org/y", "c.net"}},
		{"query keeps its ending", "https://example.com?foo=$bar.;baz?BAZ&c=d-#top/?stories+", []string{"https://example.com?foo=$bar.;baz?BAZ&c=d-#top/?stories"}},
		{"fragment in the path", "http://twitter.com/#!/twitter", []string{"http://twitter.com/#!/twitter"}},
		{"matrix parameters", "http://sports.yahoo.com/nfl/news;_ylt=Aom0;ylu=XyZ?slug=ap-superbowlnotebook", []string{"http://sports.yahoo.com/nfl/news;_ylt=Aom0;ylu=XyZ?slug=ap-superbowlnotebook"}},
		{"trailing hyphen", "https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-", []string{"https://www.youtube.com/playlist?list=PL0ZPu8XSRTB7wZzn0mLHMvyzVFeRxbWn-"}},
		{"nested parentheses", "http://example.com/track/We_Up_(Album_Version_(Edited))/", []string{"http://example.com/track/We_Up_(Album_Version_(Edited))/"}},
		{"TLD before a hyphen", "example.com-foo", []string{"example.com"}},
		{"TLD before @", "example.com@foo", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, u := range xURLs.find(tc.text) {
				got = append(got, tc.text[u.start:u.end])
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("URLs of %q (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}
