package render

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Dialect is the markup a network's text is written in.
type Dialect int

const (
	Plain    Dialect = iota // X, Bluesky, Mastodon, Threads, LinkedIn, Facebook, Instagram, webhook, outbox
	Discord                 // Discord's Markdown
	Slack                   // Slack's mrkdwn
	Telegram                // Telegram's HTML parse mode
	HTML                    // HTML, for the Atom feed
)

func (d Dialect) String() string {
	return [...]string{"plain", "discord", "slack", "telegram", "html"}[d]
}

// DialectFor returns the dialect a network's API takes.
func DialectFor(network string) Dialect {
	switch network {
	case "discord":
		return Discord
	case "slack":
		return Slack
	case "telegram":
		return Telegram
	case "feed":
		return HTML
	}
	return Plain
}

// markup is how a dialect writes each inline element.
type markup struct {
	escape       func(string) string
	strong, em   [2]string
	code         [2]string
	pre          [2]string
	link         func(label, url string) string
	bullet       string
	quotePrefix  string
	literalBlock func(string) string // raw HTML and code blocks
}

var markups = map[Dialect]markup{
	Plain: {
		escape: func(s string) string { return s },
		code:   [2]string{"", ""}, pre: [2]string{"", ""},
		link:         plainLink,
		bullet:       "• ",
		literalBlock: func(s string) string { return s },
	},
	Discord: {
		// Discord has no hashtags or headings in messages from webhooks
		// worth protecting: escape only what would turn text into markup.
		escape: escapeWith(`\`, "*", "_", "~", "`", "|"),
		strong: [2]string{"**", "**"}, em: [2]string{"*", "*"},
		code: [2]string{"`", "`"}, pre: [2]string{"```\n", "\n```"},
		link: func(label, url string) string {
			if label == url {
				return url
			}
			return "[" + label + "](" + url + ")"
		},
		bullet:       "- ",
		quotePrefix:  "> ",
		literalBlock: func(s string) string { return "```\n" + s + "\n```" },
	},
	Slack: {
		// https://api.slack.com/reference/surfaces/formatting#escaping
		escape: strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace,
		strong: [2]string{"*", "*"}, em: [2]string{"_", "_"},
		code: [2]string{"`", "`"}, pre: [2]string{"```", "```"},
		link: func(label, url string) string {
			if label == url {
				return "<" + url + ">"
			}
			return "<" + url + "|" + label + ">"
		},
		bullet:       "• ",
		quotePrefix:  "> ",
		literalBlock: func(s string) string { return "```" + s + "```" },
	},
	Telegram: {
		// https://core.telegram.org/bots/api#html-style
		escape: strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace,
		strong: [2]string{"<b>", "</b>"}, em: [2]string{"<i>", "</i>"},
		code: [2]string{"<code>", "</code>"}, pre: [2]string{"<pre>", "</pre>"},
		link: func(label, url string) string {
			return `<a href="` + html.EscapeString(url) + `">` + label + "</a>"
		},
		bullet:       "• ",
		quotePrefix:  "",
		literalBlock: func(s string) string { return "<pre>" + s + "</pre>" },
	},
}

// plainLink writes a link as its visible text followed by the URL, or the
// URL alone when the text is the URL.
func plainLink(label, url string) string {
	if "mailto:"+label == url {
		return label // <contact@example.org>: the address as the writer typed it
	}
	if label == "" || label == url || "https://"+label == url || "http://"+label == url {
		return url
	}
	return label + " (" + url + ")"
}

func escapeWith(escape string, chars ...string) func(string) string {
	pairs := []string{escape, escape + escape}
	for _, c := range chars {
		pairs = append(pairs, c, escape+c)
	}
	return strings.NewReplacer(pairs...).Replace
}

// blocks renders top-level blocks, separated by a blank line.
func (d Dialect) blocks(nodes []ast.Node, src []byte) string {
	if d == HTML {
		return htmlBlocks(nodes, src)
	}
	w := &writer{m: markups[d], src: src}
	for i, n := range nodes {
		if i > 0 {
			w.b.WriteString("\n\n")
		}
		w.block(n, "")
	}
	return strings.TrimRight(w.b.String(), "\n ")
}

type writer struct {
	m   markup
	src []byte
	b   strings.Builder
}

// block writes a block node; indent prefixes the lines of nested lists.
func (w *writer) block(n ast.Node, indent string) {
	switch n := n.(type) {
	case *ast.List:
		number := n.Start
		i := 0
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			if i > 0 {
				w.b.WriteString("\n")
			}
			w.b.WriteString(indent)
			if n.IsOrdered() {
				fmt.Fprintf(&w.b, "%d%c ", number, n.Marker)
				number++
			} else {
				w.b.WriteString(w.m.bullet)
			}
			for c, first := item.FirstChild(), true; c != nil; c, first = c.NextSibling(), false {
				if !first {
					w.b.WriteString("\n")
				}
				if _, nested := c.(*ast.List); nested {
					w.block(c, indent+"  ")
				} else {
					w.inlines(c)
				}
			}
			i++
		}
	case *ast.Blockquote:
		var inner writer
		inner.m, inner.src = w.m, w.src
		for c, first := n.FirstChild(), true; c != nil; c, first = c.NextSibling(), false {
			if !first {
				inner.b.WriteString("\n\n")
			}
			inner.block(c, "")
		}
		lines := strings.Split(inner.b.String(), "\n")
		for i, l := range lines {
			if i > 0 {
				w.b.WriteString("\n")
			}
			w.b.WriteString(w.m.quotePrefix + l)
		}
	case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
		w.b.WriteString(w.m.literalBlock(w.m.escape(strings.TrimRight(linesOf(n, w.src), "\n"))))
	case *ast.ThematicBreak:
		// Only top-level breaks split threads; a nested one is a separator.
		w.b.WriteString("—")
	default: // paragraphs, headings, text blocks
		w.inlines(n)
	}
}

