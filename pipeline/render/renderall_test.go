package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// TestRenderAll checks that RenderAll renders as Render does, account by
// account: on every network, with variants by account key and by network,
// two accounts on one network, media on several parts, and the golden
// sources as bodies.
func TestRenderAll(t *testing.T) {
	var accounts []*load.Account
	for _, n := range netspec.Names() {
		accounts = append(accounts, &load.Account{Key: n, Network: n})
	}
	accounts = append(accounts, &load.Account{Key: "mastodon-2", Network: "mastodon", MaxCharacters: 1000})
	bodies := []string{"", "Un texte *simple*.\n", "Partie 1\n\n---\n\nPartie 2 avec [un lien](https://example.com)\n\n---\n\n"}
	cases, _ := filepath.Glob("testdata/*.md")
	for _, md := range cases {
		src, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		bodies = append(bodies, string(src))
	}
	media := []load.Media{{Src: load.Text{Value: "a.png"}, Part: 1}, {Src: load.Text{Value: "b.png"}, Part: 2}, {Src: load.Text{Value: "c.png"}, Part: 9}}
	variants := []load.Variant{
		{Key: load.Text{Value: "x"}, Text: load.Text{Value: "Pour X\n\n---\n\nsuite"}},
		{Key: load.Text{Value: "mastodon-2"}, Text: load.Text{Value: "Pour le second compte **Mastodon**"}},
		{Key: load.Text{Value: "telegram"}, Text: load.Text{Value: "Pour <b>Telegram</b>"}},
	}
	for _, body := range bodies {
		for _, p := range []*load.Post{
			{Body: body},
			{Body: body, Media: media},
			{Body: body, Media: media, Variants: variants},
		} {
			all := RenderAll(p, accounts)
			for i, a := range accounts {
				if diff := cmp.Diff(Render(p, a), all[i]); diff != "" {
					t.Fatalf("RenderAll differs from Render for %s on %q (-Render +RenderAll):\n%s", a.Key, body, diff)
				}
			}
		}
	}
}

// TestHasLimit checks HasLimit against Limit, with and without media.
func TestHasLimit(t *testing.T) {
	for _, n := range netspec.Names() {
		for _, a := range []*load.Account{{Key: n, Network: n}, {Key: n, Network: n, MaxCharacters: 800}} {
			limited := Limit(a, Part{}) > 0 || Limit(a, Part{Media: []load.Media{{}}}) > 0
			if got := HasLimit(a); got != limited {
				t.Errorf("HasLimit(%s, max_characters %d) = %v, but Limit gives a limit: %v", n, a.MaxCharacters, got, limited)
			}
		}
	}
}
