package report

import (
	"errors"
	"fmt"
	"time"
)

// dayLayout is how --from and --to name a day.
const dayLayout = "2006-01-02"

// Period is a run of whole days in the charter's time zone: from the
// start of From's day up to End, the start of the day after the last one.
type Period struct {
	Start time.Time // midnight (or the day's first instant) of the first day
	End   time.Time // the first instant after the last day: excluded
}

// Contains reports whether t falls in the period: a publication belongs to
// exactly one of two periods that follow each other.
func (p Period) Contains(t time.Time) bool {
	return !t.Before(p.Start) && t.Before(p.End)
}

// Last is the period's last instant, to the second, as the report writes
// its "to".
func (p Period) Last() time.Time { return p.End.Add(-time.Second) }

// Days is the number of calendar days the period covers.
func (p Period) Days() int {
	n := 0
	for d := p.Start; d.Before(p.End); d = nextDay(d) {
		n++
	}
	return n
}

// WholeMonths reports how many calendar months the period covers when it
// runs from a 1st to a month's last day, else 0.
func (p Period) WholeMonths() int {
	if p.Start.Day() != 1 || p.End.Day() != 1 {
		return 0
	}
	return (p.End.Year()-p.Start.Year())*12 + int(p.End.Month()-p.Start.Month())
}

// Previous is the period of the same length just before: the previous
// calendar months for a period of whole months (October for November,
// although October has a day more, as a manager compares months), else
// as many days just before.
func (p Period) Previous() Period {
	loc := p.Start.Location()
	if n := p.WholeMonths(); n > 0 {
		return Period{Start: time.Date(p.Start.Year(), p.Start.Month()-time.Month(n), 1, 0, 0, 0, 0, loc), End: p.Start}
	}
	days := p.Days()
	return Period{Start: time.Date(p.Start.Year(), p.Start.Month(), p.Start.Day()-days, 0, 0, 0, 0, loc), End: p.Start}
}

func nextDay(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, d.Location())
}

// PeriodError is a --from or --to that cannot be used: a usage error.
type PeriodError struct{ Err error }

func (e *PeriodError) Error() string { return e.Err.Error() }
func (e *PeriodError) Unwrap() error { return e.Err }

// ParsePeriod reads --from and --to (days, YYYY-MM-DD, both included) in
// loc. Without either, the period is the last full calendar month before
// now's; with --from alone it runs to now's day; with --to alone it starts
// on the 1st of --to's month.
func ParsePeriod(from, to string, now time.Time, loc *time.Location) (Period, error) {
	local := now.In(loc)
	if from == "" && to == "" {
		start := time.Date(local.Year(), local.Month()-1, 1, 0, 0, 0, 0, loc)
		return Period{Start: start, End: time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, loc)}, nil
	}
	var first, last time.Time
	var err error
	if from != "" {
		if first, err = parseDay("--from", from, loc); err != nil {
			return Period{}, err
		}
	}
	if to != "" {
		if last, err = parseDay("--to", to, loc); err != nil {
			return Period{}, err
		}
	}
	if from == "" {
		first = time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, loc)
	}
	if to == "" {
		last = time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
		if last.Before(first) {
			return Period{}, &PeriodError{fmt.Errorf("--from %s is after --now's day (%s): give --to as well", from, last.Format(dayLayout))}
		}
	}
	if last.Before(first) {
		return Period{}, &PeriodError{fmt.Errorf("--from %s is after --to %s: the period runs from its first day to its last, both included", from, to)}
	}
	return Period{Start: first, End: nextDay(last)}, nil
}

func parseDay(flag, s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(dayLayout, s, loc)
	if err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return time.Time{}, &PeriodError{fmt.Errorf("%s %q: %s: write a day as YYYY-MM-DD (2026-11-01)", flag, s, pe.Message[2:])}
		}
		return time.Time{}, &PeriodError{fmt.Errorf("%s %q: write a day as YYYY-MM-DD (2026-11-01)", flag, s)}
	}
	return d, nil
}