func linesOf(n ast.Node, src []byte) string {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	if h, ok := n.(*ast.HTMLBlock); ok && h.HasClosure() {
		b.Write(h.ClosureLine.Value(src))
	}
	return b.String()
}

// inlines writes the inline children of n.
func (w *writer) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		w.inline(c)
	}
}

func (w *writer) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		w.b.WriteString(w.m.escape(unescape(n.Segment.Value(w.src))))
		if n.HardLineBreak() || n.SoftLineBreak() {
			w.b.WriteString("\n")
		}
	case *ast.String:
		w.b.WriteString(w.m.escape(string(n.Value)))
	case *ast.CodeSpan:
		var code strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if t, ok := c.(*ast.Text); ok {
				code.Write(t.Segment.Value(w.src))
			}
		}
		w.b.WriteString(w.m.code[0] + w.m.escape(code.String()) + w.m.code[1])
	case *ast.Emphasis:
		marks := w.m.em
		if n.Level == 2 {
			marks = w.m.strong
		}
		w.b.WriteString(marks[0])
		w.inlines(n)
		w.b.WriteString(marks[1])
	case *ast.Link:
		w.b.WriteString(w.m.link(w.label(n), string(n.Destination)))
	case *ast.AutoLink:
		url := string(n.URL(w.src))
		label := string(n.Label(w.src))
		if n.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(url, "mailto:") {
			url = "mailto:" + url
		}
		w.b.WriteString(w.m.link(w.m.escape(label), url))
	case *ast.Image:
		w.b.WriteString(w.label(n)) // an inline image reads as its alt text
	case *ast.RawHTML:
		var raw strings.Builder
		for i := 0; i < n.Segments.Len(); i++ {
			seg := n.Segments.At(i)
			raw.Write(seg.Value(w.src))
		}
		w.b.WriteString(w.m.escape(raw.String()))
	default:
		w.inlines(n)
	}
}

// label renders the children of a link or image as a label.
func (w *writer) label(n ast.Node) string {
	inner := &writer{m: w.m, src: w.src}
	inner.inlines(n)
	return inner.b.String()
}

// unescape resolves backslash escapes and character references, as a
// Markdown renderer does, without escaping anything for HTML.
func unescape(b []byte) string {
	if bytes.IndexByte(b, '\\') < 0 && bytes.IndexByte(b, '&') < 0 {
		return string(b)
	}
	b = util.UnescapePunctuations(b)
	b = util.ResolveNumericReferences(b)
	b = util.ResolveEntityNames(b)
	return string(b)
}
