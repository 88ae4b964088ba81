package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/herald-social/herald/pipeline/internal/markdown"
)

// oneLine keeps a check on its line: a server's message may hold breaks.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// WriteText writes one line per check, "status  account: message", then
// the totals.
func WriteText(w io.Writer, rep *Report) error {
	var b strings.Builder
	for _, c := range rep.Checks {
		fmt.Fprintf(&b, "%-7s  %s: %s\n", c.Status, subject(c), oneLine.Replace(c.Message))
	}
	if len(rep.Checks) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(totals(rep) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// subject names what a check is about: the account (with its network
// when the key is another word), or the repository, below its calendar
// when that is not the working directory.
func subject(c Check) string {
	s := "repository"
	if c.Account != "" {
		s = c.Account
	}
	if c.Calendar != "" && c.Calendar != "." {
		s = path.Join(c.Calendar, s)
	}
	if c.Network != "" && c.Network != c.Account {
		s += " (" + c.Network + ")"
	}
	return s
}

// totals is "3 ok, 2 warnings, 1 error.".
func totals(rep *Report) string {
	plural := func(n int, word string) string {
		if n == 1 {
			return "1 " + word
		}
		return fmt.Sprintf("%d %ss", n, word)
	}
	if len(rep.Checks) == 0 {
		return "Nothing to check."
	}
	return fmt.Sprintf("%d ok, %s, %s.", rep.Count(OK), plural(rep.Count(Warning), "warning"), plural(rep.Count(Error), "error"))
}

// WriteJSON writes the checks as one JSON array of objects with the keys
// calendar, account, network, status and message.
func WriteJSON(w io.Writer, rep *Report) error {
	checks := rep.Checks
	if checks == nil {
		checks = []Check{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(checks)
}

var marks = map[Status]string{OK: "✅ ok", Warning: "⚠️ warning", Error: "❌ error"}

// WriteMarkdown writes the checks as a Markdown table, for the run's
// summary on GitHub ($GITHUB_STEP_SUMMARY).
func WriteMarkdown(w io.Writer, rep *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "### Herald doctor\n\n")
	if len(rep.Checks) > 0 {
		rows := make([][]string, len(rep.Checks))
		for i, c := range rep.Checks {
			rows[i] = []string{marks[c.Status], markdown.Cell(subject(c)), markdown.Cell(c.Message)}
		}
		markdown.Table(&b, []string{"Status", "Account", "Message"}, nil, rows)
		b.WriteString("\n")
	}
	b.WriteString(totals(rep) + "\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}
