package preview

import (
	"cmp"
	"fmt"
	"html/template"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
)

// indexPage is the calendar: a grid per month that has posts.
type indexPage struct {
	W              *siteWords
	Title, Summary string
	Shown          string // "{shown} of 12 posts", which site.js fills in
	Assets         template.HTML
	Networks, Tags []string
	Campaigns      []campaignView
	Diagnostics    []diagView
	Months         []monthView
	Undated        []chipView
}

type monthView struct {
	ID, Label string
	Reports   []reportLink // herald report's pages for the month
	Days      []dayView    // whole weeks from Monday; padding days have no Date
}

type dayView struct {
	Date    string // 2026-12-01
	Num     int
	Weekend bool
	Posts   []chipView
	*dayMarks
}

// chipView is a post on the calendar.
type chipView struct {
	Href, Time, Label        string
	Networks, Tags, Campaign string // space-separated, for the filters
	Class                    string
	W                        *siteWords
	Nets                     []string
	Errors, Warnings         int
	Draft                    bool
	when                     time.Time
	sortKey                  string
}

type campaignView struct{ Key, Title, Class string }

type diagView struct {
	Severity, Where, Message, Rule string
	SeverityWord                   string // Severity as people read it
}

func diagViews(p *i18n.Printer, ds []diag.Diagnostic) []diagView {
	out := make([]diagView, len(ds))
	for i, d := range ds {
		where := d.Path
		if d.Line > 0 {
			where += fmt.Sprintf(":%d:%d", d.Line, d.Column)
		}
		out[i] = diagView{Severity: d.Severity.String(), SeverityWord: severityWord(p, d.Severity), Where: where, Message: d.Message, Rule: d.Rule}
	}
	return out
}

func (s *site) index() *indexPage {
	p := s.p
	page := &indexPage{W: s.words, Title: p.T("preview.site.title", i18n.Args{"Brand": s.title}), Assets: s.assets[""],
		Diagnostics: diagViews(p, s.other), Shown: p.N("preview.site.shown", len(s.posts), nil)}
	networks, tags := map[string]bool{}, map[string]bool{}
	byMonth := map[string]map[string][]chipView{} // 2026-12 -> 2026-12-01 -> chips
	var errs, warns int
	for _, p := range s.posts {
		c := s.chip(p)
		e, w := diag.Count(p.Diagnostics)
		errs, warns = errs+e, warns+w
		for _, n := range c.Nets {
			networks[n] = true
		}
		for _, t := range p.Tags {
			tags[t.Value] = true
		}
		if c.when.IsZero() {
			page.Undated = append(page.Undated, c)
			continue
		}
		month, day := c.when.Format("2006-01"), c.when.Format("2006-01-02")
		if byMonth[month] == nil {
			byMonth[month] = map[string][]chipView{}
		}
		byMonth[month][day] = append(byMonth[month][day], c)
	}
	for month := range s.reports { // a report's month shows even without a post in the site
		if byMonth[month] == nil {
			byMonth[month] = map[string][]chipView{}
		}
	}
	page.Networks, page.Tags = sortedKeys(networks), sortedKeys(tags)
	for _, c := range s.campaigns {
		page.Campaigns = append(page.Campaigns, c)
	}
	slices.SortFunc(page.Campaigns, func(a, b campaignView) int { return strings.Compare(a.Key, b.Key) })
	months := sortedKeys(byMonth)
	marks := s.calendarMarks(months)
	for _, month := range months {
		m := monthGrid(p, month, byMonth[month], marks)
		m.Reports = s.reports[month]
		page.Months = append(page.Months, m)
	}
	page.Summary = p.T("preview.site.summary", i18n.Args{"Posts": p.N("posts", len(s.posts), nil),
		"Months": p.N("preview.site.months", len(page.Months), nil),
		"Errors": p.N("preview.errors", errs, nil), "Warnings": p.N("preview.warnings", warns, nil)})
	return page
}

func (s *site) chip(p *sitePost) chipView {
	c := chipView{Href: p.page, Label: cmp.Or(p.Title.Value, path.Base(p.ID)), Draft: p.IsDraft(), Class: "camp-none", W: s.words}
	if !p.When.IsZero() {
		c.when = p.When.In(p.cal.Charter.Location)
		c.Time = c.when.Format("15:04")
	}
	c.sortKey = c.Time + " " + p.ID
	seen := map[string]bool{}
	for _, n := range p.Networks {
		if a := p.cal.Charter.Accounts[n.Value]; a != nil && !seen[a.Network] {
			seen[a.Network] = true
			c.Nets = append(c.Nets, a.Network)
		}
	}
	c.Networks = strings.Join(c.Nets, " ")
	tags := make([]string, len(p.Tags))
	for i, t := range p.Tags {
		tags[i] = t.Value
	}
	c.Tags = strings.Join(tags, " ")
	if camp, ok := s.campaigns[p.Campaign.Value]; ok {
		c.Campaign, c.Class = camp.Key, camp.Class
	}
	c.Errors, c.Warnings = diag.Count(p.Diagnostics)
	return c
}

// monthGrid lays out a month ("2026-12") in whole weeks from Monday.
func monthGrid(p *i18n.Printer, month string, days map[string][]chipView, marks map[string]*dayMarks) monthView {
	first, _ := time.Parse("2006-01", month)
	m := monthView{ID: "m" + month, Label: capitalize(p.MonthYear(first))}
	lead := (int(first.Weekday()) + 6) % 7 // days before the 1st in its week
	m.Days = make([]dayView, lead)
	for i := range m.Days {
		m.Days[i].dayMarks = &dayMarks{}
	}
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		date := d.Format("2006-01-02")
		chips := days[date]
		slices.SortStableFunc(chips, func(a, b chipView) int { return strings.Compare(a.sortKey, b.sortKey) })
		dm := marks[date]
		if dm == nil {
			dm = &dayMarks{}
		}
		m.Days = append(m.Days, dayView{Date: date, Num: d.Day(), Weekend: d.Weekday() == time.Saturday || d.Weekday() == time.Sunday, Posts: chips, dayMarks: dm})
	}
	for len(m.Days)%7 != 0 {
		m.Days = append(m.Days, dayView{dayMarks: &dayMarks{}})
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// capitalize puts a title's first letter in capitals, as a heading starts
// in every language Herald speaks ("décembre 2026" titles "Décembre 2026").
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToTitle(r)) + s[size:]
}
