package length

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The twitter-text v3 configuration (config/v3.json), with which X counts
// a post against its 280.
const (
	xScale                = 100
	xDefaultWeight        = 200
	xTransformedURLLength = 23
	// XLimit is maxWeightedTweetLength.
	XLimit = 280
)

// xRanges are the v3 ranges of weight 100; every other code point weighs
// defaultWeight.
var xRanges = [...][2]rune{
	{0x0000, 0x10FF}, // Basic Latin to Georgian
	{0x2000, 0x200D}, // spaces, ZWNJ and ZWJ of General Punctuation
	{0x2010, 0x201F}, // hyphens and quotes
	{0x2032, 0x2037}, // primes
}

// xURLs is the URL extraction twitter-text runs before counting: http and
// https, bare domains too.
var xURLs = &urlRules{
	schemes:         []string{"https", "http"},
	withoutProtocol: true,
	pathChar: func(r rune) bool {
		return isTwitterPathEnding(r) || r < utf8.RuneSelf && isByteIn(byte(r), "!*';:=+,.$/%#[]-_~@|&") || r == '\u2013'
	},
	pathEnding: isTwitterPathEnding,
}

// isTwitterPathEnding is validUrlPathEndingChars, less the parentheses.
func isTwitterPathEnding(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIAlnum(byte(r)) || isByteIn(byte(r), "+-=_#/")
	}
	return 0x400 <= r && r <= 0x4FF || isLatinAccent(r)
}

func isByteIn(c byte, set string) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

// X returns the weighted length of text as X counts it, twitter-text's
// parseTweet with the v3 configuration: the text in NFC; each URL, with or
// without a scheme, weighs 23 whatever its length; each emoji sequence (a
// ZWJ sequence, a flag, a keycap, a skin tone...) weighs 2 whatever its
// code points; any other code point weighs 1 in the ranges of xRanges
// (Latin, Greek, Cyrillic, Hebrew, Arabic... and common punctuation) and 2
// elsewhere (CJK, Hangul, most symbols). The result is in characters:
// weighted / scale, rounded down as twitter-text's Java parser does.
//
// Where X counts differently:
//   - twitter-text's Java parser counts a text of white space only as 0
//     (it trims it first); X counts it as its JavaScript parser does.
//   - emoji sequences are found by the grammar of UTS #51 (see
//     emojiSequence), not by twitter-text's list of the sequences of
//     Unicode 12: a sequence that list lacks (a newer ZWJ sequence, or a
//     ZWJ sequence no vendor draws) weighs 2 here, its code points there.
//   - URLs: see urlRules.
func X(text string) int {
	s := norm.NFC.String(text)
	urls := xURLs.find(s)
	weight := 0
	for i := 0; i < len(s); {
		for len(urls) > 0 && urls[0].start < i {
			urls = urls[1:] // never happens: an emoji holds no URL start
		}
		if len(urls) > 0 && urls[0].start == i {
			weight += xTransformedURLLength * xScale
			i, urls = urls[0].end, urls[1:]
			continue
		}
		if n, runes := emojiSequence(s[i:]); runes > 1 {
			weight += xDefaultWeight
			i += n
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		weight += xWeight(r)
		i += n
	}
	return weight / xScale
}

func xWeight(r rune) int {
	for _, rg := range xRanges {
		if rg[0] <= r && r <= rg[1] {
			return 100
		}
	}
	return xDefaultWeight
}
