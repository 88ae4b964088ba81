package check

import (
	"bytes"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// phrase is a charter word or phrase, folded for matching.
type phrase struct {
	text        string // as the charter writes it
	folded      []byte
	replacement string // for prefer: the word to use instead
}

func foldPhrases(words []string, replacements map[string]string) []phrase {
	out := make([]phrase, 0, len(words))
	for _, w := range words {
		f := fold(strings.TrimSpace(w))
		if len(f.b) > 0 {
			out = append(out, phrase{text: w, folded: f.b, replacement: replacements[w]})
		}
	}
	return out
}

// foldedText is a text folded for case- and accent-insensitive matching,
// with the offset of the original byte each of its bytes came from. Most
// bytes come one for one from a run of the original: the offsets are kept
// only where that changes (origin gives any byte's).
type foldedText struct {
	b      []byte
	breaks []foldBreak // by folded, increasing
}

// foldBreak says that b[folded] came from the original's byte at orig, and
// each byte after it from the byte after that, up to the next break.
type foldBreak struct{ folded, orig int32 }

// fold lower-cases, strips accents (é is e), turns typographic apostrophes
// into ' and collapses runs of white space, so that "Pas  CHÉR" matches
// "pas cher".
func fold(s string) foldedText {
	var f foldedText
	f.fold(s)
	return f
}

// fold sets f to s folded, reusing f's memory.
func (f *foldedText) fold(s string) {
	f.b, f.breaks = slices.Grow(f.b[:0], len(s)), f.breaks[:0]
	space := false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if asciiSpace[c] && (space || c != ' ') {
				if !space {
					f.push(' ', i)
				}
				space = true
				i++
				continue
			}
			// A run of ASCII words with single spaces between them,
			// copied and lower-cased.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && (!asciiSpace[s[j]] || s[j] == ' ' && !asciiSpace[s[j-1]]) {
				j++
			}
			f.mark(i)
			start := len(f.b)
			f.b = append(f.b, s[i:j]...)
			for k, c := range f.b[start:] {
				if 'A' <= c && c <= 'Z' {
					f.b[start+k] = c + 'a' - 'A'
				}
			}
			space = s[j-1] == ' '
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			if !space {
				f.push(' ', i)
			}
			space = true
			i += size
			continue
		case r == '\u2019' || r == '\u2018' || r == '\u02bc':
			f.push('\'', i)
		case r < latinFoldsEnd:
			for _, c := range []byte(latinFolds()[r]) {
				f.push(c, i)
			}
		default:
			f.pushFolded(r, i)
		}
		space = false
		i += size
	}
}

// foldBuffers keeps the folded texts of checkVoice for reuse: folding every
// text of a large calendar would otherwise allocate five times its size.
var foldBuffers = sync.Pool{New: func() any { return new(foldedText) }}

// asciiSpace marks the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// latinFoldsEnd bounds the runes whose folds are computed once and kept:
// Latin-1, the Latin Extended blocks, IPA and the combining diacritics, which
// make up nearly all the non-ASCII characters of Latin-script posts.
const latinFoldsEnd = 0x370

// latinFolds holds what pushFolded pushes for each rune below latinFoldsEnd.
var latinFolds = sync.OnceValue(func() []string {
	folds := make([]string, latinFoldsEnd)
	for r := rune(utf8.RuneSelf); r < latinFoldsEnd; r++ {
		var f foldedText
		f.pushFolded(r, 0)
		folds[r] = string(f.b)
	}
	return folds
})

// pushFolded pushes r without its accents (its canonical decomposition
// without the nonspacing marks), lower-cased.
func (f *foldedText) pushFolded(r rune, offset int) {
	var buf [utf8.UTFMax]byte
	enc := utf8.AppendRune(buf[:0], r)
	if norm.NFD.IsNormal(enc) {
		// Its own decomposition: no need to build it.
		if !unicode.Is(unicode.Mn, r) {
			for _, c := range utf8.AppendRune(buf[:0], unicode.ToLower(r)) {
				f.push(c, offset)
			}
		}
		return
	}
	for _, d := range norm.NFD.String(string(r)) {
		if unicode.Is(unicode.Mn, d) {
			continue
		}
		for _, c := range utf8.AppendRune(buf[:0], unicode.ToLower(d)) {
			f.push(c, offset)
		}
	}
}

func (f *foldedText) push(c byte, offset int) {
	f.mark(offset)
	f.b = append(f.b, c)
}

// mark records that the next byte comes from the original's byte at
// offset, with a break unless that follows from the last one.
func (f *foldedText) mark(offset int) {
	next := len(f.b)
	if n := len(f.breaks); n > 0 {
		last := f.breaks[n-1]
		if int(last.orig)+next-int(last.folded) == offset {
			return
		}
	} else if next == offset {
		return // the text so far came one for one
	}
	f.breaks = append(f.breaks, foldBreak{int32(next), int32(offset)})
}

