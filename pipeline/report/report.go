// Package report turns the engagement that herald stats journals in
// state/ into the KPIs a community manager hands over at the end of a
// month: per campaign, editorial tag and account, the counts, the
// engagement rate, the cost per engagement and the charter's objectives,
// beside the previous period; when to post; the best and worst posts; and
// the charts that show them. It reads the calendar and writes nothing but
// the report.
//
// Figures are never invented: a count no publication has is absent (nil,
// null in JSON), not 0, and no rate divides by zero.
package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/state"
	"github.com/herald-social/herald/pipeline/stats"
)

// Options configure a report. The zero value reports on the last full
// calendar month of the calendar in the working directory.
type Options struct {
	Dir   string   // where herald runs; PATHs are relative to it
	Paths []string // as for herald check: the posts reported on

	// From and To are the period's first and last days, YYYY-MM-DD in
	// the charter's time zone (see ParsePeriod).
	From, To string
	// Now is the time the default period is taken from (--now); zero is
	// the wall clock. NowText is --now as the user wrote it, which wins.
	Now     time.Time
	NowText string
	// Campaign, when set, keeps only the posts of that campaign.
	Campaign string
}

// Report is the report of one calendar over one period.
type Report struct {
	Brand    string
	Root     string // the calendar root, absolute
	Location *time.Location
	Locale   string // the charter's locale

	Period, Previous Period
	Campaign         string // Options.Campaign

	Total     Group
	Campaigns []Group // the campaigns with a publication in the period or running in it
	Tags      []Group // every tag of the editorial line
	Accounts  []Group // the accounts with a publication or follower counts

	When Heatmap
	// Best and Worst are the period's publications with the highest and
	// lowest engagement rate on views; BestPerFollower and
	// WorstPerFollower rank those without views per follower.
	Best, Worst                       []*Publication
	BestPerFollower, WorstPerFollower []*Publication
	// Days is the engagement of the period's publications by the day they
	// were published, for the chart.
	Days []Day
}

// Group is the figures of one campaign, tag or account, in the period and
// in the previous one.
type Group struct {
	Key   string
	Label string // the campaign's title, the tag's description, the account's network
	Figures
	Before Figures // over the previous period

	// Campaigns only.
	Budget            *float64
	CostPerEngagement *float64
	Objectives        []Objective

	// Tags only: the tag's share of the period's posts, and the charter's
	// bounds for it (nil when unset).
	Share              *float64
	ShareMin, ShareMax *float64

	// Accounts only.
	Network                      string
	FollowersStart, FollowersEnd *stats.FollowerSample
	Followers                    []stats.FollowerSample // the samples in the period
}

// Objective is one of a campaign's objectives against its figure.
type Objective struct {
	Metric string
	Target float64
	Actual *float64 // nil when the campaign has no such figure
	Met    bool     // Actual ≥ Target
}

// ShareStatus says where a tag's share stands against its bounds: "below",
// "above", "within", or "" without bounds or posts.
func (g Group) ShareStatus() string {
	switch {
	case g.Share == nil || (g.ShareMin == nil && g.ShareMax == nil):
		return ""
	case g.ShareMin != nil && *g.Share < *g.ShareMin:
		return "below"
	case g.ShareMax != nil && *g.Share > *g.ShareMax:
		return "above"
	}
	return "within"
}

// Growth is the account's follower change between the period's bounds,
// nil without both counts.
func (g Group) Growth() *int64 {
	if g.FollowersStart == nil || g.FollowersEnd == nil {
		return nil
	}
	d := g.FollowersEnd.Followers - g.FollowersStart.Followers
	return &d
}

// Day is the engagement of the publications of one day.
type Day struct {
	Day          time.Time // midnight in the charter's zone
	Publications int
	Engagements  *int64
}

// UsageError is a report that cannot be made as asked: exit code 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Build reads the calendar that opts names and makes its report.
func Build(ctx context.Context, opts Options) (*Report, error) {
	dir := opts.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	cal, err := loadCalendar(ctx, dir, opts.Paths)
	if err != nil {
		return nil, err
	}
	return buildCalendar(cal, os.DirFS(cal.Root), opts)
}

