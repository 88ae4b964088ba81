package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestPlanExampleCalendar plans the example calendar on the first day of
// Advent, an hour after its first post: that post is due, late by an hour,
// on each of its nine accounts; November's posts, never published, are
// missed, so the plan exits 1.
func TestPlanExampleCalendar(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"herald", "-C", "../../example-calendar", "plan", "--now", "2026-12-01T10:00:00+01:00"},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitProblems {
		t.Errorf("herald plan exited with %d, want %d; stderr:\n%s", code, exitProblems, stderr.String())
	}
	out := stdout.String()
	for _, line := range []string{
		"Maison Exemple: plan at 2026-12-01 10:00 CET (Europe/Paris); max lateness 6h, upcoming for 7d",
		"x: 1 due, 4 missed",
		"    2026-12-01 09:00 CET  posts/2026/12/avent-jour-1.md  late by 1h",
		"    2026-12-03 18:30 CET  posts/2026/12/atelier-diy-couronne.md  in 2d8h30m",
		"    2026-11-30 17:00 CET  posts/2026/11/movember-bilan.md  17h late: more than max_lateness 6h",
		"instagram: 1 due, 2 missed",
		"total: 9 due, 4 upcoming, 41 missed, 0 skipped",
	} {
		if !strings.Contains(out, "\n"+line+"\n") && !strings.HasPrefix(out, line+"\n") {
			t.Errorf("herald plan does not print the line %q; it printed:\n%s", line, out)
		}
	}
	if want := "herald: 41 missed items: due longer ago than max_lateness and never published\n"; stderr.String() != want {
		t.Errorf("herald plan printed on stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
}
