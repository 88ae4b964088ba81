package publish_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dstCalendar holds the two posts at 02:30 on the night the clocks go back
// in Paris (2026-10-25: 02:30 CEST, then an hour later 02:30 CET again),
// written in RFC 3339 since the local time alone is ambiguous; and posts at
// local times that do not exist or happen twice, which check refuses.
func dstCalendar() map[string]string {
	post := func(date, text string) string {
		return "---\ndate: " + date + "\nnetworks: [mastodon, outbox]\ntags: [produit]\n---\n" + text + "\n"
	}
	files := calendar()
	for name := range files {
		if strings.HasPrefix(name, "posts/") {
			delete(files, name)
		}
	}
	files["posts/heure-ete.md"] = post("2026-10-25T02:30:00+02:00", "Première 02:30.")
	files["posts/heure-hiver.md"] = post("2026-10-25T02:30:00+01:00", "Seconde 02:30.")
	files["posts/ambigu.md"] = post("2026-10-25 02:30", "Laquelle ?")
	files["posts/printemps.md"] = post("2027-03-28 02:30", "Cette heure n'existe pas.")
	return files
}

// TestDST publishes each of the two 02:30 of the fall-back night at its
// own instant, with --now around them, and skips, with check's reason, the
// local 02:30 that happens twice that night and the one that the clocks
// skip on the spring-forward night.
func TestDST(t *testing.T) {
	dir := newCalendar(t, dstCalendar())
	n := newFakeNetwork(t.Errorf, map[string][]string{
		"posts/heure-ete":   {"Première 02:30."},
		"posts/heure-hiver": {"Seconde 02:30."},
	})
	opts := options(dir, n)
	steps := []struct {
		now  string
		want []string // what is published (or would be) at now
	}{
		{"2026-10-25T02:29:59+02:00", nil},
		{"2026-10-25T02:30:00+02:00", []string{"published posts/heure-ete on mastodon", "published posts/heure-ete on outbox"}},
		// An hour later, the wall clock reads 02:29 again.
		{"2026-10-25T02:29:00+01:00", nil},
		{"2026-10-25T02:30:00+01:00", []string{"published posts/heure-hiver on mastodon", "published posts/heure-hiver on outbox"}},
		{"2026-10-25T03:30:00+01:00", nil},
	}
	for _, step := range steps {
		opts.NowText = step.now
		rep := run(t, opts)
		var got []string
		for _, o := range outcomes(rep) {
			if !strings.HasPrefix(o, "skipped") {
				got = append(got, o)
			}
		}
		if diff := cmp.Diff(step.want, got); diff != "" {
			t.Errorf("--now %s (-want +got):\n%s", step.now, diff)
		}
		// The two posts whose local 02:30 is ambiguous or does not exist
		// have check errors: they are never published, and the run fails
		// so that the team hears of them.
		if !rep.Failed() {
			t.Errorf("--now %s: not Failed(), with two posts that check stops", step.now)
		}
	}
	for id, at := range map[string]string{"heure-ete": "2026-10-25T02:30:00+02:00", "heure-hiver": "2026-10-25T02:30:00+01:00"} {
		file := readJSON(t, filepath.Join(dir, "state/posts", id+".json"))
		for _, key := range []string{"mastodon", "outbox"} {
			if a := accountState(t, file, key); a["status"] != "published" || a["published_at"] != at {
				t.Errorf("%s on %s: %v, want published at %s", id, key, a, at)
			}
		}
	}
	if got := len(n.records()); got != 2 {
		t.Errorf("%d publications on the network, want 2", got)
	}

	// The local times that check refuses are skipped, with its reason, at
	// every run; they are never published nor journaled.
	for _, now := range []string{"2026-10-25T03:30:00+01:00", "2027-03-28T04:00:00+02:00"} {
		opts.NowText = now
		rep := run(t, opts)
		reasons := map[string]string{}
		for _, o := range rep.Outcomes {
			if o.What != "skipped" {
				t.Errorf("--now %s: %s %s on %s", now, o.What, o.PostID, o.Account)
			}
			reasons[o.PostID+" "+o.Account] = o.Reason
		}
		want := map[string]string{
			"posts/ambigu mastodon":    "[date.dst-ambiguous]",
			"posts/ambigu outbox":      "[date.dst-ambiguous]",
			"posts/printemps mastodon": "[date.dst-gap]",
			"posts/printemps outbox":   "[date.dst-gap]",
		}
		for item, rule := range want {
			if !strings.HasPrefix(reasons[item], "check: ") || !strings.HasSuffix(reasons[item], rule) {
				t.Errorf("--now %s: %s skipped for %q, want check's %s", now, item, reasons[item], rule)
			}
		}
		if len(reasons) != len(want) {
			t.Errorf("--now %s: outcomes %v", now, reasons)
		}
	}
	for _, id := range []string{"ambigu", "printemps"} {
		if m, _ := filepath.Glob(filepath.Join(dir, "state/posts", id+".json")); len(m) != 0 {
			t.Errorf("%s is journaled", id)
		}
	}
}
