// Package length counts a text as each network counts it against its
// limit: X's weighted length (twitter-text v3), user-perceived characters
// (grapheme clusters) for Bluesky, Mastodon's countable text, and Unicode
// code points for the networks that document a plain character count.
//
// Each function takes any string, valid UTF-8 or not, and never panics;
// an invalid byte counts as one U+FFFD.
package length

import (
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Graphemes is the number of extended grapheme clusters of text (Unicode
// 15.0, rivo/uniseg), as Bluesky counts a post's text against its
// maxGraphemes. The text is counted as it is sent: not normalised.
func Graphemes(text string) int {
	return uniseg.GraphemeClusterCount(text)
}

// Characters is the number of Unicode code points of text in NFC, the
// character count of the networks that document one without saying more.
func Characters(text string) int {
	return utf8.RuneCountInString(norm.NFC.String(text))
}
