// Package markdown writes the pieces of GitHub-flavoured Markdown that
// herald's step summaries share (publish, stats, doctor): table cells
// that cannot break their table or inject markup, code spans, tables.
//
// What goes in a cell comes from the calendar and from the networks'
// answers: a pipe would split the cell, a line break end the table, and a
// tag from a server's error page would be HTML in the run's page.
package markdown

import (
	"io"
	"strings"
)

var cellEscaper = strings.NewReplacer(
	`\`, `\\`, // first, so that the escapes below stay escapes
	"|", `\|`,
	"\r\n", "<br>", "\n", "<br>", "\r", "<br>",
	"<", "&lt;", ">", "&gt;",
)

// Cell returns text escaped for a table cell (or a list item): the text
// reads as it was, on one line.
func Cell(text string) string { return cellEscaper.Replace(text) }

// codeEscaper keeps a code span on one line and inside its cell: GitHub
// splits table rows on pipes before it reads code spans, so a pipe must
// be escaped there too.
var codeEscaper = strings.NewReplacer("|", `\|`, "\r\n", " ", "\n", " ", "\r", " ")

// Code returns text as a code span: fenced with more backticks than it
// holds in a row, so that a backtick in it cannot end the span. An empty
// text gives an empty string rather than a pair of backticks.
func Code(text string) string {
	if text == "" {
		return ""
	}
	text = codeEscaper.Replace(text)
	longest, run := 0, 0
	for _, r := range text {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 {
		// A span's content that starts or ends with a backtick needs a
		// space between it and the fence; one space each side is
		// stripped when the span is read.
		return fence + " " + text + " " + fence
	}
	return fence + text + fence
}

// Link returns a link to url showing text; the url must be an absolute
// http(s) URL (a network's answer), else the text alone is returned.
func Link(text, url string) string {
	if !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
		return Cell(text)
	}
	// Parentheses and spaces would end the destination: <...> allows
	// them, but not < > or a line break, which Cell's escapes remove.
	dest := strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "", "\r", "", "|", "%7C", " ", "%20").Replace(url)
	return "[" + strings.NewReplacer("[", `\[`, "]", `\]`).Replace(Cell(text)) + "](<" + dest + ">)"
}

// Table writes a table: the header, then the rows, each cell already
// written as Markdown (with Cell, Code, Link). right marks the columns
// aligned to the right (numbers); it may be shorter than the header.
func Table(w io.Writer, header []string, right []bool, rows [][]string) error {
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	row(header)
	b.WriteString("|")
	for i := range header {
		if i < len(right) && right[i] {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for _, r := range rows {
		row(r)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
