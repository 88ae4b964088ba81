package render

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// measured is what preview shows of one part: its length, limit and unit.
type measured struct {
	Length int
	Limit  int
	Unit   netspec.Unit
}

func TestMeasure(t *testing.T) {
	family := "👨\u200d👩\u200d👧\u200d👦"
	url := "https://maison.example.com/calendrier-de-l-avent/jour-1"
	withMedia := []load.Media{{Part: 1}}
	tests := []struct {
		name    string
		account load.Account
		part    Part
		want    measured
	}{
		{"X weighs CJK, emoji and URLs", load.Account{Network: "x"}, Part{Text: "Noël 日本 " + family + " " + url},
			measured{5 + 4 + 1 + 2 + 1 + 23, 280, netspec.Weighted}},
		{"Bluesky counts graphemes and URLs in full", load.Account{Network: "bluesky"}, Part{Text: "Noe\u0308l " + family + " " + url},
			measured{5 + 1 + 1 + len(url), 300, netspec.Graphemes}},
		{"Mastodon counts graphemes, URLs as 23, mentions as @user", load.Account{Network: "mastodon"},
			Part{Text: "@atelier@social.example " + family + " " + url},
			measured{len("@atelier") + 1 + 1 + 1 + 23, 500, netspec.Graphemes}},
		{"Mastodon server's max_characters", load.Account{Network: "mastodon", MaxCharacters: 11000}, Part{Text: "abc"},
			measured{3, 11000, netspec.Graphemes}},
		{"Telegram text without its HTML", load.Account{Network: "telegram"},
			Part{Text: `<b>Noël</b> &amp; <a href="https://ex.fr/a?b=1&amp;c=2">lien</a> &lt;3`},
			measured{len("Noel & lien <3"), 4096, netspec.Characters}},
		{"Telegram caption", load.Account{Network: "telegram"}, Part{Text: "photo", Media: withMedia},
			measured{5, 1024, netspec.Characters}},
		{"Instagram counts code points", load.Account{Network: "instagram"}, Part{Text: family, Media: withMedia},
			measured{7, 2200, netspec.Characters}},
		{"LinkedIn", load.Account{Network: "linkedin"}, Part{Text: "Noe\u0308l " + url},
			measured{5 + len(url), 3000, netspec.Characters}},
		{"Threads", load.Account{Network: "threads"}, Part{Text: "abc"}, measured{3, 500, netspec.Characters}},
		{"Facebook", load.Account{Network: "facebook"}, Part{Text: "abc"}, measured{3, 63206, netspec.Characters}},
		{"Discord counts its Markdown", load.Account{Network: "discord"}, Part{Text: "**gras**"}, measured{8, 2000, netspec.Characters}},
		{"Slack", load.Account{Network: "slack"}, Part{Text: "<https://ex.fr|lien>"}, measured{20, 40000, netspec.Characters}},
		{"webhook has no limit", load.Account{Network: "webhook"}, Part{Text: "abc"}, measured{3, 0, netspec.Characters}},
		{"feed has no limit", load.Account{Network: "feed"}, Part{Text: "<p>abc</p>"}, measured{10, 0, netspec.Characters}},
		{"outbox has no limit", load.Account{Network: "outbox"}, Part{Text: strings.Repeat("a", 100000)}, measured{100000, 0, netspec.Characters}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.account
			got := measured{Length(&a, tc.part.Text), Limit(&a, tc.part), UnitOf(&a)}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMeasureRendered measures what Render makes of a post for X: the
// length is that of the text as sent, thread part by thread part.
func TestMeasureRendered(t *testing.T) {
	a := &load.Account{Key: "x", Network: "x"}
	parts := Parts("Le **jour 1** : https://maison.example.com/avent 🎄\n\n---\n\nÀ demain !", Plain)
	var got []int
	for _, p := range parts {
		got = append(got, Length(a, p.Text))
	}
	if diff := cmp.Diff([]int{len("Le jour 1 : ") + 23 + 1 + 2, len("A demain !")}, got); diff != "" {
		t.Errorf("lengths of the parts (-want +got):\n%s", diff)
	}
}