// loadCalendar loads the one calendar a report covers, found as herald
// check finds it.
func loadCalendar(ctx context.Context, dir string, paths []string) (*check.Calendar, error) {
	res, err := check.LoadCalendars(ctx, dir, paths)
	if err != nil {
		return nil, err
	}
	switch len(res.Calendars) {
	case 0:
		return nil, &UsageError{errors.New("no calendar found (a folder with a charter.yaml): give its path, or run herald init")}
	case 1:
	default:
		return nil, &UsageError{fmt.Errorf("%d calendars found: a report covers one brand, give the path of one calendar", len(res.Calendars))}
	}
	return res.Calendars[0], nil
}

// buildCalendar makes the report of a calendar whose files are fsys.
func buildCalendar(cal *check.Calendar, fsys fs.FS, opts Options) (*Report, error) {
	ch := cal.Charter
	loc := ch.Location
	if loc == nil {
		loc = time.UTC
	}
	now := opts.Now
	if opts.NowText != "" {
		t, err := check.ParseDate(opts.NowText, loc)
		if err != nil {
			return nil, &UsageError{fmt.Errorf("--now %q: %w", opts.NowText, err)}
		}
		now = t
	}
	if now.IsZero() {
		now = time.Now()
	}
	period, err := ParsePeriod(opts.From, opts.To, now, loc)
	if err != nil {
		return nil, &UsageError{err}
	}
	if opts.Campaign != "" {
		if _, ok := ch.Campaigns[opts.Campaign]; !ok {
			return nil, &UsageError{fmt.Errorf("--campaign %q is not a campaign of the charter (it has: %v)", opts.Campaign, ch.CampaignNames())}
		}
	}
	h, err := readHistory(cal, fsys, opts.Campaign)
	if err != nil {
		return nil, err
	}
	return h.report(period, opts.Campaign), nil
}

// Monthly makes the report of each whole calendar month, in the charter's
// time zone, that has a publication and ended before now: the pages the
// preview site links from its calendar. It reads the calendar at root
// once for all of them.
func Monthly(ctx context.Context, root string, now time.Time) ([]*Report, error) {
	cal, err := loadCalendar(ctx, root, nil)
	if err != nil {
		return nil, err
	}
	h, err := readHistory(cal, os.DirFS(cal.Root), "")
	if err != nil {
		return nil, err
	}
	loc := cmp.Or(cal.Charter.Location, time.UTC)
	var reports []*Report
	for _, p := range h.publications { // oldest first
		if n := len(reports); n > 0 && reports[n-1].Period.Contains(p.At) {
			continue
		}
		local := p.At.In(loc)
		first := time.Date(local.Year(), local.Month(), 1, 12, 0, 0, 0, loc)
		last := first.AddDate(0, 1, -1)
		month, err := ParsePeriod(first.Format(dayLayout), last.Format(dayLayout), now, loc)
		if err != nil {
			return nil, err
		}
		if month.End.After(now) {
			break
		}
		reports = append(reports, h.report(month, ""))
	}
	return reports, nil
}

// history is what a calendar's reports are made of: every publication of
// its posts, oldest first, and each account's follower samples.
type history struct {
	cal          *check.Calendar
	publications []*Publication
	followers    map[string][]stats.FollowerSample
}

// readHistory reads the publications of the calendar's posts (only those
// of campaign, unless it is "") and the follower samples from fsys.
func readHistory(cal *check.Calendar, fsys fs.FS, campaign string) (*history, error) {
	h := &history{cal: cal, followers: map[string][]stats.FollowerSample{}}
	for _, key := range cal.Charter.AccountKeys() {
		samples, err := stats.ReadFollowers(fsys, key)
		if err != nil {
			return nil, err
		}
		h.followers[key] = samples
	}
	pubs, err := publications(cal, fsys, campaign, h.followers)
	if err != nil {
		return nil, err
	}
	h.publications = pubs
	return h, nil
}

