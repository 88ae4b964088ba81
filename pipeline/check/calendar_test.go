package check_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
)

// TestPastUnpublished: a post dated longer ago than max_lateness that
// publish never tried on an account is a warning at its date; what publish
// tried (missed, failed) and drafts are not, nor anything without --now,
// nor a calendar that has never published (no state folder).
func TestPastUnpublished(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"charter.yaml":             "brand: B\ntimezone: Europe/Paris\naccounts:\n  mastodon: {network: mastodon, server: https://piaille.fr}\n  bluesky: {network: bluesky, handle: b.example.com}\neditorial_line:\n  produit: {description: P}\n",
		"posts/jamais.md":          "---\ndate: 2026-11-02 09:30\nnetworks: [mastodon, bluesky]\ntags: [produit]\n---\nJamais publiée.\n",
		"posts/moitie.md":          "---\ndate: 2026-11-03 09:30\nnetworks: [mastodon, bluesky]\ntags: [produit]\n---\nPubliée sur un compte.\n",
		"posts/manquee.md":         "---\ndate: 2026-11-04 09:30\nnetworks: [mastodon]\ntags: [produit]\n---\nManquée.\n",
		"posts/brouillon.md":       "---\ndate: 2026-11-05 09:30\nnetworks: [mastodon]\ntags: [produit]\nstatus: draft\n---\nBrouillon.\n",
		"posts/recente.md":         "---\ndate: 2026-12-01 08:00\nnetworks: [mastodon]\ntags: [produit]\n---\nDans max_lateness.\n",
		"state/posts/moitie.json":  `{"accounts": {"mastodon": {"status": "published", "ids": ["1"], "published_at": "2026-11-03T08:30:00Z"}}}`,
		"state/posts/manquee.json": `{"accounts": {"mastodon": {"status": "missed", "reason": "found due 2 days late"}}}`,
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	run := func(opts check.Options) []string {
		t.Helper()
		opts.Dir = dir
		res, err := check.Run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range res.Diagnostics {
			if d.Rule == "calendar.past-unpublished" {
				got = append(got, d.Path+": "+d.Message)
			}
		}
		return got
	}
	got := run(check.Options{Now: now})
	want := []string{
		"posts/jamais.md: dated Monday 2 November 2026, 09:30, in the past, and never published on mastodon, bluesky: it will not go out; give it a date to come, or delete it",
		"posts/moitie.md: dated Tuesday 3 November 2026, 09:30, in the past, and never published on bluesky: it will not go out; give it a date to come, or delete it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	fr, _ := i18n.New("fr")
	if got := run(check.Options{Now: now, Printer: fr}); len(got) != 2 || !strings.Contains(got[0], "jamais publiée sur mastodon, bluesky") {
		t.Errorf("in French: %v", got)
	}
	if got := run(check.Options{}); len(got) != 0 {
		t.Errorf("without Now: %v", got)
	}
	if err := os.RemoveAll(filepath.Join(dir, "state")); err != nil {
		t.Fatal(err)
	}
	if got := run(check.Options{Now: now}); len(got) != 0 {
		t.Errorf("without a state folder: %v", got)
	}
}
