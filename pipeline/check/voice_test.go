package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEmojiOffsets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"none", "Bonjour à tous !", 0},
		{"one", "Merci 🙏", 1},
		{"skin tone is one", "👍🏽", 1},
		{"ZWJ family is one", "👨‍👩‍👧‍👦", 1},
		{"flag is one", "🇫🇷", 1},
		{"two flags", "🇫🇷🇧🇪", 2},
		{"keycap is one", "1️⃣ 2️⃣", 2},
		{"plain digits are not", "2026 #1", 0},
		{"text-presentation sun is not", "☀ soleil", 0},
		{"emoji-presentation sun is", "☀️ soleil", 1},
		{"coffee", "☕", 1},
		{"heart with selector", "❤️", 1},
		{"CJK is not", "日本語", 0},
		{"accents are not", "Noël, été, œuvre", 0},
		{"rainbow flag ZWJ", "🏳️‍🌈", 1},
		{"mixed", "🎄 Noël 🎁 et 👨‍👩‍👧 🇫🇷", 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(emojiOffsets(tt.in)); got != tt.want {
				t.Errorf("emojis in %q = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestHashtags(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Vive #Noël et #NoelMaison !", []string{"#Noël", "#NoelMaison"}},
		{"#2026 n'est pas un hashtag, #an2026 oui", []string{"#an2026"}},
		{"https://example.com/#ancre et a#b", nil},
		{"#début de ligne", []string{"#début"}},
		{"(#entre_parenthèses)", []string{"#entre_parenthèses"}},
		{"## Titre", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, h := range hashtags(tt.in) {
			got = append(got, tt.in[h[0]:h[1]])
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("hashtags(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestFoldFind(t *testing.T) {
	tests := []struct {
		name, text, phrase string
		want               []int // byte offsets in text
	}{
		{"case", "C'est PAS CHER", "pas cher", []int{6}},
		{"accents", "pas chèr", "pas cher", []int{0}},
		{"accent in phrase", "Pas cher", "pas chèr", []int{0}},
		{"line break inside", "pas\n  cher", "pas cher", []int{0}},
		{"whole words only", "chercher", "cher", nil},
		{"not inside a word", "repas cher", "pas cher", nil},
		{"punctuation edge", "Gratuit !!! vraiment", "gratuit !!!", []int{0}},
		{"apostrophes", "l’atelier", "l'atelier", []int{0}},
		{"after accented text", "Été : e-mail", "e-mail", []int{8}},
		{"twice", "low cost, LOW COST", "low cost", []int{0, 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fold(tt.text).find(fold(tt.phrase).b)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("find(%q in %q) (-want +got):\n%s", tt.phrase, tt.text, diff)
			}
		})
	}
}

func TestExpandDays(t *testing.T) {
	got := expandDays("fri-mon,wed")
	want := []int{5, 6, 0, 1, 3}
	var ints []int
	for _, d := range got {
		ints = append(ints, int(d))
	}
	if diff := cmp.Diff(want, ints); diff != "" {
		t.Errorf("expandDays (-want +got):\n%s", diff)
	}
}