// report makes the report of one period from the history.
func (h *history) report(period Period, campaign string) *Report {
	ch := h.cal.Charter
	loc := cmp.Or(ch.Location, time.UTC)
	r := &Report{Brand: ch.Brand, Root: h.cal.Root, Location: loc, Locale: ch.Locale, Period: period, Previous: period.Previous(), Campaign: campaign}
	var inPeriod, before []*Publication
	for _, p := range h.publications {
		switch {
		case period.Contains(p.At):
			inPeriod = append(inPeriod, p)
		case r.Previous.Contains(p.At):
			before = append(before, p)
		}
	}
	r.Total = Group{Figures: figuresOf(inPeriod), Before: figuresOf(before)}
	r.Campaigns = r.campaigns(ch, inPeriod, before)
	r.Tags = r.tags(ch, inPeriod, before)
	r.Accounts = r.accounts(ch, inPeriod, before, h.followers)
	var past []*Publication
	for _, p := range h.publications {
		if p.At.Before(period.End) {
			past = append(past, p)
		}
	}
	r.When = heatmap(past, loc)
	r.Best, r.Worst = rank(inPeriod, (*Publication).Rate)
	r.BestPerFollower, r.WorstPerFollower = rank(inPeriod, (*Publication).FollowerRate)
	r.Days = days(inPeriod, period)
	return r
}

// publications reads the published publications of the calendar's posts
// from their state files, oldest first. The files are read and decoded
// by as many workers as there are CPUs: that is most of a report's time.
func publications(cal *check.Calendar, fsys fs.FS, campaign string, followers map[string][]stats.FollowerSample) ([]*Publication, error) {
	var posts []*check.Post
	for _, post := range cal.Posts {
		if campaign == "" || post.Campaign.Value == campaign {
			posts = append(posts, post)
		}
	}
	files := make([]*state.File, len(posts))
	errs := make([]error, len(posts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				files[i], errs[i] = state.Load(fsys, posts[i].ID)
			}
		}()
	}
	for i := range posts {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var out []*Publication
	for i, post := range posts {
		f := files[i]
		var tags []string
		for _, t := range post.Tags {
			if !slices.Contains(tags, t.Value) {
				tags = append(tags, t.Value)
			}
		}
		for _, key := range f.Keys() {
			a := f.Accounts[key]
			if a.Status != state.Published || a.PublishedAt.IsZero() {
				continue
			}
			p := &Publication{PostID: post.ID, File: post.Rel, Title: post.Title.Value, Campaign: post.Campaign.Value,
				Tags: tags, Account: key, At: a.PublishedAt}
			if acc := cal.Charter.Accounts[key]; acc != nil {
				p.Network = acc.Network
			}
			if len(a.URLs) > 0 {
				p.URL = a.URLs[0]
			}
			if n := len(a.Stats); n > 0 {
				c := a.Stats[n-1].Counts
				p.Latest = &c
			}
			if s := nearest(followers[key], p.At); s != nil {
				n := s.Followers
				p.Followers = &n
			}
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b *Publication) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.PostID, b.PostID), cmp.Compare(a.Account, b.Account))
	})
	return out, nil
}

// nearest is the sample nearest t (the earlier of two as near), nil
// without samples. The samples are oldest first, as stats writes them.
func nearest(samples []stats.FollowerSample, t time.Time) *stats.FollowerSample {
	i, _ := slices.BinarySearchFunc(samples, t, func(s stats.FollowerSample, t time.Time) int { return s.At.Compare(t) })
	switch {
	case len(samples) == 0:
		return nil
	case i == len(samples):
		return &samples[i-1]
	case i == 0:
		return &samples[0]
	}
	if t.Sub(samples[i-1].At) <= samples[i].At.Sub(t) {
		return &samples[i-1]
	}
	return &samples[i]
}

