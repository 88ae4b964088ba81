package preview

import (
	"html/template"
	"math/rand/v2"
	"strings"
	"testing"
)

// cardsTemplate is how post.html wrote the cards before cardsHTML did.
// Its words are the site's (siteWords), and a part's own (Dialect, Over).
var cardsTemplate = template.Must(template.New("cards").Parse(`<div class="cards">
{{- range .Cards}}
<article class="card net-{{.Network}}">
{{.Head}}
<ol class="thread{{if .Thread}} multi{{end}}">
{{- range .Parts}}
<li class="part">
{{- if .Raw}}
<p class="dialect">{{.Dialect}}</p><pre class="raw">{{.Text}}</pre>
{{- else}}
<p class="text">{{range .Segments}}{{if .Href}}<a class="{{.Kind}}" href="{{.Href}}" rel="nofollow noopener noreferrer">{{.Text}}</a>{{else if .Kind}}<span class="{{.Kind}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}{{end}}</p>
{{- end}}
{{- range .Media}}
<figure class="medium">
{{- if .Video}}<video src="{{.Src}}" controls preload="none" title="{{.Alt}}"></video>
{{- else if .Src}}<img src="{{.Src}}" alt="{{.Alt}}" loading="lazy">
{{- else}}<span class="missing">{{.Why}}</span>{{end}}
{{- if not .Alt}}<figcaption class="error">{{$.W.NoAlt}}</figcaption>{{end}}
</figure>
{{- end}}
<footer class="length{{if .OverBy}} over{{end}}">{{.Count}}{{if .OverBy}} <span class="badge over">{{.Over}}</span>{{end}}</footer>
</li>
{{- end}}
</ol>
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
</article>
{{- else}}
<p class="empty">{{.W.NoAccount}}</p>
{{- end}}
</div>`))

var cardPieces = []string{
	"", "a", "é", " ", "<", ">", "&", "'", "\"", "+", "\x00", "\xff", "%", "%2F", "%zz", "%4", "#", "?", "=", "/", ":",
	"http:", "https://x.fr/a?b=c&d=e", "HTTPS:", "mailto:", "javascript:", "data:", "javascript:alert(1)", "//x",
	"a:b", "a/b:c", "(", ")", "[", "]", "~", "!", "*", "@", "\u2028", "👩‍🎨", "\ufdd0", "\t", "\n",
}

func randomString(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(5) {
		b.WriteString(cardPieces[rng.IntN(len(cardPieces))])
	}
	return b.String()
}

func randomCards(rng *rand.Rand) []cardView {
	s := func() string { return randomString(rng) }
	var cards []cardView
	for range rng.IntN(3) {
		c := cardView{Network: s(), Head: template.HTML("<header>" + s() + "</header>"), Thread: rng.IntN(2) == 0}
		for range rng.IntN(3) {
			p := partView{Raw: rng.IntN(3) == 0, Dialect: s(), Text: s(), Count: s(), OverBy: rng.IntN(3) - 1, Over: s()}
			for range rng.IntN(4) {
				p.Segments = append(p.Segments, segment{Text: s(), Href: s(), Kind: s()})
			}
			for range rng.IntN(3) {
				p.Media = append(p.Media, mediumView{Src: s(), Alt: s(), Name: s(), Why: s(), Video: rng.IntN(3) == 0})
			}
			c.Parts = append(c.Parts, p)
		}
		for range rng.IntN(2) {
			c.Notes = append(c.Notes, s())
		}
		cards = append(cards, c)
	}
	return cards
}

// TestCardsLikeTemplate checks that cardsHTML writes what the template it
// replaces wrote.
func TestCardsLikeTemplate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 5_000 {
		cards := randomCards(rng)
		words := &siteWords{NoAlt: randomString(rng), NoAccount: randomString(rng)}
		var want strings.Builder
		if err := cardsTemplate.Execute(&want, struct {
			Cards []cardView
			W     *siteWords
		}{cards, words}); err != nil {
			t.Fatal(err)
		}
		if got := `<div class="cards">` + string(cardsHTML(cards, words)) + "\n</div>"; got != want.String() {
			t.Fatalf("cards %+v:\ngot  %q\nwant %q", cards, got, want.String())
		}
	}
}
