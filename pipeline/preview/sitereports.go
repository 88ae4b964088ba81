package preview

import (
	"fmt"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// reportLink is a month's report on the calendar page.
type reportLink struct{ Href, Text string }

// reportFiles makes the files of the site's reports, by their path in the
// site, and notes each report's link for its month of the calendar. A site
// of one calendar keeps its reports under reports/MONTH/; with several,
// each calendar's go under reports/N/MONTH/, N in the order of the
// calendars.
func (s *site) reportFiles(dir string) (map[string][]byte, error) {
	s.reports = map[string][]reportLink{}
	if len(s.opts.Reports) == 0 {
		return nil, nil
	}
	pages := map[string]map[string]string{} // root → post ID → page
	var roots []string
	for _, p := range s.posts {
		if pages[p.cal.Root] == nil {
			pages[p.cal.Root] = map[string]string{}
			roots = append(roots, p.cal.Root)
		}
		pages[p.cal.Root][p.ID] = p.page
	}
	for _, r := range s.opts.Reports {
		if !slices.Contains(roots, r.Root) {
			roots = append(roots, r.Root)
		}
	}
	files := map[string][]byte{}
	for _, r := range s.opts.Reports {
		folder := "reports/" + r.Month
		if len(roots) > 1 {
			folder = fmt.Sprintf("reports/%d/%s", slices.Index(roots, r.Root)+1, r.Month)
		}
		up := strings.Repeat("../", strings.Count(folder, "/")+1)
		postPage := func(id string) string {
			if page, ok := pages[r.Root][id]; ok {
				return up + page
			}
			return ""
		}
		made, err := r.Files(filepath.Join(dir, filepath.FromSlash(folder)), up+"index.html#m"+r.Month, postPage)
		if err != nil {
			return nil, fmt.Errorf("the report of %s: %w", r.Month, err)
		}
		for _, name := range slices.Sorted(maps.Keys(made)) {
			files[path.Join(folder, name)] = made[name]
		}
		month, err := time.Parse("2006-01", r.Month)
		if err != nil {
			return nil, fmt.Errorf("the report of %q: not a month (YYYY-MM)", r.Month)
		}
		s.reports[r.Month] = append(s.reports[r.Month], reportLink{Href: folder + "/index.html",
			Text: s.p.T("preview.site.report", i18n.Args{"Month": s.p.MonthYear(month)})})
	}
	return files, nil
}