func filter(pubs []*Publication, keep func(*Publication) bool) []*Publication {
	var out []*Publication
	for _, p := range pubs {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

func (r *Report) campaigns(ch *load.Charter, inPeriod, before []*Publication) []Group {
	var out []Group
	for _, key := range ch.CampaignNames() {
		c := ch.Campaigns[key]
		of := func(p *Publication) bool { return p.Campaign == key }
		g := Group{Key: key, Label: c.Title, Figures: figuresOf(filter(inPeriod, of)), Before: figuresOf(filter(before, of))}
		if r.Campaign != "" && key != r.Campaign {
			continue
		}
		if g.Publications == 0 && !r.overlaps(c) && r.Campaign == "" {
			continue
		}
		if c.Budget > 0 {
			b := c.Budget
			g.Budget = &b
			if g.Engagements != nil && *g.Engagements > 0 {
				cpe := b / float64(*g.Engagements)
				g.CostPerEngagement = &cpe
			}
		}
		metrics := make([]string, 0, len(c.Objectives))
		for m := range c.Objectives {
			metrics = append(metrics, m)
		}
		slices.Sort(metrics)
		for _, m := range metrics {
			o := Objective{Metric: m, Target: c.Objectives[m], Actual: g.Metric(m)}
			if m == "cost_per_engagement" {
				o.Actual = g.CostPerEngagement
			}
			o.Met = o.Actual != nil && *o.Actual >= o.Target
			g.Objectives = append(g.Objectives, o)
		}
		out = append(out, g)
	}
	return out
}

// overlaps reports whether a campaign runs on a day of the period.
func (r *Report) overlaps(c load.Campaign) bool {
	start, err1 := time.ParseInLocation(dayLayout, c.Start, r.Location)
	end, err2 := time.ParseInLocation(dayLayout, c.End, r.Location)
	if err1 != nil || err2 != nil {
		return false
	}
	return start.Before(r.Period.End) && nextDay(end).After(r.Period.Start)
}

func (r *Report) tags(ch *load.Charter, inPeriod, before []*Publication) []Group {
	var out []Group
	for _, key := range ch.TagNames() {
		t := ch.EditorialLine[key]
		of := func(p *Publication) bool { return slices.Contains(p.Tags, key) }
		g := Group{Key: key, Label: t.Description, Figures: figuresOf(filter(inPeriod, of)), Before: figuresOf(filter(before, of))}
		if r.Total.Posts > 0 {
			s := float64(g.Posts) / float64(r.Total.Posts)
			g.Share = &s
		}
		g.ShareMin, g.ShareMax = t.Share.Min, t.Share.Max
		out = append(out, g)
	}
	return out
}

func (r *Report) accounts(ch *load.Charter, inPeriod, before []*Publication, followers map[string][]stats.FollowerSample) []Group {
	var out []Group
	for _, key := range ch.AccountKeys() {
		of := func(p *Publication) bool { return p.Account == key }
		g := Group{Key: key, Network: ch.Accounts[key].Network, Label: ch.Accounts[key].Network,
			Figures: figuresOf(filter(inPeriod, of)), Before: figuresOf(filter(before, of))}
		samples := followers[key]
		if g.Publications == 0 && g.Before.Publications == 0 && len(samples) == 0 {
			continue
		}
		g.FollowersStart = nearest(samples, r.Period.Start)
		g.FollowersEnd = nearest(samples, r.Period.End)
		for _, s := range samples {
			if r.Period.Contains(s.At) {
				g.Followers = append(g.Followers, s)
			}
		}
		out = append(out, g)
	}
	return out
}

// days adds up the period's publications by the day they were published.
func days(pubs []*Publication, period Period) []Day {
	var out []Day
	for d := period.Start; d.Before(period.End); d = nextDay(d) {
		day := Day{Day: d}
		end := nextDay(d)
		for _, p := range pubs {
			if !p.At.Before(d) && p.At.Before(end) {
				day.Publications++
				day.Engagements = sum(day.Engagements, p.Engagements())
			}
		}
		out = append(out, day)
	}
	return out
}

// fileLink is a publication's file relative to dir (where the report is
// written), with slashes, for a link; relative to the calendar root when
// dir is "".
func (r *Report) fileLink(p *Publication, dir string) string {
	if dir == "" {
		return p.File
	}
	rel, err := filepath.Rel(dir, filepath.Join(r.Root, filepath.FromSlash(p.File)))
	if err != nil {
		return p.File
	}
	return filepath.ToSlash(rel)
}
