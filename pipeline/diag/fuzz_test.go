package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
)

// FuzzFormats prints an arbitrary diagnostic, with an arbitrary source
// file, in every format: none panics or fails; json and sarif are valid
// JSON, and json gives back what it was given (invalid UTF-8 replaced, as
// JSON must); github writes one workflow command per diagnostic; text
// keeps each problem on its own line with no control character a terminal
// would obey.
//
// The seeds, in testdata/fuzz/FuzzFormats, hold what the formats escape:
// newlines, percent signs, colons and commas, ANSI escapes, wide and
// combining characters, tabs, invalid UTF-8, positions past the file.
func FuzzFormats(f *testing.F) {
	f.Fuzz(func(t *testing.T, path string, line, column int, severity int, rule, message, source string) {
		d := Diagnostic{Path: path, Line: line, Column: column, Severity: Severity(severity), Rule: rule, Message: message}
		ds := []Diagnostic{d, {Path: "posts/a.md", Line: 1, Column: 1, Severity: Error, Rule: "post.empty", Message: "second"}}
		for _, format := range Formats {
			p := Printer{Format: format, Version: "v1", Rules: map[string]string{rule: message},
				Source: func(string) ([]byte, error) { return []byte(source), nil }}
			var out bytes.Buffer
			if err := p.Print(&out, ds); err != nil {
				t.Fatalf("%s: %v", format, err)
			}
			switch format {
			case "json":
				var got []jsonDiagnostic
				if err := json.Unmarshal(out.Bytes(), &got); err != nil {
					t.Fatalf("json: %v\n%s", err, out.Bytes())
				}
				want := jsonDiagnostic{valid(path), line, column, Severity(severity).String(), valid(rule), valid(message)}
				if len(got) != 2 || got[0] != want {
					t.Fatalf("json gives back %+v, want %+v first", got, want)
				}
			case "sarif":
				if !json.Valid(out.Bytes()) {
					t.Fatalf("sarif is not valid JSON:\n%s", out.Bytes())
				}
			case "github":
				lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
				if len(lines) != 2 {
					t.Fatalf("github: %d lines for 2 diagnostics:\n%s", len(lines), out.String())
				}
				for _, l := range lines {
					if !strings.HasPrefix(l, "::") || strings.ContainsRune(l, '\r') {
						t.Fatalf("github: not a workflow command: %q", l)
					}
				}
			case "text":
				if i := strings.IndexFunc(out.String(), func(r rune) bool {
					return unicode.IsControl(r) && r != '\n' && r != '\t'
				}); i >= 0 {
					t.Fatalf("text: control character %q at %d:\n%q", []rune(out.String()[i:])[0], i, out.String())
				}
				if !strings.Contains(out.String(), "\nposts/a.md:1:1: error: second [post.empty]\n") &&
					!strings.HasPrefix(out.String(), "posts/a.md:1:1: error: second [post.empty]\n") {
					t.Fatalf("text: the other diagnostic is not on a line of its own:\n%s", out.String())
				}
			}
		}
	})
}

// valid is s as encoding/json decodes it back: each invalid byte replaced.
func valid(s string) string { return string([]rune(s)) }
