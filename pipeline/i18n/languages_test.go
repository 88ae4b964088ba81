package i18n_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/golden"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/schedule"
	"github.com/herald-social/herald/pipeline/stats"
)

// TestLanguages writes testdata/calendar.txtar once with locale: fr-FR and
// once with locale: en-US, and compares with testdata/<locale>/* what a
// community manager reads of it: check in every format, the plan, the
// step summaries of a dry run and of a run of publish, and stats after
// it. The French files are the reference for the French words.
func TestLanguages(t *testing.T) {
	t.Parallel()
	for _, locale := range []string{"fr-FR", "en-US"} {
		t.Run(locale, func(t *testing.T) {
			t.Parallel()
			dir := writeCalendar(t, locale)
			p, _ := i18n.Choose("", locale, noEnv)
			language := func(charterLocale string) *i18n.Printer {
				p, _ := i18n.Choose("", charterLocale, noEnv)
				return p
			}
			want := func(name string, got []byte) {
				t.Helper()
				golden.Check(t, filepath.Join("testdata", locale, name), bytes.ReplaceAll(got, []byte(dir), []byte("$DIR")))
			}
			ctx := context.Background()

			res, err := check.Run(ctx, check.Options{Dir: dir, KeepPosts: true, Language: language})
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range diag.Formats {
				var b bytes.Buffer
				printer := diag.Printer{Format: format, Rules: check.RuleSummaries(p), Version: "test",
					Source: func(path string) ([]byte, error) { return load.ReadPost(filepath.Join(dir, filepath.FromSlash(path))) }}
				if err := printer.Print(&b, res.Diagnostics); err != nil {
					t.Fatal(err)
				}
				want("check."+format, b.Bytes())
			}

			cal := res.Calendars[0]
			at, err := check.ParseDate("2026-12-01 10:00", cal.Charter.Location)
			if err != nil {
				t.Fatal(err)
			}
			var plan bytes.Buffer
			plans := []*schedule.Result{schedule.Plan(cal, at, schedule.StateFiles(cal.Root), schedule.Options{})}
			if err := schedule.WriteText(&plan, plans, schedule.TextOptions{Printer: p}); err != nil {
				t.Fatal(err)
			}
			want("plan.txt", plan.Bytes())

			wall := func() time.Time { return time.Date(2026, 12, 1, 9, 5, 0, 0, time.UTC) }
			for _, run := range []struct {
				name   string
				now    string
				dryRun bool
			}{{"publish-dry-run.md", "2026-12-01 10:00", true}, {"publish.md", "2026-12-01 10:05", false}} {
				rep, err := publish.Run(ctx, publish.Options{Dir: dir, NowText: run.now, DryRun: run.dryRun, Wall: wall, Getenv: noEnv, Language: language})
				if err != nil {
					t.Fatal(err)
				}
				var md bytes.Buffer
				if err := publish.WriteMarkdown(&md, rep, publish.MarkdownOptions{DryRun: run.dryRun, Event: "schedule", Printer: p}); err != nil {
					t.Fatal(err)
				}
				want(run.name, md.Bytes())
			}

			rep, err := stats.Collect(ctx, stats.Options{Dir: dir, NowText: "2026-12-01 12:00", Wall: wall, Getenv: noEnv})
			if err != nil {
				t.Fatal(err)
			}
			var text, md bytes.Buffer
			if err := stats.WriteText(&text, rep, p); err != nil {
				t.Fatal(err)
			}
			if err := stats.WriteMarkdown(&md, rep, p); err != nil {
				t.Fatal(err)
			}
			want("stats.txt", text.Bytes())
			want("stats.md", md.Bytes())
		})
	}
}

func noEnv(string) string { return "" }

// writeCalendar writes testdata/calendar.txtar with its charter's locale
// in a temporary folder.
func writeCalendar(t *testing.T, locale string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", "calendar.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		data := strings.ReplaceAll(string(f.Data), "LOCALE", locale)
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
