package diag

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"
)

// sample covers what formats must get right: sorting, a wide character
// and a tab before the column, a message with characters that GitHub's
// workflow commands escape (and a newline that the text format shows as
// \n to keep the problem on one line), a whole-file diagnostic and a
// missing source.
func sample() []Diagnostic {
	return Sort([]Diagnostic{
		{Path: "posts/b.md", Line: 3, Column: 8, Severity: Warning, Rule: "voice.prefer", Message: `prefer "courriel" to "e-mail" (charter voice)`},
		{Path: "posts/a.md", Line: 2, Column: 12, Severity: Error, Rule: "account.unknown", Message: "account \"myspace\" is not declared, see: accounts\nsecond line 100%"},
		{Path: "posts/a.md", Line: 5, Column: 9, Severity: Error, Rule: "voice.banned", Message: `"pas cher" is banned by the charter's voice: rephrase`},
		{Path: "posts/a.md", Line: 0, Column: 0, Severity: Error, Rule: "post.unreadable", Message: "cannot read the post"},
		{Path: "posts/gone.md", Line: 1, Column: 1, Severity: Error, Rule: "post.front-matter", Message: "no front matter"},
	})
}

var sources = map[string]string{
	"posts/a.md": "---\nnetworks: [myspace]\n---\n\n\tÉté: pas cher\n",
	"posts/b.md": "---\n---\n日本 e-mail\n",
}

func TestFormats(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			p := Printer{Format: format, Version: "v1.2.3", Rules: map[string]string{"voice.banned": "the text uses a banned phrase"},
				Source: func(path string) ([]byte, error) {
					if s, ok := sources[path]; ok {
						return []byte(s), nil
					}
					return nil, errors.New("no such file")
				}}
			var out bytes.Buffer
			if err := p.Print(&out, sample()); err != nil {
				t.Fatal(err)
			}
			goldenFile := filepath.Join("testdata", "format", format+".out")
			golden.Check(t, goldenFile, out.Bytes())
		})
	}
}

func TestJSONEmptyIsArray(t *testing.T) {
	var out bytes.Buffer
	if err := (Printer{Format: "json"}).Print(&out, nil); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "[]\n" {
		t.Errorf("json of no diagnostics = %q, want %q", got, "[]\n")
	}
}

func TestColorOnlyWhenAsked(t *testing.T) {
	var plain, colored bytes.Buffer
	(Printer{}).Print(&plain, sample())
	(Printer{Color: true}).Print(&colored, sample())
	if bytes.Contains(plain.Bytes(), []byte("\x1b[")) {
		t.Error("text without Color has ANSI escapes")
	}
	if !bytes.Contains(colored.Bytes(), []byte("\x1b[31merror")) {
		t.Error("text with Color has no red severity")
	}
}

func TestUnknownFormat(t *testing.T) {
	if err := (Printer{Format: "xml"}).Print(&bytes.Buffer{}, nil); err == nil {
		t.Error("format xml: want an error")
	}
}

func TestParseSeverity(t *testing.T) {
	for _, s := range []string{"error", "warning", "off"} {
		got, err := ParseSeverity(s)
		if err != nil || got.String() != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal): want an error")
	}
}

// TestTextHidesControlLines checks that the text format leaves out a source
// line holding a control character a terminal obeys: ESC, DEL, and the C1
// controls such as U+009B (CSI), which clear a screen as ESC [ does.
func TestTextHidesControlLines(t *testing.T) {
	for _, line := range []string{"a\x1b[2Jb", "a\u009b2Jb", "a\x7fb", "a\u0085b"} {
		p := Printer{Format: "text", Source: func(string) ([]byte, error) { return []byte(line + "\n"), nil }}
		var out bytes.Buffer
		if err := p.Print(&out, []Diagnostic{{Path: "posts/a.md", Line: 1, Column: 2, Severity: Error, Rule: "post.syntax", Message: "m"}}); err != nil {
			t.Fatal(err)
		}
		if want := "posts/a.md:1:2: error: m [post.syntax]\n"; out.String() != want {
			t.Errorf("source line %q printed as\n%q, want\n%q", line, out.String(), want)
		}
	}
}
