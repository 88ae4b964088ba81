package report

import (
	"strconv"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// doc is the report as people read it, once, in their language: the text,
// Markdown and HTML formats each lay the same sections out.
type doc struct {
	Lang     string
	Home     string // a link back to the site's calendar, "" outside a site
	HomeText string
	Title    string
	Lines    []string // under the title
	Sections []section
}

type section struct {
	ID     string // the section's anchor and the stem of its chart's file
	Title  string
	Intro  []string
	Tables []table
	Charts []chart // drawn with --out
	Notes  []string
}

type table struct {
	Caption string
	Head    []string
	Right   []bool // right-aligned columns (numbers)
	Rows    [][]cell
}

type cell struct {
	Text string
	Link string // a URL or a file path, "" for none
}

// chart is an SVG file of the report: its name and what it shows, for
// the image's alternative text.
type chart struct {
	File  string
	Title string
	SVG   []byte
}

// postLink is where a post of the report links to: its page in the site,
// or else its file.
func (b *builder) postLink(pub *Publication) string {
	if b.page.PostPage != nil {
		if page := b.page.PostPage(pub.PostID); page != "" {
			return page
		}
	}
	return b.r.fileLink(pub, b.page.Dir)
}

// absent is how a figure that no publication has is written: never 0.
const absent = "—"

// builder writes the doc's figures with one Printer.
type builder struct {
	p    *i18n.Printer
	r    *Report
	page PageOptions
}

// newDoc lays out the report with its links to the posts' files relative
// to dir ("" for the calendar root).
func newDoc(r *Report, p *i18n.Printer, dir string) *doc {
	return newPageDoc(r, p, PageOptions{Dir: dir})
}

func newPageDoc(r *Report, p *i18n.Printer, page PageOptions) *doc {
	if p == nil {
		p = i18n.English()
	}
	b := &builder{p: p, r: r, page: page}
	d := &doc{Lang: p.Lang()}
	if page.Home != "" {
		d.Home, d.HomeText = page.Home, p.T("report.site.home", nil)
	}
	d.Title = p.T("report.title", i18n.Args{"Brand": r.Brand, "Period": b.periodName(r.Period)})
	d.Lines = append(d.Lines, p.T("report.period", i18n.Args{
		"From": p.Date(r.Period.Start), "To": p.Date(r.Period.Last()), "Previous": b.periodName(r.Previous),
	}))
	if r.Campaign != "" {
		d.Lines = append(d.Lines, p.T("report.only-campaign", i18n.Args{"Campaign": r.Campaign}))
	}
	if r.Total.Publications == 0 {
		d.Lines = append(d.Lines, p.T("report.nothing", nil))
	}
	d.Lines = append(d.Lines, p.T("report.absent", i18n.Args{"Absent": absent}))
	d.Sections = []section{b.overview(), b.campaigns(), b.tags(), b.accounts(), b.when(), b.ranked()}
	return d
}

// periodName is "November 2026" for a month, else its first and last days.
func (b *builder) periodName(p Period) string {
	if p.WholeMonths() == 1 {
		return b.p.MonthYear(p.Start)
	}
	return b.p.T("report.days", i18n.Args{"From": b.p.Date(p.Start), "To": b.p.Date(p.Last())})
}

func (b *builder) count(n *int64) string {
	if n == nil {
		return absent
	}
	return b.p.Int(*n)
}

func (b *builder) rate(r *float64) string {
	if r == nil {
		return absent
	}
	return b.p.Percent(*r, 2)
}

func (b *builder) amount(v *float64) string {
	if v == nil {
		return absent
	}
	return b.p.Number(*v, 2)
}

// change is a count's change: "+33 (+183%)", the percentage only when the
// previous count is above 0.
func (b *builder) change(now, before *int64) string {
	if now == nil || before == nil {
		return absent
	}
	d := *now - *before
	s := signed(b.p.Int(d), d)
	if *before > 0 {
		r := float64(d) / float64(*before)
		s += " (" + signed(b.p.Percent(r, 0), d) + ")"
	}
	return s
}

// changeRate is a rate's change in percentage points: "−0.67 pt".
func (b *builder) changeRate(now, before *float64) string {
	if now == nil || before == nil {
		return absent
	}
	d := (*now - *before) * 100
	return b.p.T("report.points", i18n.Args{"Points": signedFloat(b.p.Number(d, 2), d)})
}

func signed(s string, d int64) string {
	if d > 0 {
		return "+" + s
	}
	return s
}

func signedFloat(s string, d float64) string {
	if d > 0 {
		return "+" + s
	}
	return s
}

func int64p(n int) *int64 {
	v := int64(n)
	return &v
}

func (b *builder) overview() section {
	p, t := b.p, b.r.Total
	s := section{ID: "overview", Title: p.T("report.overview", nil)}
	tb := table{Head: []string{p.T("report.figure", nil), p.T("report.this-period", nil), p.T("report.previous", nil), p.T("report.change", nil)}, Right: []bool{false, true, true, true}}
	row := func(id string, now, before *int64) {
		tb.Rows = append(tb.Rows, []cell{{Text: p.T(id, nil)}, {Text: b.count(now)}, {Text: b.count(before)}, {Text: b.change(now, before)}})
	}
	row("report.posts", int64p(t.Posts), int64p(t.Before.Posts))
	row("report.publications", int64p(t.Publications), int64p(t.Before.Publications))
	row("report.likes", t.Likes, t.Before.Likes)
	row("report.reposts", t.Reposts, t.Before.Reposts)
	row("report.replies", t.Replies, t.Before.Replies)
	row("report.quotes", t.Quotes, t.Before.Quotes)
	row("report.views", t.Views, t.Before.Views)
	row("report.engagements", t.Engagements, t.Before.Engagements)
	tb.Rows = append(tb.Rows,
		[]cell{{Text: p.T("report.engagement-rate", nil)}, {Text: b.rate(t.EngagementRate)}, {Text: b.rate(t.Before.EngagementRate)}, {Text: b.changeRate(t.EngagementRate, t.Before.EngagementRate)}},
		[]cell{{Text: p.T("report.per-follower", nil)}, {Text: b.rate(t.FollowerRate)}, {Text: b.rate(t.Before.FollowerRate)}, {Text: b.changeRate(t.FollowerRate, t.Before.FollowerRate)}})
	s.Tables = []table{tb}
	s.Notes = []string{p.T("report.rate-note", nil)}
	s.Charts = []chart{{File: "engagement.svg", Title: p.T("report.chart.engagement", i18n.Args{"Period": b.periodName(b.r.Period)}), SVG: b.engagementChart()}}
	return s
}

func (b *builder) campaigns() section {
	p := b.p
	s := section{ID: "campaigns", Title: p.T("report.campaigns", nil)}
	if len(b.r.Campaigns) == 0 {
		s.Intro = []string{p.T("report.no-campaign", nil)}
		return s
	}
	figures := table{Head: []string{p.T("report.campaign", nil), p.T("report.posts", nil), p.T("report.publications", nil), p.T("report.engagements", nil),
		p.T("report.change", nil), p.T("report.engagement-rate", nil), p.T("report.per-follower", nil), p.T("report.budget", nil), p.T("report.cost-per-engagement", nil)},
		Right: []bool{false, true, true, true, true, true, true, true, true}}
	objectives := table{Caption: p.T("report.objectives", nil), Head: []string{p.T("report.campaign", nil), p.T("report.objective", nil), p.T("report.target", nil), p.T("report.actual", nil), p.T("report.met", nil)},
		Right: []bool{false, false, true, true, false}}
	for _, g := range b.r.Campaigns {
		name := g.Key
		if g.Label != "" {
			name = g.Label
		}
		figures.Rows = append(figures.Rows, []cell{{Text: name}, {Text: p.Int(int64(g.Posts))}, {Text: p.Int(int64(g.Publications))},
			{Text: b.count(g.Engagements)}, {Text: b.change(g.Engagements, g.Before.Engagements)}, {Text: b.rate(g.EngagementRate)},
			{Text: b.rate(g.FollowerRate)}, {Text: b.amount(g.Budget)}, {Text: b.amount(g.CostPerEngagement)}})
		for _, o := range g.Objectives {
			met := p.T("report.not-met", nil)
			switch {
			case o.Actual == nil:
				met = p.T("report.unknown", nil)
			case o.Met:
				met = p.T("report.yes-met", nil)
			}
			objectives.Rows = append(objectives.Rows, []cell{{Text: name}, {Text: b.metricName(o.Metric)},
				{Text: b.metric(o.Metric, &o.Target)}, {Text: b.metric(o.Metric, o.Actual)}, {Text: met}})
		}
	}
	s.Tables = []table{figures}
	if len(objectives.Rows) > 0 {
		s.Tables = append(s.Tables, objectives)
		s.Charts = []chart{{File: "objectives.svg", Title: p.T("report.chart.objectives", nil), SVG: b.objectivesChart()}}
	}
	s.Notes = []string{p.T("report.budget-note", nil)}
	return s
}

// metricName is an objective's figure as people name it; a key Herald
// does not know is shown as written.
func (b *builder) metricName(m string) string {
	id := "report.metric." + m
	if i18n.Has(id) {
		return b.p.T(id, nil)
	}
	return m
}

// metric writes an objective's value: a rate as a percentage, anything
// else as a number (whole for counts).
func (b *builder) metric(m string, v *float64) string {
	if v == nil {
		return absent
	}
	if m == "engagement_rate" || m == "engagement_rate_per_follower" {
		return b.p.Percent(*v, 2)
	}
	return b.p.Number(*v, 2)
}

func (b *builder) tags() section {
	p := b.p
	s := section{ID: "editorial-line", Title: p.T("report.tags", nil)}
	tb := table{Head: []string{p.T("report.tag", nil), p.T("report.posts", nil), p.T("report.share", nil), p.T("report.share-target", nil), p.T("report.share-status", nil),
		p.T("report.engagements", nil), p.T("report.change", nil), p.T("report.engagement-rate", nil), p.T("report.per-follower", nil)},
		Right: []bool{false, true, true, false, false, true, true, true, true}}
	for _, g := range b.r.Tags {
		share := absent
		if g.Share != nil {
			share = p.Percent(*g.Share, 0)
		}
		target := ""
		switch {
		case g.ShareMin != nil && g.ShareMax != nil:
			target = p.T("report.share-between", i18n.Args{"Min": p.Percent(*g.ShareMin, 0), "Max": p.Percent(*g.ShareMax, 0)})
		case g.ShareMin != nil:
			target = p.T("report.share-at-least", i18n.Args{"Min": p.Percent(*g.ShareMin, 0)})
		case g.ShareMax != nil:
			target = p.T("report.share-at-most", i18n.Args{"Max": p.Percent(*g.ShareMax, 0)})
		}
		status := ""
		if st := g.ShareStatus(); st != "" {
			status = p.T("report.share-"+st, nil)
		}
		tb.Rows = append(tb.Rows, []cell{{Text: g.Key}, {Text: p.Int(int64(g.Posts))}, {Text: share}, {Text: target}, {Text: status},
			{Text: b.count(g.Engagements)}, {Text: b.change(g.Engagements, g.Before.Engagements)}, {Text: b.rate(g.EngagementRate)}, {Text: b.rate(g.FollowerRate)}})
	}
	s.Tables = []table{tb}
	s.Notes = []string{p.T("report.share-note", nil)}
	return s
}

func (b *builder) accounts() section {
	p := b.p
	s := section{ID: "accounts", Title: p.T("report.accounts", nil)}
	if len(b.r.Accounts) == 0 {
		s.Intro = []string{p.T("report.no-account", nil)}
		return s
	}
	tb := table{Head: []string{p.T("report.account", nil), p.T("report.network", nil), p.T("report.publications", nil), p.T("report.engagements", nil),
		p.T("report.change", nil), p.T("report.engagement-rate", nil), p.T("report.per-follower", nil), p.T("report.followers-start", nil),
		p.T("report.followers-end", nil), p.T("report.growth", nil)},
		Right: []bool{false, false, true, true, true, true, true, true, true, true}}
	hasFollowers := false
	for _, g := range b.r.Accounts {
		start, end := absent, absent
		if g.FollowersStart != nil {
			start = p.Int(g.FollowersStart.Followers)
		}
		if g.FollowersEnd != nil {
			end = p.Int(g.FollowersEnd.Followers)
		}
		hasFollowers = hasFollowers || len(g.Followers) > 0
		growth := absent
		if d := g.Growth(); d != nil {
			growth = b.change(&g.FollowersEnd.Followers, &g.FollowersStart.Followers)
		}
		tb.Rows = append(tb.Rows, []cell{{Text: g.Key}, {Text: g.Network}, {Text: p.Int(int64(g.Publications))}, {Text: b.count(g.Engagements)},
			{Text: b.change(g.Engagements, g.Before.Engagements)}, {Text: b.rate(g.EngagementRate)}, {Text: b.rate(g.FollowerRate)},
			{Text: start}, {Text: end}, {Text: growth}})
	}
	s.Tables = []table{tb}
	s.Notes = []string{p.T("report.followers-note", nil)}
	if hasFollowers {
		s.Charts = []chart{{File: "followers.svg", Title: p.T("report.chart.followers", i18n.Args{"Period": b.periodName(b.r.Period)}), SVG: b.followersChart()}}
	}
	return s
}

func (b *builder) when() section {
	p, h := b.p, b.r.When
	s := section{ID: "when-to-post", Title: p.T("report.when", nil)}
	if h.Basis == "" {
		s.Intro = []string{p.T("report.when-none", nil)}
		return s
	}
	s.Intro = []string{p.N("report.when-basis-"+h.Basis, h.Publications, i18n.Args{"Overall": b.rate(h.Overall)})}
	if h.Best != nil {
		s.Intro = append(s.Intro, p.N("report.when-suggest", h.Best.Publications, i18n.Args{
			"Weekday": p.Weekday(h.Best.Weekday), "Hour": hourName(h.Best.Hour), "Rate": p.Percent(h.Best.Rate, 2)}))
	} else {
		s.Intro = append(s.Intro, p.N("report.when-not-enough", MinPublicationsPerCell, nil))
	}
	tb := table{Head: []string{p.T("report.weekday", nil), p.T("report.hour", nil), p.T("report.publications", nil), p.T("report.rate", nil)},
		Right: []bool{false, true, true, true}}
	for _, c := range h.Cells {
		tb.Rows = append(tb.Rows, []cell{{Text: p.Weekday(c.Weekday)}, {Text: hourName(c.Hour)}, {Text: p.Int(int64(c.Publications))}, {Text: p.Percent(c.Rate, 2)}})
	}
	s.Tables = []table{tb}
	s.Charts = []chart{{File: "heatmap.svg", Title: p.T("report.chart.heatmap", nil), SVG: b.heatmapChart()}}
	return s
}

func hourName(h int) string { return twoDigits(h) + ":00" }

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func (b *builder) ranked() section {
	p := b.p
	s := section{ID: "posts", Title: p.T("report.best-worst", nil)}
	add := func(id string, pubs []*Publication, rate func(*Publication) *float64) {
		if len(pubs) == 0 {
			return
		}
		tb := table{Caption: p.T(id, nil), Head: []string{p.T("report.post", nil), p.T("report.account", nil), p.T("report.published", nil),
			p.T("report.engagements", nil), p.T("report.rate", nil), p.T("report.link", nil)}, Right: []bool{false, false, false, true, true, false}}
		for _, pub := range pubs {
			name := pub.Title
			if name == "" {
				name = pub.PostID
			}
			link := cell{Text: p.T("report.no-url", nil)}
			if pub.URL != "" {
				link = cell{Text: pub.URL, Link: pub.URL}
			}
			tb.Rows = append(tb.Rows, []cell{{Text: name, Link: b.postLink(pub)}, {Text: pub.Account}, {Text: b.dateTime(pub.At)},
				{Text: b.count(pub.Engagements())}, {Text: b.rate(rate(pub))}, link})
		}
		s.Tables = append(s.Tables, tb)
	}
	add("report.best", b.r.Best, (*Publication).Rate)
	add("report.worst", b.r.Worst, (*Publication).Rate)
	add("report.best-per-follower", b.r.BestPerFollower, (*Publication).FollowerRate)
	add("report.worst-per-follower", b.r.WorstPerFollower, (*Publication).FollowerRate)
	if len(s.Tables) == 0 {
		s.Intro = []string{p.T("report.no-ranked", nil)}
	}
	return s
}

func (b *builder) dateTime(t time.Time) string { return b.p.DateTime(t.In(b.r.Location)) }
