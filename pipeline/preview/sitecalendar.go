package preview

import (
	"time"

	"github.com/herald-social/herald/pipeline/calendar"
	"github.com/herald-social/herald/pipeline/check"
)

// dayMarks is what the calendar shows on a day besides its posts: the
// charter's key dates, the campaigns running, and whether the day is in a
// gap (a silence longer than cadence.max_silence).
type dayMarks struct {
	KeyDates  []string
	Campaigns []campaignView // running that day; Start on its first day
	Gap       bool
}

// calendarMarks lays out each calendar of the posts over the months that
// have posts, and returns the marks by day (2026-12-01).
func (s *site) calendarMarks(months []string) map[string]*dayMarks {
	marks := map[string]*dayMarks{}
	if len(months) == 0 {
		return marks
	}
	first, _ := time.Parse("2006-01", months[0])
	lastMonth, _ := time.Parse("2006-01", months[len(months)-1])
	last := lastMonth.AddDate(0, 1, -1)
	seen := map[*check.Calendar]bool{}
	for _, p := range s.posts {
		if seen[p.cal] {
			continue
		}
		seen[p.cal] = true
		c := calendar.Build(p.cal, first, last)
		for _, d := range c.Days {
			date := d.Date.Format(time.DateOnly)
			m := marks[date]
			if m == nil {
				m = &dayMarks{}
				marks[date] = m
			}
			for _, i := range d.KeyDates {
				k := c.KeyDates[i]
				if k.Start.Equal(d.Date) || d.Date.Weekday() == time.Monday || d.Date.Day() == 1 {
					m.KeyDates = append(m.KeyDates, k.Name)
				}
			}
			for _, i := range d.Campaigns {
				cp := c.Campaigns[i]
				view, ok := s.campaigns[cp.Key]
				if !ok {
					view = campaignView{Key: cp.Key, Title: cp.Title, Class: "camp-none"}
				}
				// The title where the span starts, and where a week or a
				// month starts again.
				if !cp.Start.Equal(d.Date) && d.Date.Weekday() != time.Monday && d.Date.Day() != 1 {
					view.Title = ""
				}
				m.Campaigns = append(m.Campaigns, view)
			}
			m.Gap = m.Gap || d.Gap
		}
	}
	return marks
}
