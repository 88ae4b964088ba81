package check

import (
	"bytes"
	"cmp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// threadMarkdown parses as render does (CommonMark, no extensions), so
// that check splits a text into thread parts where publish will.
var threadMarkdown = parser.NewParser(
	parser.WithBlockParsers(parser.DefaultBlockParsers()...),
	parser.WithInlineParsers(parser.DefaultInlineParsers()...),
	parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
)

// threadShape is how a text splits into thread parts at its top-level
// thematic breaks: whether every part is empty (a text of separators
// only, which would go out as an empty post), and the line (1-based in
// the text) of the separator next to each empty part, when the text has
// others that are not.
type threadShape struct {
	allEmpty   bool
	emptyParts []emptyPart
}

type emptyPart struct {
	part int // 1-based
	line int // the separator after it, or before it for the last part
}

// threadShapeOf splits source as render.Parts does. render leaves empty parts
// out, so a text whose parts are all empty would be published empty, and
// an empty part would silently shift the part numbers media name.
func threadShapeOf(source string) threadShape {
	if strings.TrimSpace(source) == "" {
		return threadShape{allEmpty: true}
	}
	if !mayHaveEmptyPart(source) {
		return threadShape{}
	}
	src := []byte(source)
	root := threadMarkdown.Parse(text.NewReader(src))
	type piece struct {
		empty         bool
		before, after int // lines of the breaks around it; 0 at either end
	}
	pieces := []piece{{empty: true}}
	search := 0 // where the next break's line is looked for
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() != ast.KindThematicBreak {
			pieces[len(pieces)-1].empty = false
			search = max(search, blockEnd(n, src))
			continue
		}
		// goldmark gives a break no position: it is the first line after
		// the previous block that can be one.
		line, next := findBreak(src, search)
		search = next
		pieces[len(pieces)-1].after = line
		pieces = append(pieces, piece{empty: true, before: line})
	}
	shape := threadShape{allEmpty: true}
	for _, p := range pieces {
		shape.allEmpty = shape.allEmpty && p.empty
	}
	if shape.allEmpty {
		return shape
	}
	for i, p := range pieces {
		if p.empty {
			shape.emptyParts = append(shape.emptyParts, emptyPart{part: i + 1, line: cmp.Or(p.after, p.before)})
		}
	}
	return shape
}

// blockEnd is the offset past the source of a top-level block: its last
// line, or, for a setext heading, the underline after it.
func blockEnd(n ast.Node, src []byte) int {
	end := 0
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Type() == ast.TypeBlock && c.Lines().Len() > 0 {
			end = max(end, c.Lines().At(c.Lines().Len()-1).Stop)
		}
		return ast.WalkContinue, nil
	})
	if h, ok := n.(*ast.Heading); ok && h.Lines().Len() > 0 {
		first := h.Lines().At(0)
		if lineStart := bytes.LastIndexByte(src[:first.Start], '\n') + 1; !bytes.HasPrefix(bytes.TrimLeft(src[lineStart:first.Stop], " "), []byte("#")) {
			// Setext: the underline is the next line.
			if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
				rest := src[end+i+1:]
				if j := bytes.IndexByte(rest, '\n'); j >= 0 {
					return end + i + 1 + j
				}
				return len(src)
			}
		}
	}
	return end
}

// findBreak returns the 1-based line of the first line from offset from
// that can be a thematic break, and the offset past it.
func findBreak(src []byte, from int) (line, next int) {
	line = bytes.Count(src[:from], []byte("\n")) + 1
	if from > 0 && src[from-1] != '\n' {
		// from is inside a line (the end of a block's last line): the
		// break starts on a later line.
		i := bytes.IndexByte(src[from:], '\n')
		if i < 0 {
			return line, len(src)
		}
		from, line = from+i+1, line+1
	}
	rest := src[from:]
	for len(rest) > 0 {
		l, after, found := bytes.Cut(rest, []byte("\n"))
		if isBreakLine(l) {
			if !found {
				return line, len(src)
			}
			return line, len(src) - len(after)
		}
		rest, line = after, line+1
	}
	return line, len(src)
}

// isBreakLine reports whether a line may be a thematic break: three or
// more of one of - * _, with spaces or tabs between, indented by at most
// three spaces.
func isBreakLine(line []byte) bool {
	line = bytes.TrimRight(line, " \t\r")
	trimmed := bytes.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 || len(trimmed) == 0 {
		return false
	}
	c := trimmed[0]
	if c != '-' && c != '*' && c != '_' {
		return false
	}
	n := 0
	for _, b := range trimmed {
		switch b {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// mayHaveEmptyPart reports whether source may have an empty thread part:
// a line that can be a thematic break first or last among its lines that
// are not blank, or two such lines with only blank lines between them.
// Most texts, threads included, have none, and need no parse: any other
// line between two breaks is a block of the part they enclose.
func mayHaveEmptyPart(source string) bool {
	seen, lastWasBreak := false, false
	for line := range strings.Lines(source) {
		line = strings.TrimRight(line, "\n")
		if strings.TrimSpace(line) == "" {
			continue
		}
		isBreak := isBreakLine([]byte(line))
		if isBreak && (!seen || lastWasBreak) {
			return true
		}
		seen, lastWasBreak = true, isBreak
	}
	return lastWasBreak
}

// checkThread reports each empty thread part of a text (the body, or a
// variant at at), and returns the text's shape: a text of thread
// separators only is empty, as post.empty says for each account.
func checkThread(r *reporter, p *load.Post, text string, at load.Text, isBody bool) threadShape {
	shape := threadShapeOf(text)
	for _, e := range shape.emptyParts {
		pos := at
		if isBody {
			pos = load.Text{Line: p.BodyLine + e.line - 1, Column: 1}
		}
		r.at("post.empty", pos, "check.post.empty-part", i18n.Args{"Part": e.part})
	}
	return shape
}
