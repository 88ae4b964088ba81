package calendar_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/calendar"
	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
)

// postView is what a post is, for the round trip: everything herald
// export writes.
type postView struct {
	ID, Rel, When, Campaign, Status, Title, Body string
	Networks, Tags, Media, Variants              []string
}

func postsOf(t *testing.T, dir string) []postView {
	t.Helper()
	res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true, SkipPublished: true})
	if err != nil || len(res.Calendars) != 1 {
		t.Fatalf("%s: %v %v", dir, err, res.Diagnostics)
	}
	var out []postView
	for _, p := range res.Calendars[0].Posts {
		v := postView{ID: p.ID, Rel: p.Rel, When: p.When.UTC().String(), Campaign: p.Campaign.Value, Status: p.Status.Value,
			Title: p.Title.Value, Body: strings.TrimSpace(p.Body)}
		for _, n := range p.Networks {
			v.Networks = append(v.Networks, n.Value)
		}
		for _, tag := range p.Tags {
			v.Tags = append(v.Tags, tag.Value)
		}
		for _, m := range p.Media {
			v.Media = append(v.Media, m.Src.Value+" | "+m.Alt.Value)
		}
		for _, va := range p.Variants {
			v.Variants = append(v.Variants, va.Key.Value+": "+va.Text.Value)
		}
		out = append(out, v)
	}
	return out
}

// emptyCalendar is a calendar with testdata/calendar's charter and media,
// and no post.
func emptyCalendar(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/calendar")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "posts")); err != nil {
		t.Fatal(err)
	}
	return dir
}

func exportRows(t *testing.T) ([]calendar.Row, *load.Charter) {
	t.Helper()
	res, err := check.Run(context.Background(), check.Options{Dir: "testdata/calendar", KeepPosts: true, SkipPublished: true})
	if err != nil {
		t.Fatal(err)
	}
	cal := res.Calendars[0]
	rows, err := calendar.ExportRows(cal, os.DirFS(cal.Root), time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return rows, cal.Charter
}

// TestRoundTrip: export, then import into an empty calendar, gives the
// same posts, through CSV and through JSON.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	want := postsOf(t, "testdata/calendar")
	for _, format := range []string{"csv", "json"} {
		t.Run(format, func(t *testing.T) {
			t.Parallel()
			rows, charter := exportRows(t)
			var buf bytes.Buffer
			var err error
			if format == "csv" {
				err = calendar.WriteCSV(&buf, rows)
			} else {
				err = calendar.WriteRowsJSON(&buf, rows)
			}
			if err != nil {
				t.Fatal(err)
			}
			var back []calendar.Row
			if format == "csv" {
				back, err = calendar.ReadCSV(&buf)
			} else {
				back, err = calendar.ReadRowsJSON(&buf)
			}
			if err != nil {
				t.Fatal(err)
			}
			dir := emptyCalendar(t)
			written, errs := calendar.Import(dir, charter, back, calendar.ImportOptions{})
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			if len(written) != len(want) {
				t.Errorf("wrote %d posts, want %d", len(written), len(want))
			}
			if diff := cmp.Diff(want, postsOf(t, dir)); diff != "" {
				t.Errorf("posts after the round trip (-exported +imported):\n%s", diff)
			}
			// Again: every post exists, and nothing is replaced.
			_, errs = calendar.Import(dir, charter, back, calendar.ImportOptions{})
			if len(errs) != len(want) || !strings.Contains(errs[0].Message, "exists: herald import never replaces a post (--force replaces it)") {
				t.Errorf("importing twice: %v", errs)
			}
			if _, errs = calendar.Import(dir, charter, back, calendar.ImportOptions{Force: true}); len(errs) > 0 {
				t.Errorf("--force: %v", errs)
			}
		})
	}
}

func TestExportCSV(t *testing.T) {
	t.Parallel()
	rows, _ := exportRows(t)
	var buf bytes.Buffer
	if err := calendar.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if header := strings.SplitN(got, "\n", 2)[0]; header != strings.Join(calendar.Columns, ",") {
		t.Errorf("header %q", header)
	}
	// One row per post and account: 1 + 1 + 2 + 1.
	if len(rows) != 5 {
		t.Errorf("%d rows, want 5", len(rows))
	}
	for _, want := range []string{
		`posts/2027/03/avant-dst,posts/2027/03/avant-dst.md,2027-03-27T10:00:00+01:00,ready,bluesky,bluesky,paques-2027,"produit,coulisses","Veille de Pâques, chocolat; et le reste",`,
		`posts/2027/03/brouillon,posts/2027/03/brouillon.md,2027-03-15T09:00:00+01:00,draft,mastodon,mastodon,,produit,,Un brouillon.,`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
}

// TestImportRefusesBadRows: each bad row is reported at its line of the
// file (a quoted text over several lines counts as its lines), and nothing
// is written.
func TestImportRefusesBadRows(t *testing.T) {
	t.Parallel()
	_, charter := exportRows(t)
	csv := "id,date,account,text,status\n" +
		"a,2027-04-01 09:00,mastodon,\"Deux\nlignes\",\n" +
		"b,2027-04-31 09:00,mastodon,Un jour qui n'existe pas,\n" +
		"c,2027-04-02 09:00,instagram,Un compte inconnu,\n" +
		"d,2027-04-03 09:00,mastodon,Un statut inconnu,planned\n" +
		"a,2027-04-01 10:00,bluesky,\"Deux\nlignes\",\n"
	rows, err := calendar.ReadCSV(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	dir := emptyCalendar(t)
	_, errs := calendar.Import(dir, charter, rows, calendar.ImportOptions{})
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`4: date "2027-04-31 09:00": write RFC 3339 (2026-12-01T09:00:00+01:00) or "2026-12-01 09:00" in the charter's time zone`,
		`5: account "instagram" is not one of the charter's (bluesky, mastodon)`,
		`6: status "planned": ready or draft`,
		`7: post a: this row's date, status, campaign, tags, title or text differ from those of line 2`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "posts")); !os.IsNotExist(err) {
		t.Error("an import with bad rows wrote posts")
	}
	if _, err := calendar.ReadCSV(strings.NewReader("titre,texte\nx,y\n")); err == nil || !strings.Contains(err.Error(), `1: no "date" column`) {
		t.Errorf("a CSV without Herald's columns: %v", err)
	}
}

// TestImportNamesNewPosts: rows without id or path become
// posts/YYYY/MM/<slug>.md, the slug from the title or the first words.
func TestImportNamesNewPosts(t *testing.T) {
	t.Parallel()
	_, charter := exportRows(t)
	rows := []calendar.Row{
		{Line: 2, Date: "2027-04-01 09:00", Account: "mastodon", Title: "Poisson d'avril !", Text: "Blague.", Tags: []string{"produit"}},
		{Line: 3, Date: "2027-04-01 18:00", Account: "bluesky", Text: "Poisson d'avril, le retour", Tags: []string{"produit"}},
		{Line: 4, Date: "2027-04-02 18:00", Account: "bluesky", Title: "Poisson d'avril !", Text: "Encore.", Tags: []string{"produit"}},
	}
	dir := emptyCalendar(t)
	written, errs := calendar.Import(dir, charter, rows, calendar.ImportOptions{DryRun: true})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var paths []string
	for _, w := range written {
		paths = append(paths, w.Path)
	}
	want := []string{"posts/2027/04/poisson-d-avril.md", "posts/2027/04/poisson-d-avril-le-retour.md", "posts/2027/04/poisson-d-avril-2.md"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "posts")); !os.IsNotExist(err) {
		t.Error("--dry-run wrote posts")
	}
}
