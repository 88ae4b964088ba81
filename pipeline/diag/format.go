package diag

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v2/sarif"
	"github.com/rivo/uniseg"
)

// Formats lists the output formats of diagnostics, for --help and flag checks.
var Formats = []string{"text", "json", "github", "sarif"}

// Printer prints sorted diagnostics in one of the Formats.
type Printer struct {
	Format string
	// Color turns on ANSI colours in the text format (decided by the caller:
	// only when stdout is a terminal and NO_COLOR is unset).
	Color bool
	// Source returns the content of a file named by a diagnostic's Path, so
	// that the text format can show the offending line. Nil shows no source.
	Source func(path string) ([]byte, error)
	// Rules describes rule ids for the sarif format's rule table.
	Rules map[string]string
	// Version of the tool, for the sarif format.
	Version string
}

// Print writes ds, which must already be sorted, to w.
func (p Printer) Print(w io.Writer, ds []Diagnostic) error {
	switch p.Format {
	case "", "text":
		return p.printText(w, ds)
	case "json":
		return printJSON(w, ds)
	case "github":
		return printGitHub(w, ds)
	case "sarif":
		return p.printSARIF(w, ds)
	}
	return fmt.Errorf("unknown format %q: use one of %s", p.Format, strings.Join(Formats, ", "))
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiGreen  = "\x1b[32m"
	ansiDim    = "\x1b[2m"
)

func (p Printer) paint(code, s string) string {
	if !p.Color {
		return s
	}
	return code + s + ansiReset
}

// printText writes "path:line:col: severity: message [rule]" and, when the
// source is available, the offending line with a caret under the column.
func (p Printer) printText(w io.Writer, ds []Diagnostic) error {
	sources := map[string][][]byte{}
	var b strings.Builder
	for _, d := range ds {
		sevColor := ansiYellow
		if d.Severity == Error {
			sevColor = ansiRed
		}
		fmt.Fprintf(&b, "%s: %s: %s %s\n",
			p.paint(ansiBold, OneLine(position(d))),
			p.paint(sevColor, d.Severity.String()),
			OneLine(d.Message),
			p.paint(ansiDim, "["+OneLine(d.Rule)+"]"))
		if line, ok := p.sourceLine(sources, d); ok {
			gutter := fmt.Sprintf("%5d | ", d.Line)
			fmt.Fprintf(&b, "%s%s\n", p.paint(ansiDim, gutter), line)
			if d.Column > 0 {
				fmt.Fprintf(&b, "%s%s\n", p.paint(ansiDim, "      | "), caretPadding(line, d.Column)+p.paint(ansiGreen, "^"))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// OneLine shows the control characters of s escaped, as Go quotes them:
// a message or a path may carry them from what users wrote (a newline in
// a quoted YAML value or in a file name), and every text output keeps
// each item on one line whose escapes cannot move a terminal's cursor or
// change its colours.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func position(d Diagnostic) string {
	switch {
	case d.Line == 0:
		return d.Path
	case d.Column == 0:
		return fmt.Sprintf("%s:%d", d.Path, d.Line)
	}
	return fmt.Sprintf("%s:%d:%d", d.Path, d.Line, d.Column)
}

// sourceLine returns line d.Line of d.Path, reading each file once.
func (p Printer) sourceLine(cache map[string][][]byte, d Diagnostic) (string, bool) {
	if p.Source == nil || d.Line < 1 { // 0 is the whole file; below, no line at all
		return "", false
	}
	lines, ok := cache[d.Path]
	if !ok {
		content, err := p.Source(d.Path)
		if err == nil {
			lines = bytes.Split(content, []byte("\n"))
		}
		cache[d.Path] = lines
	}
	if d.Line > len(lines) {
		return "", false
	}
	line := strings.TrimRight(string(lines[d.Line-1]), "\r")
	if len(line) > 400 || !isPrintable(line) {
		return "", false // a huge or binary line helps nobody on a terminal
	}
	return line, true
}

func isPrintable(s string) bool {
	for _, r := range s {
		// C1 controls too: U+009B is CSI to a terminal, as ESC [ is.
		if r == '\uFFFD' || (unicode.IsControl(r) && r != '\t') {
			return false
		}
	}
	return true
}

// caretPadding returns the blank space that puts a caret under the column-th
// character of line: tabs stay tabs and wide characters take two cells.
func caretPadding(line string, column int) string {
	var pad strings.Builder
	chars := 0
	state := -1
	rest := line
	for len(rest) > 0 && chars < column-1 {
		var cluster string
		var width int
		cluster, rest, width, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if cluster == "\t" {
			pad.WriteByte('\t')
		} else {
			pad.WriteString(strings.Repeat(" ", width))
		}
		chars += len([]rune(cluster))
	}
	return pad.String()
}

// jsonDiagnostic is the contract shape of --format json.
type jsonDiagnostic struct {
	Path     string `json:"path"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

func printJSON(w io.Writer, ds []Diagnostic) error {
	out := make([]jsonDiagnostic, len(ds))
	for i, d := range ds {
		out[i] = jsonDiagnostic{d.Path, d.Line, d.Column, d.Severity.String(), d.Rule, d.Message}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// printGitHub writes workflow commands that GitHub Actions turns into
// annotations on the pull request's diff.
func printGitHub(w io.Writer, ds []Diagnostic) error {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "::%s file=%s,line=%d,col=%d,title=%s::%s\n",
			d.Severity, escapeProperty(d.Path), max(d.Line, 1), max(d.Column, 1),
			escapeProperty(d.Rule), escapeData(d.Message))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// escapeData and escapeProperty follow the escaping of @actions/core's
// command.ts, which is what the runner un-escapes.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

func (p Printer) printSARIF(w io.Writer, ds []Diagnostic) error {
	report, err := sarif.New(sarif.Version210)
	if err != nil {
		return err
	}
	run := sarif.NewRunWithInformationURI("herald", "https://github.com/herald-social/herald")
	run.Tool.Driver.WithVersion(p.Version)
	for _, d := range ds {
		desc, ok := p.Rules[d.Rule]
		if !ok {
			desc = d.Rule // SARIF requires a description object
		}
		run.AddRule(d.Rule).WithDescription(desc)
		region := sarif.NewRegion().WithStartLine(max(d.Line, 1))
		if d.Column > 0 {
			region.WithStartColumn(d.Column)
		}
		run.CreateResultForRule(d.Rule).
			WithLevel(d.Severity.String()).
			WithMessage(sarif.NewTextMessage(d.Message)).
			AddLocation(sarif.NewLocationWithPhysicalLocation(
				sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(d.Path)).
					WithRegion(region)))
	}
	report.AddRun(run)
	if err := report.PrettyWrite(w); err != nil {
		return err
	}
	_, err = io.WriteString(w, "\n") // a text file ends with a newline
	return err
}
