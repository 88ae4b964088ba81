package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestPlanExampleCalendar plans the example calendar on the first day of
// Advent, an hour after its first post: that post is due, late by an hour,
// on each of its nine accounts. November's posts have a sample history
// (example-calendar/state/, made by pipeline/report/examplegen): published
// on Mastodon, Bluesky, the feed and the outbox; the accounts without
// credentials there were journaled as missed, so the plan exits 1. The example's charter says
// locale: fr-FR, so the plan is in French.
func TestPlanExampleCalendar(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"herald", "-C", "../../example-calendar", "plan", "--now", "2026-12-01T10:00:00+01:00"},
		strings.NewReader(""), &stdout, &stderr)
	if code != exitProblems {
		t.Errorf("herald plan exited with %d, want %d; stderr:\n%s", code, exitProblems, stderr.String())
	}
	out := stdout.String()
	for _, line := range []string{
		"Maison Exemple\u00a0: plan au mardi 1er décembre 2026, 10:00 CET (Europe/Paris)\u202f; retard maximal 6\u00a0h, à venir sur 7\u00a0j",
		"x\u00a0: 1 à publier, 4 manquées",
		"    mardi 1er décembre 2026, 09:00 CET  posts/2026/12/avent-jour-1.md  en retard de 1\u00a0h",
		"    jeudi 3 décembre 2026, 18:30 CET  posts/2026/12/atelier-diy-couronne.md  dans 2\u00a0j 8\u00a0h 30\u00a0min",
		"    lundi 30 novembre 2026, 17:00 CET  posts/2026/11/movember-bilan.md  prévue le lundi 30 novembre 2026, 17:00 CET\u00a0: publish l’a enregistrée comme manquée",
		"instagram\u00a0: 1 à publier, 2 manquées",
		"    lundi 2 novembre 2026, 09:30 CET  posts/2026/11/movember-lancement.md  prévue le lundi 2 novembre 2026, 09:30 CET\u00a0: publish l’a enregistrée comme manquée",
		"total\u00a0: 9 à publier, 4 à venir, 15 manquées, 0 ignorée",
	} {
		if !strings.Contains(out, "\n"+line+"\n") && !strings.HasPrefix(out, line+"\n") {
			t.Errorf("herald plan does not print the line %q; it printed:\n%s", line, out)
		}
	}
	if want := "herald: 15 publications manquées\u00a0: dues depuis plus longtemps que max_lateness et jamais publiées\n"; stderr.String() != want {
		t.Errorf("herald plan printed on stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
}
