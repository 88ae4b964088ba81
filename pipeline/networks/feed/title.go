package feed

import (
	"strings"

	"github.com/rivo/uniseg"
	"golang.org/x/net/html"

	"github.com/herald-social/herald/pipeline/networks"
)

// titleLength is the most graphemes of the text a derived title keeps.
const titleLength = 100

// firstLine is the title of a post without one: the first line of its
// text, read from its HTML (entities decoded: the title is text, and the
// feed escapes it again), up to titleLength graphemes.
func firstLine(parts []networks.Part) string {
	for _, p := range parts {
		if line := firstTextLine(p.Text); line != "" {
			return truncate(line, titleLength)
		}
	}
	return ""
}

func firstTextLine(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return collapse(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			if endsLine(string(name), tt) && collapse(b.String()) != "" {
				return collapse(b.String())
			}
		}
	}
}

// endsLine reports whether a tag ends a line of text: a line break, or the
// end of a block.
func endsLine(tag string, tt html.TokenType) bool {
	switch tag {
	case "br", "img":
		return true
	case "p", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "hr":
		return tt == html.EndTagToken || tag == "hr"
	}
	return false
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func truncate(s string, n int) string {
	if uniseg.GraphemeClusterCount(s) <= n {
		return s
	}
	g := uniseg.NewGraphemes(s)
	var b strings.Builder
	for i := 0; i < n-1 && g.Next(); i++ {
		b.WriteString(g.Str())
	}
	return strings.TrimSpace(b.String()) + "…"
}
