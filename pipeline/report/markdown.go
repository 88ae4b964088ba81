package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
)

// MarkdownOptions say where the Markdown is read.
type MarkdownOptions struct {
	// Dir is the folder the Markdown is written into (--out), absolute:
	// it embeds the charts, written beside it, and links each post's file
	// relative to it, as GitHub's file view resolves them. "" (the step
	// summary, where no relative link resolves) embeds no chart and links
	// no file.
	Dir string
}

// WriteMarkdown writes the report as GitHub Flavored Markdown.
func WriteMarkdown(w io.Writer, r *Report, p *i18n.Printer, opts MarkdownOptions) error {
	d := newDoc(r, p, opts.Dir)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# %s\n\n", mdText(d.Title))
	for _, l := range d.Lines {
		fmt.Fprintf(bw, "%s  \n", mdText(l))
	}
	for _, s := range d.Sections {
		fmt.Fprintf(bw, "\n## %s\n", mdText(s.Title))
		for _, l := range s.Intro {
			fmt.Fprintf(bw, "\n%s\n", mdText(l))
		}
		if opts.Dir != "" {
			for _, c := range s.Charts {
				fmt.Fprintf(bw, "\n![%s](%s)\n", mdText(c.Title), c.File)
			}
		}
		for _, t := range s.Tables {
			if t.Caption != "" {
				fmt.Fprintf(bw, "\n**%s**\n", mdText(t.Caption))
			}
			bw.WriteString("\n")
			writeMarkdownTable(bw, t, opts.Dir != "")
		}
		for _, n := range s.Notes {
			fmt.Fprintf(bw, "\n_%s_\n", mdText(n))
		}
	}
	return bw.Flush()
}

func writeMarkdownTable(w io.Writer, t table, linkFiles bool) {
	fmt.Fprintf(w, "| %s |\n", strings.Join(mapStrings(t.Head, mdCell), " | "))
	var rule []string
	for i := range t.Head {
		if i < len(t.Right) && t.Right[i] {
			rule = append(rule, "---:")
		} else {
			rule = append(rule, "---")
		}
	}
	fmt.Fprintf(w, "| %s |\n", strings.Join(rule, " | "))
	for _, r := range t.Rows {
		var cells []string
		for _, c := range r {
			text := mdCell(c.Text)
			isURL := strings.HasPrefix(c.Link, "https://") || strings.HasPrefix(c.Link, "http://")
			if c.Link != "" && (isURL || linkFiles) {
				text = fmt.Sprintf("[%s](%s)", text, strings.ReplaceAll(c.Link, " ", "%20"))
			}
			cells = append(cells, text)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
	}
}

func mapStrings(in []string, f func(string) string) []string {
	out := make([]string, len(in))
	for i, s := range in {
		out[i] = f(s)
	}
	return out
}

// mdText escapes what Markdown would read as markup in a line of text.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "`", "\\`", "#", `\#`)

func mdText(s string) string { return mdEscaper.Replace(s) }

func mdCell(s string) string { return strings.ReplaceAll(mdText(s), "|", `\|`) }
