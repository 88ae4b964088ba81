package preview_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/preview"
)

// A month's report is written under reports/MONTH/ with what its Files
// made, linked from that month of the calendar (a month without a post in
// the site included), given the links back to the calendar and to the
// posts' pages; a rebuild without it removes it; a failing report fails
// the site with its month named.
func TestSiteReports(t *testing.T) {
	t.Parallel()
	dir := "testdata/site/calendar"
	res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	root := res.Calendars[0].Root
	post := res.Calendars[0].Posts[0]
	site := filepath.Join(t.TempDir(), "site")
	type call struct{ dir, home, postPage, missing string }
	var calls []call
	files := func(dir, home string, postPage func(string) string) (map[string][]byte, error) {
		calls = append(calls, call{dir, home, postPage(post.ID), postPage("no/such/post")})
		return map[string][]byte{"index.html": []byte("<p>report</p>"), "chart.svg": []byte("<svg/>")}, nil
	}
	reports := []preview.SiteReport{{Root: root, Month: "2026-12", Files: files}, {Root: root, Month: "2025-01", Files: files}}
	if err := preview.WriteSite(site, res, preview.SiteOptions{Reports: reports}); err != nil {
		t.Fatal(err)
	}
	want := []call{
		{filepath.Join(site, "reports", "2026-12"), "../../index.html#m2026-12", "../../" + filepath.ToSlash(post.ID) + ".html", ""},
		{filepath.Join(site, "reports", "2025-01"), "../../index.html#m2025-01", "../../" + filepath.ToSlash(post.ID) + ".html", ""},
	}
	if len(calls) != len(want) {
		t.Fatalf("Files called %d times, want %d", len(calls), len(want))
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("Files called with %+v, want %+v", calls[i], want[i])
		}
	}
	for _, name := range []string{"reports/2026-12/index.html", "reports/2026-12/chart.svg", "reports/2025-01/index.html"} {
		if _, err := os.Stat(filepath.Join(site, filepath.FromSlash(name))); err != nil {
			t.Errorf("the site has no %s: %v", name, err)
		}
	}
	index, err := os.ReadFile(filepath.Join(site, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, link := range []string{
		`<p class="report"><a href="reports/2026-12/index.html">Report for December 2026: KPIs, objectives, when to post</a></p>`,
		`<section class="month" id="m2025-01">`, // a month with a report and no post
		`<a href="reports/2025-01/index.html">`,
	} {
		if !strings.Contains(string(index), link) {
			t.Errorf("index.html has no %s", link)
		}
	}

	if err := preview.WriteSite(site, res, preview.SiteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(site, "reports")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a rebuild without reports left reports/ (%v)", err)
	}

	failing := []preview.SiteReport{{Root: root, Month: "2026-11", Files: func(string, string, func(string) string) (map[string][]byte, error) {
		return nil, errors.New("state/x.json: unreadable")
	}}}
	err = preview.WriteSite(site, res, preview.SiteOptions{Reports: failing})
	if err == nil || !strings.Contains(err.Error(), "2026-11") || !strings.Contains(err.Error(), "unreadable") {
		t.Errorf("a failing report: %v, want its month and cause", err)
	}
}
