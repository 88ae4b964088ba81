package length

import (
	"unicode"
	"unicode/utf8"
)

// Code points that build emoji sequences (UTS #51).
const (
	zwj          = '\u200D'
	vs15         = '\uFE0E' // text presentation selector
	vs16         = '\uFE0F' // emoji presentation selector
	keycapMark   = '\u20E3'
	tagCancel    = '\U000E007F'
	riFirst      = '\U0001F1E6' // regional indicators, paired into flags
	riLast       = '\U0001F1FF'
	modifierLow  = '\U0001F3FB' // skin tones
	modifierHigh = '\U0001F3FF'
)

// emojiSequence returns the length in bytes and in code points of the emoji
// sequence at the start of s, or zeros when none starts there. It follows
// the grammar of UTS #51 (ED-14 to ED-17) rather than its list of
// recommended sequences, so that a sequence newer than twitter-text's own
// list (Unicode 12) still counts as one emoji, as every current X client
// shows and counts it:
//
//	sequence := element (ZWJ element)*
//	element  := RI RI                       flag
//	          | [#*0-9] FE0F? 20E3          keycap
//	          | EP (EMod | FE0F)? tag*      EP Extended_Pictographic; EMod only
//	                                        after an Emoji_Modifier_Base; tags
//	                                        E0020-E007E ended by E007F
//	          | RI | EMod                   alone
//
// Only the first element may be a keycap, a flag or a lone RI or modifier:
// what follows a ZWJ must be pictographic, as grapheme rule GB11 requires.
func emojiSequence(s string) (size, runes int) {
	size, runes = emojiElement(s, true)
	if size == 0 {
		return 0, 0
	}
	for {
		r, n := utf8.DecodeRuneInString(s[size:])
		if r != zwj {
			return size, runes
		}
		m, k := emojiElement(s[size+n:], false)
		if m == 0 {
			return size, runes
		}
		size, runes = size+n+m, runes+1+k
	}
}

func emojiElement(s string, first bool) (size, runes int) {
	r, n := utf8.DecodeRuneInString(s)
	switch {
	case n == 0 || r == utf8.RuneError && n == 1:
		return 0, 0
	case first && riFirst <= r && r <= riLast:
		if r2, m := utf8.DecodeRuneInString(s[n:]); riFirst <= r2 && r2 <= riLast {
			return n + m, 2
		}
		return n, 1
	case first && (r == '#' || r == '*' || '0' <= r && r <= '9'):
		size, runes = n, 1
		if r2, m := utf8.DecodeRuneInString(s[size:]); r2 == vs16 {
			size, runes = size+m, runes+1
		}
		if r2, m := utf8.DecodeRuneInString(s[size:]); r2 == keycapMark {
			return size + m, runes + 1
		}
		return 0, 0
	case first && modifierLow <= r && r <= modifierHigh:
		return n, 1
	case !unicode.Is(extendedPictographic, r):
		return 0, 0
	}
	size, runes = n, 1
	r2, m := utf8.DecodeRuneInString(s[size:])
	switch {
	case r2 == vs15:
		return size, runes // text presentation: the selector counts apart
	case modifierLow <= r2 && r2 <= modifierHigh && unicode.Is(emojiModifierBase, r):
		size, runes = size+m, runes+1
	case r2 == vs16:
		size, runes = size+m, runes+1
	}
	// A tag sequence (subdivision flags) counts only when it is closed.
	tags, k := size, 0
	for {
		t, m := utf8.DecodeRuneInString(s[tags:])
		if t == tagCancel && k > 0 {
			return tags + m, runes + k + 1
		}
		if t < '\U000E0020' || t > '\U000E007E' {
			return size, runes
		}
		tags, k = tags+m, k+1
	}
}
