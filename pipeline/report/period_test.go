package report

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, paris)
	for _, c := range []struct {
		name, from, to string
		start, last    string // RFC 3339
		days           int
		previous       string // the previous period's start
	}{
		{name: "default: the last full month", start: "2026-11-01T00:00:00+01:00", last: "2026-11-30T23:59:59+01:00", days: 30, previous: "2026-10-01T00:00:00+02:00"},
		{name: "days given", from: "2026-11-10", to: "2026-11-16", start: "2026-11-10T00:00:00+01:00", last: "2026-11-16T23:59:59+01:00", days: 7, previous: "2026-11-03T00:00:00+01:00"},
		// 25 October 2026 has 25 hours in Paris: the period is still 7 days.
		{name: "across DST", from: "2026-10-22", to: "2026-10-28", start: "2026-10-22T00:00:00+02:00", last: "2026-10-28T23:59:59+01:00", days: 7, previous: "2026-10-15T00:00:00+02:00"},
		{name: "from alone runs to now's day", from: "2026-11-20", start: "2026-11-20T00:00:00+01:00", last: "2026-12-02T23:59:59+01:00", days: 13, previous: "2026-11-07T00:00:00+01:00"},
		{name: "to alone starts on its month's 1st", to: "2026-03-31", start: "2026-03-01T00:00:00+01:00", last: "2026-03-31T23:59:59+02:00", days: 31, previous: "2026-02-01T00:00:00+01:00"},
		{name: "a quarter", from: "2026-07-01", to: "2026-09-30", start: "2026-07-01T00:00:00+02:00", last: "2026-09-30T23:59:59+02:00", days: 92, previous: "2026-04-01T00:00:00+02:00"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePeriod(c.from, c.to, now, paris)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Start.Format(time.RFC3339); got != c.start {
				t.Errorf("start %s, want %s", got, c.start)
			}
			if got := p.Last().Format(time.RFC3339); got != c.last {
				t.Errorf("last %s, want %s", got, c.last)
			}
			if p.Days() != c.days {
				t.Errorf("%d days, want %d", p.Days(), c.days)
			}
			prev := p.Previous()
			if got := prev.Start.Format(time.RFC3339); got != c.previous {
				t.Errorf("previous starts %s, want %s", got, c.previous)
			}
			if !prev.End.Equal(p.Start) {
				t.Errorf("previous ends %s, not where the period starts", prev.End)
			}
		})
	}
}

func TestParsePeriodRefuses(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct{ from, to, want string }{
		{from: "2026-11-31", want: `--from "2026-11-31": day out of range`},
		{to: "01/11/2026", want: `--to "01/11/2026": write a day as YYYY-MM-DD`},
		{from: "2026-11-10", to: "2026-11-01", want: "--from 2026-11-10 is after --to 2026-11-01"},
		{from: "2027-01-01", want: "is after --now's day"},
	} {
		_, err := ParsePeriod(c.from, c.to, now, time.UTC)
		var pe *PeriodError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParsePeriod(%q, %q) = %v, want a PeriodError with %q", c.from, c.to, err, c.want)
		}
	}
}

// Two periods that follow each other share no instant: a publication at
// the bound falls in the second only.
func TestPublicationInExactlyOnePeriod(t *testing.T) {
	t.Parallel()
	paris, _ := time.LoadLocation("Europe/Paris")
	oct, _ := ParsePeriod("2026-10-01", "2026-10-31", time.Time{}, paris)
	nov, _ := ParsePeriod("2026-11-01", "2026-11-30", time.Time{}, paris)
	for _, at := range []time.Time{
		time.Date(2026, 11, 1, 0, 0, 0, 0, paris),
		time.Date(2026, 10, 31, 23, 59, 59, 999, paris),
		time.Date(2026, 10, 31, 23, 30, 0, 0, time.UTC), // 00:30 on 1 November in Paris
		time.Date(2026, 10, 25, 2, 30, 0, 0, paris),     // the repeated hour
	} {
		if oct.Contains(at) == nov.Contains(at) {
			t.Errorf("%s: in October %v, in November %v", at, oct.Contains(at), nov.Contains(at))
		}
	}
}
