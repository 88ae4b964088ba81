// Package render turns a post into the exact text each network receives:
// one text model, walked from the goldmark AST of the post's body (or of
// its per-network variant), that preview shows and publish sends.
//
// A thematic break (a line holding only --- between blank lines) splits the
// body into thread parts. Networks with threads get one post per part; the
// others get the parts joined by a blank line.
package render

import (
	"bytes"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// Part is one post of a thread: its text and the media it carries.
type Part struct {
	Text  string
	Media []load.Media
	Line  int // line of the Markdown source where the part starts, from 1
}

// Rendering is a post as one account receives it.
type Rendering struct {
	Account string
	Network string
	Dialect Dialect
	Parts   []Part // one per thread part; one in all when the network has no threads
}

// Text is the full text: the parts joined by a blank line.
func (r Rendering) Text() string {
	texts := make([]string, len(r.Parts))
	for i, p := range r.Parts {
		texts[i] = p.Text
	}
	return strings.Join(texts, "\n\n")
}

// Render renders a post for one account: the account's variant if the post
// has one (by account key, then by network), else the body.
func Render(p *load.Post, a *load.Account) Rendering {
	source, _ := p.TextFor(a.Key, a.Network)
	d := DialectFor(a.Network)
	return rendering(p, a, d, Parts(source, d))
}

// RenderAll renders a post for each of accounts, as Render does for each,
// but parses each distinct text once, and renders it once per dialect: most
// accounts of a post receive the same body, most in the same dialect.
func RenderAll(p *load.Post, accounts []*load.Account) []Rendering {
	type key struct {
		source  string
		dialect Dialect
	}
	rendered := map[key][]Part{}
	parsed := map[string]*document{}
	out := make([]Rendering, len(accounts))
	for i, a := range accounts {
		source, _ := p.TextFor(a.Key, a.Network)
		k := key{source, DialectFor(a.Network)}
		parts, ok := rendered[k]
		if !ok {
			doc := parsed[source]
			if doc == nil {
				doc = parse(source)
				parsed[source] = doc
			}
			parts = doc.parts(k.dialect)
			rendered[k] = parts
		}
		out[i] = rendering(p, a, k.dialect, slices.Clone(parts))
	}
	return out
}

// rendering gives the parts of a post's text for an account their media,
// and joins them where the network has no threads.
func rendering(p *load.Post, a *load.Account, d Dialect, parts []Part) Rendering {
	assignMedia(parts, p.Media)
	if spec, _ := netspec.Lookup(a.Network); !spec.Threads && len(parts) > 1 {
		parts = []Part{joinParts(parts)}
	}
	return Rendering{Account: a.Key, Network: a.Network, Dialect: d, Parts: parts}
}

// markdown parses CommonMark without extensions: no linkify (a URL stays
// the text the writer typed) and no typographer (quotes stay as typed).
var markdown = parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithInlineParsers(parser.DefaultInlineParsers()...),
	parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
)

// Parts renders Markdown source in a dialect, split into thread parts at
// top-level thematic breaks. It always returns at least one part.
func Parts(source string, d Dialect) []Part {
	return parse(source).parts(d)
}

// document is a parsed Markdown source, which each dialect renders: the
// renderers only read its tree.
type document struct {
	src    []byte
	pieces [][]ast.Node // the top-level blocks of each thread part
}

func parse(source string) *document {
	d := &document{src: []byte(source)}
	root := markdown.Parse(text.NewReader(d.src))
	var blocks []ast.Node
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == ast.KindThematicBreak {
			d.pieces = append(d.pieces, blocks)
			blocks = nil
			continue
		}
		blocks = append(blocks, n)
	}
	d.pieces = append(d.pieces, blocks)
	return d
}

// parts renders the document in a dialect, as Parts does.
func (doc *document) parts(d Dialect) []Part {
	src := doc.src
	parts := make([]Part, 0, len(doc.pieces))
	for _, blocks := range doc.pieces {
		line := 1
		if len(blocks) > 0 {
			line = bytes.Count(src[:firstOffset(blocks[0])], []byte("\n")) + 1
		}
		parts = append(parts, Part{Text: d.blocks(blocks, src), Line: line})
	}
	// A break at the very start or end, or two in a row, makes no part.
	kept := parts[:0]
	for _, p := range parts {
		if strings.TrimSpace(p.Text) != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return []Part{{}}
	}
	return kept
}

// firstOffset returns the offset in the source of a block's first line:
// containers (lists, quotes) have no lines of their own, their first child
// does.
func firstOffset(n ast.Node) int {
	for ; n != nil; n = n.FirstChild() {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
	}
	return 0
}

// assignMedia puts each medium on the part it names (default the first);
// a part number past the last part goes on the last part.
func assignMedia(parts []Part, media []load.Media) {
	for _, m := range media {
		i := min(max(m.Part, 1), len(parts)) - 1
		parts[i].Media = append(parts[i].Media, m)
	}
}

func joinParts(parts []Part) Part {
	joined := Part{Line: parts[0].Line}
	texts := make([]string, len(parts))
	for i, p := range parts {
		texts[i] = p.Text
		joined.Media = append(joined.Media, p.Media...)
	}
	joined.Text = strings.Join(texts, "\n\n")
	return joined
}