// origin returns the offset of the original byte that b[i] came from.
func (f foldedText) origin(i int) int {
	k, found := slices.BinarySearchFunc(f.breaks, i, func(b foldBreak, i int) int { return int(b.folded) - i })
	if found {
		return int(f.breaks[k].orig)
	}
	if k == 0 {
		return i
	}
	last := f.breaks[k-1]
	return int(last.orig) + i - int(last.folded)
}

// find returns the original byte offsets of the whole-word occurrences of
// p in f. A phrase edge that is a letter or digit must not touch another
// letter or digit: "cher" does not match in "chercher".
//
// It looks for the least common byte of p, rather than for the first as
// bytes.Index does: most phrases start with a letter that most words hold.
// An empty p, which foldPhrases never makes, is found nowhere.
func (f foldedText) find(p []byte) []int {
	if len(p) == 0 {
		return nil
	}
	k := rarestByte(p)
	var out []int
	for at := k; at < len(f.b); {
		j := bytes.IndexByte(f.b[at:], p[k])
		if j < 0 {
			break
		}
		at += j + 1
		i := at - 1 - k // where p would start
		end := i + len(p)
		if end > len(f.b) || !bytes.Equal(f.b[i:end], p) {
			continue
		}
		first, _ := utf8.DecodeRune(p)
		last, _ := utf8.DecodeLastRune(p)
		before, _ := utf8.DecodeLastRune(f.b[:i])
		after, _ := utf8.DecodeRune(f.b[end:])
		if !(isWordRune(first) && i > 0 && isWordRune(before)) &&
			!(isWordRune(last) && end < len(f.b) && isWordRune(after)) {
			out = append(out, f.origin(i))
		}
	}
	return out
}

// byteRank says how common each byte of folded text is, from the letter
// frequencies of French and English; 0 for the rarest.
var byteRank = func() (rank [256]byte) {
	for i, c := range []byte(" eaisntrluodcpmvgfbhqyxjzkw") {
		rank[c] = byte(40 - i)
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		rank[c] = 12 // a letter of another script, or a part of one
	}
	return rank
}()

// rarestByte returns the offset of p's least common byte.
func rarestByte(p []byte) int {
	k := 0
	for i, c := range p {
		if byteRank[c] < byteRank[p[k]] {
			k = i
		}
	}
	return k
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_'
}

// positioner maps a byte offset in a text to a file position.
type positioner func(offset int) load.Text

// bodyPositions maps offsets in a post's body, which starts at bodyLine.
func bodyPositions(text string, bodyLine int) positioner {
	return func(offset int) load.Text {
		before := text[:offset]
		lineStart := strings.LastIndexByte(before, '\n') + 1
		return load.Text{
			Line:   bodyLine + strings.Count(before, "\n"),
			Column: utf8.RuneCountInString(before[lineStart:]) + 1,
		}
	}
}

// fixedPosition maps every offset to the start of a front matter value: a
// YAML scalar's escapes and folding make inner offsets unreliable.
func fixedPosition(pos load.Text) positioner {
	return func(int) load.Text { return pos }
}

// checkVoice applies the charter's voice to one text.
func (cr *charterRules) checkVoice(r *reporter, text string, at positioner) {
	v := cr.charter.Voice
	if len(cr.banned) > 0 || len(cr.prefer) > 0 {
		f := foldBuffers.Get().(*foldedText)
		defer foldBuffers.Put(f)
		f.fold(text)
		for _, p := range cr.banned {
			for _, off := range f.find(p.folded) {
				r.at("voice.banned", at(off), "check.voice.banned", i18n.Args{"Phrase": r.q(p.text)})
			}
		}
		for _, p := range cr.prefer {
			for _, off := range f.find(p.folded) {
				r.at("voice.prefer", at(off), "check.voice.prefer", i18n.Args{"Better": r.q(p.replacement), "Word": r.q(p.text)})
			}
		}
	}
	if v.MaxHashtags != nil {
		if tags := hashtags(text); len(tags) > *v.MaxHashtags {
			r.at("voice.max-hashtags", at(tags[*v.MaxHashtags][0]),
				"check.voice.max-hashtags", i18n.Args{"N": len(tags), "Max": *v.MaxHashtags})
		}
	}
	if v.MaxEmojis != nil {
		if emojis := emojiOffsets(text); len(emojis) > *v.MaxEmojis {
			r.at("voice.max-emojis", at(emojis[*v.MaxEmojis]),
				"check.voice.max-emojis", i18n.Args{"N": len(emojis), "Max": *v.MaxEmojis})
		}
	}
}

