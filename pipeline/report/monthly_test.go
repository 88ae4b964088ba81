package report

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// Monthly reports each whole month of the fixture that has a publication
// (post d in October, a, b, c and f in November, e on 1 December in
// Paris) once the month has ended, and each is the report Build makes for
// that month with --from and --to.
func TestMonthly(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "calendar")
	for _, tc := range []struct {
		now    time.Time
		months []string
	}{
		{time.Date(2026, 11, 30, 23, 59, 0, 0, paris), []string{"2026-10"}},
		{time.Date(2026, 12, 1, 0, 0, 0, 0, paris), []string{"2026-10", "2026-11"}}, // November has just ended
		{time.Date(2026, 12, 2, 9, 0, 0, 0, paris), []string{"2026-10", "2026-11"}},
		{time.Date(2027, 1, 1, 0, 0, 0, 0, paris), []string{"2026-10", "2026-11", "2026-12"}},
	} {
		reports, err := Monthly(context.Background(), dir, tc.now)
		if err != nil {
			t.Fatal(err)
		}
		var months []string
		for _, r := range reports {
			months = append(months, r.Period.Start.Format("2006-01"))
		}
		if strings.Join(months, " ") != strings.Join(tc.months, " ") {
			t.Errorf("at %s: months %v, want %v", tc.now, months, tc.months)
			continue
		}
		for _, r := range reports {
			from, to := r.Period.Start.Format(dayLayout), r.Period.Last().Format(dayLayout)
			want := fixture(t, Options{From: from, To: to})
			var got, wantJSON bytes.Buffer
			if err := WriteJSON(&got, r); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSON(&wantJSON, want); err != nil {
				t.Fatal(err)
			}
			if got.String() != wantJSON.String() {
				t.Errorf("Monthly's report of %s differs from herald report --from %s --to %s:\n%s\nwant:\n%s", from, from, to, got.String(), wantJSON.String())
			}
		}
	}
}

// SitePage links back to the site's calendar and to each post's page in
// the site, or to its file when the site has no page for it.
func TestSitePage(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{From: "2026-11-01", To: "2026-11-30"})
	dir, err := filepath.Abs(filepath.Join("testdata", "site", "reports", "2026-11"))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := i18n.New("fr")
	if !ok {
		t.Fatal("no French")
	}
	files, err := SitePage(r, p, PageOptions{Dir: dir, Home: "../../index.html#m2026-11", PostPage: func(id string) string {
		if id == "posts/a" {
			return "../../posts/2026/11/a.html"
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"index.html", "report.css", "objectives.svg", "engagement.svg", "followers.svg", "heatmap.svg"} {
		if len(files[name]) == 0 {
			t.Errorf("no %s among %d files", name, len(files))
		}
	}
	page := string(files["index.html"])
	for _, want := range []string{
		`<nav class="home"><a href="../../index.html#m2026-11">← Calendrier</a></nav>`,
		`href="../../posts/2026/11/a.html"`,   // post a has a page in the site
		`href="../../../calendar/posts/b.md"`, // post b has none: its file, from dir
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page has no %s", want)
		}
	}
}
