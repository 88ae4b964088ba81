package stats

import (
	"io"
	"strings"

	"github.com/herald-social/herald/pipeline/internal/markdown"
)

// WriteMarkdown writes the report as WriteText does, its tables as
// Markdown tables, for the run's summary on GitHub ($GITHUB_STEP_SUMMARY).
func WriteMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	b.WriteString("### Herald stats\n\n")
	table := func(rows [][]string, right []bool) {
		if rows == nil {
			return
		}
		header := make([]string, len(rows[0]))
		for i, h := range rows[0] {
			header[i] = markdown.Cell(strings.ToUpper(h[:1]) + strings.ToLower(h[1:]))
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
	table(sampleRows(rep), sampleRight)
	table(followerRows(rep), followerRight)
	list := func(lines []string) {
		if lines == nil {
			return
		}
		for _, l := range lines {
			b.WriteString("- " + markdown.Cell(l) + "\n")
		}
		b.WriteString("\n")
	}
	list(instanceLines(rep))
	list(problemLines(rep))
	lines := closing(rep)
	for i := range lines {
		lines[i] = markdown.Cell(lines[i])
	}
	b.WriteString(strings.Join(lines, " ") + "\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}
