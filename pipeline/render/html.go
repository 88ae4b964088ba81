package render

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// htmlRenderer renders Markdown to HTML for the Atom feed. Line breaks in
// the source are kept as <br>, as in every other dialect, and raw HTML is
// shown as text: post content is never trusted to run in a reader.
var htmlRenderer = renderer.NewRenderer(renderer.WithNodeRenderers(
	util.Prioritized(gmhtml.NewRenderer(gmhtml.WithHardWraps()), 1000),
	util.Prioritized(escapedRawHTML{}, 100),
))

func htmlBlocks(nodes []ast.Node, src []byte) string {
	var b bytes.Buffer
	for _, n := range nodes {
		if err := htmlRenderer.Render(&b, src, n); err != nil {
			b.WriteString(html.EscapeString(err.Error())) // a bytes.Buffer does not fail
		}
	}
	return string(bytes.TrimRight(b.Bytes(), "\n"))
}

// escapedRawHTML renders raw HTML, inline or as a block, as escaped text.
type escapedRawHTML struct{}

func (escapedRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				w.WriteString(html.EscapeString(string(seg.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString("<p>" + html.EscapeString(strings.TrimRight(linesOf(n, src), "\n")) + "</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
