// Package calendar lays a calendar out day by day over a period: its posts
// (how many per account each day), the charter's key dates and campaigns,
// and the gaps (silences longer than cadence.max_silence), for herald
// calendar's text grid, JSON, iCalendar and the preview site.
package calendar

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/calendar/keydates"
	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
)

// DefaultSilence is the silence the views highlight as a gap when the
// charter sets no cadence.max_silence (herald check then reports none).
const DefaultSilence = 3 * 24 * time.Hour

// Calendar is one calendar over a period of days.
type Calendar struct {
	Brand    string
	Location *time.Location
	From, To time.Time // first and last day, midnight UTC standing for civil dates
	Silence  time.Duration

	Days      []Day  // every day from From to To
	Posts     []Post // dated in the period, by time then id
	KeyDates  []keydates.KeyDate
	Campaigns []Campaign // overlapping the period, by start
	Gaps      []Gap      // silences longer than Silence, clipped to the period
	Accounts  []string   // the charter's account keys, sorted
}

// Post is a post as the calendar shows it.
type Post struct {
	ID, Path string // Path is below the calendar root
	When     time.Time
	Title    string // its title:, else its text's first line
	Text     string
	Accounts []string
	Campaign string
	Tags     []string
	Draft    bool
}

// Campaign is a campaign of the charter.
type Campaign struct {
	Key, Title string
	Start, End time.Time // days, both included
	Posts      int       // posts of the campaign dated in it
}

// Gap is a silence: no post on any account from From to To (instants;
// zero when the period starts or ends silent without a post around).
type Gap struct {
	From, To time.Time
	// FirstDay and LastDay are the days wholly inside the silence, within
	// the period; Days counts them all, in the period or not.
	FirstDay, LastDay time.Time
	Days              int
}

// Day is one day of the period.
type Day struct {
	Date      time.Time      // midnight UTC
	Posts     []int          // indexes into Calendar.Posts
	ByAccount map[string]int // posts per account that day
	KeyDates  []int          // indexes into Calendar.KeyDates
	Campaigns []int          // indexes into Calendar.Campaigns
	Gap       bool           // wholly inside a gap
}

// Build lays out cal over the days from to to (both included, midnight
// UTC standing for days in the charter's zone).
func Build(cal *check.Calendar, from, to time.Time) *Calendar {
	ch := cal.Charter
	c := &Calendar{Brand: ch.Brand, Location: ch.Location, From: from, To: to, Accounts: ch.AccountKeys()}
	c.Silence = DefaultSilence
	if d, ok := ch.Cadence.Silence(); ok {
		c.Silence = d
	}
	var ready []time.Time // every post's instant, in the period or not, for the gaps
	for _, p := range cal.Posts {
		if p.When.IsZero() {
			continue
		}
		if !p.IsDraft() {
			ready = append(ready, p.When)
		}
		day := DayOf(p.When, ch.Location)
		if day.Before(from) || day.After(to) {
			continue
		}
		c.Posts = append(c.Posts, postOf(p))
	}
	slices.SortFunc(c.Posts, func(a, b Post) int { return cmp.Or(a.When.Compare(b.When), strings.Compare(a.ID, b.ID)) })
	c.KeyDates = keydates.Resolve(ch.KeyDateEntries(), from, to)
	for _, key := range ch.CampaignNames() {
		camp := ch.Campaigns[key]
		start, err1 := time.Parse(time.DateOnly, camp.Start)
		end, err2 := time.Parse(time.DateOnly, camp.End)
		if err1 != nil || err2 != nil || end.Before(from) || start.After(to) {
			continue
		}
		cp := Campaign{Key: key, Title: cmp.Or(camp.Title, key), Start: start, End: end}
		for _, p := range c.Posts {
			if d := DayOf(p.When, ch.Location); p.Campaign == key && !d.Before(start) && !d.After(end) {
				cp.Posts++
			}
		}
		c.Campaigns = append(c.Campaigns, cp)
	}
	slices.SortStableFunc(c.Campaigns, func(a, b Campaign) int { return a.Start.Compare(b.Start) })
	c.Gaps = gaps(ready, from, to, ch.Location, c.Silence)
	c.layDays()
	return c
}

