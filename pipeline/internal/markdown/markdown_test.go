package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// nasty are texts that would break a table or inject markup.
var nasty = []string{
	"plain",
	"a | b",
	`a \| b`,
	`ends with a backslash \`,
	"two\nlines\r\nand\rmore",
	"<script>alert(1)</script>",
	"a lone ` backtick",
	"`",
	"",
}

// cellsOf renders a Markdown table as GitHub does (goldmark's GFM
// table, raw HTML kept) and returns each body row's cells as the text a
// reader sees, a <br> as a line break; any element but <br> and <code> in
// a cell is a failure.
func cellsOf(t *testing.T, md string) [][]string {
	t.Helper()
	var out bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithRendererOptions(gmhtml.WithUnsafe())).Convert([]byte(md), &out); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&out)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && c.Data == "br":
				b.WriteString("\n")
			case c.Type == html.ElementNode && c.Data == "code":
				b.WriteString(text(c))
			default:
				t.Errorf("a cell holds <%s>: %s", c.Data, md)
			}
		}
		return b.String()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "td" {
					cells = append(cells, text(c))
				}
			}
			if cells != nil {
				rows = append(rows, cells)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return rows
}

func TestCellKeepsTheTable(t *testing.T) {
	var rows [][]string
	var want [][]string
	for _, s := range nasty {
		rows = append(rows, []string{Cell(s), Code(s)})
		want = append(want, []string{strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s),
			strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)})
	}
	var b strings.Builder
	if err := Table(&b, []string{"Text", "Next"}, nil, rows); err != nil {
		t.Fatal(err)
	}
	got := cellsOf(t, b.String())
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cells (-want +got):\n%s\nMarkdown:\n%s", diff, b.String())
	}
}

func TestCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"posts/a", "`posts/a`"},
		{"a|b", "`a\\|b`"},
		{"a`b", "`` a`b ``"},
		{"``", "``` `` ```"},
		{"two\nlines", "`two lines`"},
	} {
		if got := Code(tc.in); got != tc.want {
			t.Errorf("Code(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTable(t *testing.T) {
	var b strings.Builder
	Table(&b, []string{"Post", "Likes"}, []bool{false, true}, [][]string{{Code("posts/a"), "3"}, {Link("part 1", "https://social.example/@m/1"), "-"}})
	want := "| Post | Likes |\n| --- | ---: |\n| `posts/a` | 3 |\n| [part 1](<https://social.example/@m/1>) | - |\n"
	if b.String() != want {
		t.Errorf("Table:\n%s\nwant:\n%s", b.String(), want)
	}
	if got := Link("x", "javascript:alert(1)"); got != "x" {
		t.Errorf("Link to javascript: = %q, want the text alone", got)
	}
}
