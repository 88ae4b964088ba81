// Package length counts a text as each network counts it against its
// limit: X's weighted length (twitter-text v3), user-perceived characters
// (grapheme clusters) for Bluesky, Mastodon's countable text, and Unicode
// code points for the networks that document a plain character count.
//
// Each function takes any string, valid UTF-8 or not, and never panics;
// an invalid byte counts as one U+FFFD.
package length

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// Graphemes is the number of extended grapheme clusters of text (Unicode
// 15.0, rivo/uniseg), as Bluesky counts a post's text against its
// maxGraphemes. The text is counted as it is sent: not normalised.
//
// Two ASCII characters are always two clusters, but for CR LF: no ASCII
// character extends or joins a cluster, nor is it an emoji or a regional
// indicator. So the text's runs of ASCII are counted here, and uniseg
// counts only the stretches between them that hold other characters, each
// from the last ASCII character before it (which an accent may follow) to
// the first two ASCII characters after it, boundaries both.
func Graphemes(text string) int {
	n := 0
	for i := 0; i < len(text); {
		// ASCII from i on, up to j: clusters of their own but for the
		// last, which what follows may extend.
		j := i
		for j < len(text) && text[j] < utf8.RuneSelf {
			j++
		}
		if j == len(text) {
			return n + asciiClusters(text[i:])
		}
		start := max(i, j-1)
		if start > i && text[start-1] == '\r' && text[start] == '\n' {
			start-- // CR LF is one cluster
		}
		n += asciiClusters(text[i:start])
		// Up to two ASCII characters in a row that are not CR LF.
		end := j + 1
		for ; end < len(text); end++ {
			if text[end-1] < utf8.RuneSelf && text[end] < utf8.RuneSelf && !(text[end-1] == '\r' && text[end] == '\n') {
				break
			}
		}
		n += uniseg.GraphemeClusterCount(text[start:end])
		i = end
	}
	return n
}

// asciiClusters counts the grapheme clusters of ASCII text.
func asciiClusters(s string) int {
	return len(s) - strings.Count(s, "\r\n")
}

// Characters is the number of Unicode code points of text in NFC, the
// character count of the networks that document one without saying more.
func Characters(text string) int {
	return utf8.RuneCountInString(norm.NFC.String(text))
}

// RuneMax is the most one code point of a text can add to the text's
// length, whatever surrounds it: to Characters, the code points of its
// canonical decomposition; to X, their weights, URLs and emoji sequences
// aside (a URL weighs 23 however long, a sequence 2). Both count the text
// in NFC, which leaves some characters decomposed, and composes others
// with what follows them, which only makes the text shorter. It lets a
// caller bound a length without counting it.
func RuneMax(r rune) (characters, weighted int) {
	if r < utf8.RuneSelf {
		return 1, 1
	}
	if int(r) < len(runeMaxTable()) {
		m := runeMaxTable()[r]
		return int(m[0]), int(m[1])
	}
	return runeMax(r)
}

// RunesMax returns the code points of s, and the sums of RuneMax over them:
// the most they can add to Characters and to X, URLs and emoji sequences
// aside.
func RunesMax(s string) (runes, characters, weighted int) {
	table := runeMaxTable()
	// ASCII counts one for one: start from there, and correct for the
	// other characters.
	runes, characters, weighted = len(s), len(s), len(s)
	for i := 0; i < len(s); {
		// Past ASCII, eight bytes at a time.
		for ; i+8 <= len(s) && (s[i]|s[i+1]|s[i+2]|s[i+3]|s[i+4]|s[i+5]|s[i+6]|s[i+7])&0x80 == 0; i += 8 {
		}
		for ; i < len(s) && s[i] < utf8.RuneSelf; i++ {
		}
		if i == len(s) {
			break
		}
		var r rune
		n := 2
		if c := s[i]; c&0xE0 == 0xC0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 && c >= 0xC2 {
			r = rune(c&0x1F)<<6 | rune(s[i+1]&0x3F) // Latin, Greek, Cyrillic...: most of them
		} else {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		var c, w int
		if int(r) < len(table) {
			c, w = int(table[r][0]), int(table[r][1])
		} else {
			c, w = runeMax(r)
		}
		runes += 1 - n
		characters += c - n
		weighted += w - n
		i += n
	}
	return runes, characters, weighted
}

// runeMaxTable holds RuneMax below U+3000, which covers the alphabets and
// punctuation of most texts.
var runeMaxTable = sync.OnceValue(func() [][2]uint8 {
	t := make([][2]uint8, 0x3000)
	for r := range rune(len(t)) {
		c, w := runeMax(r)
		t[r] = [2]uint8{uint8(c), uint8(w)}
	}
	return t
})

func runeMax(r rune) (characters, weighted int) {
	var enc, dec [4 * utf8.UTFMax]byte
	e := utf8.AppendRune(enc[:0], r)
	if norm.NFD.IsNormal(e) {
		return 1, xWeight(r) / xScale
	}
	d := norm.NFD.Append(dec[:0], e...)
	for len(d) > 0 {
		c, n := utf8.DecodeRune(d)
		characters, weighted = characters+1, weighted+xWeight(c)/xScale
		d = d[n:]
	}
	return characters, weighted
}