func postOf(p *check.Post) Post {
	// A post of media only is called by its id.
	out := Post{ID: p.ID, Path: p.Rel, When: p.When, Title: cmp.Or(Summary(p.Post), p.ID), Text: strings.TrimSpace(p.Body),
		Campaign: p.Campaign.Value, Draft: p.IsDraft()}
	for _, n := range p.Networks {
		out.Accounts = append(out.Accounts, n.Value)
	}
	for _, t := range p.Tags {
		out.Tags = append(out.Tags, t.Value)
	}
	return out
}

// Summary is what a calendar entry calls a post: its title, else the first
// line of its text (Markdown left as written), cut at 80 characters.
func Summary(p *load.Post) string {
	s := strings.TrimSpace(p.Title.Value)
	if s == "" {
		for line := range strings.SplitSeq(p.Body, "\n") {
			if line = strings.TrimSpace(strings.TrimLeft(line, "#>*- ")); line != "" {
				s = line
				break
			}
		}
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[:79]) + "…"
	}
	return s
}

// DayOf returns the day (midnight UTC) that t falls on in loc.
func DayOf(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return keydates.Day(l.Year(), l.Month(), l.Day())
}

// StartOf returns the instant day (midnight UTC) starts in loc.
func StartOf(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
}

// gaps finds the silences longer than silence between the posts'
// instants (sorted here), and between the period's bounds and the posts
// nearest them, that touch the period.
func gaps(instants []time.Time, from, to time.Time, loc *time.Location, silence time.Duration) []Gap {
	slices.SortFunc(instants, time.Time.Compare)
	start, end := StartOf(from, loc), StartOf(to.AddDate(0, 0, 1), loc)
	// The silence before the first post and after the last one in or
	// around the period count from the period's bounds when no post
	// precedes or follows.
	prev := start
	var out []Gap
	add := func(a, b time.Time) {
		if b.Sub(a) <= silence || !b.After(start) || !a.Before(end) {
			return
		}
		g := Gap{From: a, To: b}
		// Days wholly inside: from the day after a (or a's day when a is
		// its midnight) to the day before b.
		first := DayOf(a, loc)
		if !StartOf(first, loc).Equal(a) {
			first = first.AddDate(0, 0, 1)
		}
		last := DayOf(b, loc).AddDate(0, 0, -1)
		g.Days = int(last.Sub(first).Hours()/24) + 1
		g.FirstDay, g.LastDay = maxTime(first, from), minTime(last, to)
		if !g.FirstDay.After(g.LastDay) {
			out = append(out, g)
		}
	}
	for _, t := range instants {
		if t.Before(start) {
			prev = t
			continue
		}
		add(prev, t)
		prev = t
		if !t.Before(end) {
			return out
		}
	}
	add(prev, end)
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func (c *Calendar) layDays() {
	index := map[time.Time]int{}
	for d := c.From; !d.After(c.To); d = d.AddDate(0, 0, 1) {
		index[d] = len(c.Days)
		c.Days = append(c.Days, Day{Date: d, ByAccount: map[string]int{}})
	}
	for i, p := range c.Posts {
		day := &c.Days[index[DayOf(p.When, c.Location)]]
		day.Posts = append(day.Posts, i)
		for _, a := range p.Accounts {
			day.ByAccount[a]++
		}
	}
	each := func(start, end time.Time, fn func(*Day)) {
		for d := maxTime(start, c.From); !d.After(minTime(end, c.To)); d = d.AddDate(0, 0, 1) {
			fn(&c.Days[index[d]])
		}
	}
	for i, k := range c.KeyDates {
		each(k.Start, k.End, func(d *Day) { d.KeyDates = append(d.KeyDates, i) })
	}
	for i, cp := range c.Campaigns {
		each(cp.Start, cp.End, func(d *Day) { d.Campaigns = append(d.Campaigns, i) })
	}
	for _, g := range c.Gaps {
		each(g.FirstDay, g.LastDay, func(d *Day) { d.Gap = true })
	}
}

// DefaultPeriod is the month of now (in loc) and the two after it.
func DefaultPeriod(now time.Time, loc *time.Location) (from, to time.Time) {
	l := now.In(loc)
	from = keydates.Day(l.Year(), l.Month(), 1)
	return from, from.AddDate(0, 3, -1)
}
