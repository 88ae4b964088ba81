package check

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/rivo/uniseg"
	"golang.org/x/text/unicode/norm"
)

// The references below are the first, simple versions of hashtags and
// fold; the fast versions must give exactly what they give.

var referenceHashtagPattern = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_&/#])(#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)`)

func referenceHashtags(text string) [][2]int {
	var out [][2]int
	for _, m := range referenceHashtagPattern.FindAllStringSubmatchIndex(text, -1) {
		out = append(out, [2]int{m[2], m[3]})
	}
	return out
}

func referenceFold(s string) foldedText {
	var f foldedText
	space := false
	for i, r := range s {
		switch {
		case unicode.IsSpace(r):
			if !space {
				f.push(' ', i)
			}
			space = true
			continue
		case r < utf8.RuneSelf:
			f.push(byte(unicode.ToLower(r)), i)
		case r == '\u2019' || r == '\u2018' || r == '\u02bc':
			f.push('\'', i)
		default:
			for _, d := range norm.NFD.String(string(r)) {
				if unicode.Is(unicode.Mn, d) {
					continue
				}
				var buf [utf8.UTFMax]byte
				n := utf8.EncodeRune(buf[:], unicode.ToLower(d))
				for _, c := range buf[:n] {
					f.push(c, i)
				}
			}
		}
		space = false
	}
	return f
}

func referenceEmojiOffsets(text string) []int {
	var out []int
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && !(isKeycapBase(c) && i+1 < len(text) && text[i+1] >= utf8.RuneSelf) {
			i++
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

// trickyPieces are the characters hashtags and fold treat specially.
var trickyPieces = []string{
	"#", "#", "#", "&", "/", "_", " ", "\n", "\t", "\u00a0", "\u202f", "a", "Z", "é", "É", "œ", "ß",
	"2", "²", "Ⅻ", "٣", "日", "й", "Ǆ", "ﬁ", "e\u0301", "\u0301", "’", "‘", "ʼ", "'", "🎄", "👩‍🎨",
	"🇫🇷", "☕", "\u200d", "\ufe0f", "-", ".", "(", "!", "\xff", "\xc3", "Ω", "İ", "K", "Å", "가",
	"©", "®", "™", "‼", "…", "«", "»", "–", "\u20e3", "1", "#", "*", "\u00ad", "\u0085", "ǅ", "\u02ff", "\u2027", "\u2028",
	"🏽", "\U000E0067", "\u0915\u094d", "\u0600",
}

func randomTricky(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteString(trickyPieces[rng.IntN(len(trickyPieces))])
	}
	return b.String()
}

func TestHashtagsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50_000 {
		s := randomTricky(rng)
		if got, want := hashtags(s), referenceHashtags(s); !cmp.Equal(got, want) {
			t.Fatalf("hashtags(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestEmojiOffsetsMatchReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 50_000 {
		s := randomTricky(rng)
		if got, want := emojiOffsets(s), referenceEmojiOffsets(s); !slices.Equal(got, want) {
			t.Fatalf("emojiOffsets(%q) = %v, want %v", s, got, want)
		}
	}
	for r := rune(0x80); r < 0x3000; r++ {
		for _, s := range []string{string(r), string(r) + "a", string(r) + "\u0301", string(r) + "\ufe0f", string(r) + "é", "a" + string(r)} {
			if got, want := emojiOffsets(s), referenceEmojiOffsets(s); !slices.Equal(got, want) {
				t.Fatalf("emojiOffsets(%q) = %v, want %v", s, got, want)
			}
		}
	}
}

func FuzzEmojiOffsets(f *testing.F) {
	f.Add("Noël ✨ l’atelier… 1️⃣ ©️ 👩‍🎨 é\u0301")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := emojiOffsets(s), referenceEmojiOffsets(s); !slices.Equal(got, want) {
			t.Fatalf("emojiOffsets(%q) = %v, want %v", s, got, want)
		}
	})
}

func TestFoldMatchesReference(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := fold(s), referenceFold(s); !sameFold(got, want) {
			t.Fatalf("fold(%q) = %q %v, want %q %v", s, got.b, got.offsets(), want.b, want.offsets())
		}
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r < 0x3000 || r%7 == 0 {
			check(string(r))
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 50_000 {
		check(randomTricky(rng))
	}
}

func sameFold(a, b foldedText) bool {
	return string(a.b) == string(b.b) && slices.Equal(a.offsets(), b.offsets())
}

// offsets returns the original offset of each byte of f.
func (f foldedText) offsets() []int {
	out := make([]int, len(f.b))
	for i := range out {
		out[i] = f.origin(i)
	}
	return out
}

func FuzzHashtags(f *testing.F) {
	f.Add("Vive #Noël et #NoelMaison ! https://x/#a a#b (#c) ##d #2026 #_1a")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hashtags(s), referenceHashtags(s); !cmp.Equal(got, want) {
			t.Fatalf("hashtags(%q) = %v, want %v", s, got, want)
		}
	})
}

func FuzzFold(f *testing.F) {
	f.Add("Pas  CHÉR, l’atelier\u00a0: e-mail 👩‍🎨 Ǆ ﬁ")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fold(s), referenceFold(s); !sameFold(got, want) {
			t.Fatalf("fold(%q) = %q %v, want %q %v", s, got.b, got.offsets(), want.b, want.offsets())
		}
	})
}

// referenceFind is find searching with bytes.Index from each match on.
func referenceFind(f foldedText, p []byte) []int {
	var out []int
	for start := 0; start < len(f.b); {
		i := bytes.Index(f.b[start:], p)
		if i < 0 {
			break
		}
		i += start
		end := i + len(p)
		first, _ := utf8.DecodeRune(p)
		last, _ := utf8.DecodeLastRune(p)
		before, _ := utf8.DecodeLastRune(f.b[:i])
		after, _ := utf8.DecodeRune(f.b[end:])
		if !(isWordRune(first) && i > 0 && isWordRune(before)) &&
			!(isWordRune(last) && end < len(f.b) && isWordRune(after)) {
			out = append(out, f.origin(i))
		}
		start = i + 1
	}
	return out
}

func TestFindMatchesReference(t *testing.T) {
	phrases := []string{"pas cher", "gratuit !!!", "low cost", "e-mail", "newsletter", "aa", "a", "é", "l'été", "!!", "cher cher", "日本"}
	pieces := []string{"pas", "cher", " ", "  ", "Pas CHER", "gratuit", " !!!", "!", "low", "cost", "e-mail", "E-MAIL", "mail",
		"newsletter", "news", "a", "aa", "é", "É", "l’été", "x", "chercher", "日本", "\n"}
	rng := rand.New(rand.NewPCG(17, 18))
	for range 20_000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		f := fold(b.String())
		for _, ph := range phrases {
			p := fold(ph).b
			if got, want := f.find(p), referenceFind(f, p); !slices.Equal(got, want) {
				t.Fatalf("find(%q in %q) = %v, want %v", ph, b.String(), got, want)
			}
		}
	}
}