// hashtags returns the [start, end) byte offsets of each hashtag, as
// networks link them: "#" at the start or after a character that is not a
// letter, a digit, "_", "&", "/" or "#", then letters, digits and "_" with
// at least one letter ("#2026" alone is not a hashtag). Written by hand: the
// equivalent regular expression was a fifth of check's time.
func hashtags(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '#')
		if j < 0 {
			break
		}
		start := i + j
		i = start + 1
		if start > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:start])
			if isTagRune(prev) || prev == '&' || prev == '/' || prev == '#' {
				continue
			}
		}
		end, letter := i, false
		for end < len(text) {
			r, size := utf8.DecodeRuneInString(text[end:])
			if !isTagRune(r) {
				break
			}
			letter = letter || unicode.IsLetter(r)
			end += size
		}
		if letter {
			out = append(out, [2]int{start, end})
			i = end
		}
	}
	return out
}

// isTagRune reports whether r may be part of a hashtag: a letter, a number
// or "_".
func isTagRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

// hashtagSet returns the hashtags of text, lower-cased, without "#".
func hashtagSet(text string) map[string]bool {
	set := map[string]bool{}
	for _, h := range hashtags(text) {
		set[strings.ToLower(text[h[0]+1:h[1]])] = true
	}
	return set
}

// emojiOffsets returns the byte offset of each emoji in text, counting a
// grapheme cluster (a ZWJ family, a flag, a keycap, a skin tone) as one.
// ASCII runs, and letters and punctuation of Latin text, are skipped
// without segmentation, which keeps this cheap on long texts.
func emojiOffsets(text string) []int {
	var out []int
	for i := 0; i < len(text); {
		// Past ASCII, but for a keycap's base: "#", "*" or a digit that
		// starts a cluster with what follows.
		if j := nextNonASCII(text, i); j > i {
			if i = j; j == len(text) {
				break
			}
			if isKeycapBase(text[j-1]) {
				i = j - 1
			}
		}
		if n := plainCluster(text[i:]); n > 0 {
			i += n
			continue
		}
		cluster, _, width, _ := uniseg.FirstGraphemeClusterInString(text[i:], -1)
		if isEmoji(cluster, width) {
			out = append(out, i)
		}
		i += len(cluster)
	}
	return out
}

// plainCluster returns the size of the rune text starts with when it is a
// grapheme cluster of its own and no emoji, as an accented letter or a
// typographic quote followed by another such character or ASCII is; else 0.
// The runes of plainRune are none of the Extend, ZWJ, SpacingMark or
// Prepend characters that join clusters, nor emoji.
func plainCluster(text string) int {
	r, size := utf8.DecodeRuneInString(text)
	if !plainRune(r) {
		return 0
	}
	if size < len(text) && text[size] >= utf8.RuneSelf {
		if next, _ := utf8.DecodeRuneInString(text[size:]); !plainRune(next) {
			return 0
		}
	}
	return size
}

// plainRune reports whether r is in Latin-1, the Latin Extended blocks or
// IPA (below the combining diacritics at U+0300), or is a dash, a quote,
// a bullet or an ellipsis of General Punctuation (U+2010 to U+2027).
func plainRune(r rune) bool {
	return utf8.RuneSelf <= r && r < 0x300 || 0x2010 <= r && r < 0x2028
}

// nextNonASCII returns the offset of the first byte from i on that is not
// ASCII, or len(s); eight bytes at a time.
func nextNonASCII(s string, i int) int {
	for ; i+8 <= len(s); i += 8 {
		if (s[i]|s[i+1]|s[i+2]|s[i+3]|s[i+4]|s[i+5]|s[i+6]|s[i+7])&0x80 != 0 {
			break
		}
	}
	for ; i < len(s) && s[i] < utf8.RuneSelf; i++ {
	}
	return i
}

func isKeycapBase(c byte) bool { return c == '#' || c == '*' || c >= '0' && c <= '9' }

// isEmoji tells emoji clusters from other symbols. Unicode's
// Extended_Pictographic property is not exported by any maintained Go
// package, so this uses the blocks that hold emoji, and the presentation
// width uniseg computes for the symbol blocks that also hold text symbols
// (☀ is text, ☕ and ☀️ are emoji).
func isEmoji(cluster string, width int) bool {
	r, _ := utf8.DecodeRuneInString(cluster)
	if strings.ContainsRune(cluster, '\u20e3') {
		return true // keycap: 1️⃣
	}
	if r < utf8.RuneSelf {
		return false
	}
	if strings.ContainsRune(cluster, '\ufe0f') {
		return true // emoji presentation selector
	}
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	case r >= 0x2300 && r <= 0x23FF, r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF:
		return width >= 2
	}
	return false
}
