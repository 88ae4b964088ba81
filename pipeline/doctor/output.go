package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/markdown"
)

// oneLine keeps a check on its line: a server's message may hold breaks.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")

// WriteText writes one line per check, "status  account: message", then
// the totals, in p's language (nil is English).
func WriteText(w io.Writer, rep *Report, p *i18n.Printer) error {
	p = orEnglish(p)
	width := 7 // "warning"
	for _, c := range rep.Checks {
		width = max(width, utf8.RuneCountInString(statusWord(p, c.Status)))
	}
	var b strings.Builder
	for _, c := range rep.Checks {
		status := statusWord(p, c.Status)
		status += strings.Repeat(" ", width-utf8.RuneCountInString(status))
		b.WriteString(p.T("doctor.line", i18n.Args{"Status": status, "Subject": subject(p, c), "Message": oneLine.Replace(c.Message)}) + "\n")
	}
	if len(rep.Checks) > 0 {
		b.WriteString("\n")
	}
	b.WriteString(totals(p, rep) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// subject names what a check is about: the account (with its network
// when the key is another word), or the repository, below its calendar
// when that is not the working directory.
func subject(p *i18n.Printer, c Check) string {
	s := p.T("doctor.repository", nil)
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
func totals(p *i18n.Printer, rep *Report) string {
	if len(rep.Checks) == 0 {
		return p.T("doctor.nothing", nil)
	}
	return p.T("doctor.totals", i18n.Args{"OK": p.N("doctor.count.ok", rep.Count(OK), nil),
		"Warnings": p.N("doctor.count.warning", rep.Count(Warning), nil), "Errors": p.N("doctor.count.error", rep.Count(Error), nil)})
}

// statusWord is a status as the text output's first column says it.
func statusWord(p *i18n.Printer, s Status) string {
	return p.T("doctor.status."+string(s), nil)
}

func orEnglish(p *i18n.Printer) *i18n.Printer {
	if p == nil {
		return i18n.English()
	}
	return p
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

var marks = map[Status]string{OK: "✅", Warning: "⚠️", Error: "❌"}

// WriteMarkdown writes the checks as a Markdown table, for the run's
// summary on GitHub ($GITHUB_STEP_SUMMARY), in p's language (nil is
// English).
func WriteMarkdown(w io.Writer, rep *Report, p *i18n.Printer) error {
	p = orEnglish(p)
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", p.T("doctor.md.heading", nil))
	if len(rep.Checks) > 0 {
		rows := make([][]string, len(rep.Checks))
		for i, c := range rep.Checks {
			rows[i] = []string{marks[c.Status] + " " + statusWord(p, c.Status), markdown.Cell(subject(p, c)), markdown.Cell(c.Message)}
		}
		markdown.Table(&b, []string{p.T("doctor.md.status", nil), p.T("doctor.md.account", nil), p.T("doctor.md.message", nil)}, nil, rows)
		b.WriteString("\n")
	}
	b.WriteString(totals(p, rep) + "\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}
