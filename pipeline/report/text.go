package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/i18n"
)

// WriteText writes the report for a terminal: its sections with aligned
// tables, links as they are. Charts are files: --out writes them.
func WriteText(w io.Writer, r *Report, p *i18n.Printer) error {
	d := newDoc(r, p, "")
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, d.Title)
	fmt.Fprintln(bw, strings.Repeat("=", utf8.RuneCountInString(d.Title)))
	for _, l := range d.Lines {
		fmt.Fprintln(bw, l)
	}
	for _, s := range d.Sections {
		fmt.Fprintf(bw, "\n%s\n%s\n", s.Title, strings.Repeat("-", utf8.RuneCountInString(s.Title)))
		for _, l := range s.Intro {
			fmt.Fprintln(bw, l)
		}
		for i, t := range s.Tables {
			if i > 0 || len(s.Intro) > 0 {
				fmt.Fprintln(bw)
			}
			if t.Caption != "" {
				fmt.Fprintln(bw, t.Caption)
			}
			writeTextTable(bw, t)
		}
		for _, n := range s.Notes {
			fmt.Fprintf(bw, "\n%s\n", n)
		}
	}
	return bw.Flush()
}

// writeTextTable aligns the columns by their widest cell, in characters
// (a French no-break space is one), numbers to the right. A linked file is
// followed by its path.
func writeTextTable(w io.Writer, t table) {
	rows := [][]string{t.Head}
	for _, r := range t.Rows {
		var line []string
		for _, c := range r {
			text := c.Text
			if c.Link != "" && c.Link != c.Text {
				text += " (" + c.Link + ")"
			}
			line = append(line, text)
		}
		rows = append(rows, line)
	}
	widths := make([]int, len(t.Head))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for n, r := range rows {
		var b strings.Builder
		b.WriteString("  ")
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if i < len(t.Right) && t.Right[i] {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		if n == 0 {
			var u strings.Builder
			u.WriteString("  ")
			for i, wd := range widths {
				if i > 0 {
					u.WriteString("  ")
				}
				u.WriteString(strings.Repeat("-", wd))
			}
			fmt.Fprintln(w, u.String())
		}
	}
}
