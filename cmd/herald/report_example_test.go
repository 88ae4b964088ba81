package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestReportExampleMatchesReadme reports on the example calendar's
// November sample history (example-calendar/state/, made by
// pipeline/report/examplegen) and checks that every line of the excerpt
// the README shows is in what herald prints: the README cannot drift from
// the history or from the report's text format.
func TestReportExampleMatchesReadme(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "then prints, in\nthe charter's French (excerpt):\n\n```text\n"
	_, rest, ok := strings.Cut(string(readme), intro)
	if !ok {
		t.Fatalf("README.md has no report excerpt after %q", intro)
	}
	excerpt, _, ok := strings.Cut(rest, "\n```\n")
	if !ok {
		t.Fatal("README.md: the report excerpt's code block is not closed")
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"herald", "-C", "../..", "report", "--from", "2026-11-01", "--to", "2026-11-30", "example-calendar"},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("herald report exited with %d; stderr:\n%s", code, stderr.String())
	}
	out := "\n" + stdout.String()
	for _, line := range strings.Split(excerpt, "\n") {
		if line != "" && !strings.Contains(out, "\n"+line+"\n") {
			t.Errorf("the README's excerpt has the line\n%s\nthat herald report does not print; it printed:\n%s", line, stdout.String())
		}
	}
}
