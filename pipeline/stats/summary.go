package stats

import (
	"io"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/markdown"
)

// WriteMarkdown writes the report as WriteText does, its tables as
// Markdown tables, for the run's summary on GitHub ($GITHUB_STEP_SUMMARY);
// in p's language (nil is English).
func WriteMarkdown(w io.Writer, rep *Report, p *i18n.Printer) error {
	p = orEnglish(p)
	var b strings.Builder
	b.WriteString("### " + p.T("stats.md.heading", nil) + "\n\n")
	table := func(rows [][]string, right []bool) {
		if rows == nil {
			return
		}
		header := make([]string, len(rows[0]))
		for i, h := range rows[0] {
			header[i] = markdown.Cell(h)
		}
		body := make([][]string, len(rows)-1)
		for i, row := range rows[1:] {
			body[i] = make([]string, len(row))
			for j, cell := range row {
				body[i][j] = markdown.Cell(cell)
			}
		}
		markdown.Table(&b, header, right, body)
		b.WriteString("\n")
	}
	table(sampleRows(p, rep), sampleRight)
	table(followerRows(p, rep), followerRight)
	list := func(lines []string) {
		if lines == nil {
			return
		}
		for _, l := range lines {
			b.WriteString("- " + markdown.Cell(l) + "\n")
		}
		b.WriteString("\n")
	}
	list(instanceLines(p, rep))
	list(problemLines(p, rep))
	lines := closing(p, rep)
	for i := range lines {
		lines[i] = markdown.Cell(lines[i])
	}
	b.WriteString(strings.Join(lines, " ") + "\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}
