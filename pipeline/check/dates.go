package check

import (
	"errors"
	"fmt"
	"time"

	"github.com/herald-social/herald/pipeline/load"
)

// localLayouts are the forms of a local date-time, read in the charter's
// time zone.
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// Date errors, so that callers can tell a DST problem from a typo.
var (
	errDSTGap       = errors.New("DST gap")
	errDSTAmbiguous = errors.New("DST ambiguous")
)

// ParseDate reads a post date: RFC 3339, or a local "YYYY-MM-DD HH:MM" in
// loc. A local time that the clocks skip or repeat at a DST change is an
// error, because publishing it would guess.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	for _, layout := range localLayouts {
		wall, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		return resolveLocal(wall, loc)
	}
	return time.Time{}, fmt.Errorf("date %q is neither RFC 3339 (2026-12-01T09:00:00+01:00) nor local time (2026-12-01 09:00)", s)
}

// resolveLocal finds the instants whose wall clock in loc is wall (given
// in UTC). Go's time.Date silently normalises a skipped time and picks one
// of two repeated ones, so each offset loc uses around that day is tried.
func resolveLocal(wall time.Time, loc *time.Location) (time.Time, error) {
	var found []time.Time
	for _, probe := range []time.Duration{-36 * time.Hour, 0, 36 * time.Hour} {
		_, offset := wall.Add(probe).In(loc).Zone()
		instant := wall.Add(-time.Duration(offset) * time.Second)
		if sameWall(instant.In(loc), wall) && !containsInstant(found, instant) {
			found = append(found, instant.In(loc))
		}
	}
	local := wall.Format("2006-01-02 15:04")
	switch len(found) {
	case 0:
		return time.Time{}, fmt.Errorf("%w: %s does not exist in %s: the clocks skip it at the DST change; pick another time or write it with an offset",
			errDSTGap, local, loc)
	case 1:
		return found[0], nil
	}
	a, b := found[0], found[1]
	if b.Before(a) {
		a, b = b, a
	}
	return time.Time{}, fmt.Errorf("%w: %s happens twice in %s (DST change): write %s or %s",
		errDSTAmbiguous, local, loc, a.Format(time.RFC3339), b.Format(time.RFC3339))
}

func sameWall(t, wall time.Time) bool {
	y1, m1, d1 := t.Date()
	y2, m2, d2 := wall.Date()
	return y1 == y2 && m1 == m2 && d1 == d2 && t.Hour() == wall.Hour() && t.Minute() == wall.Minute() && t.Second() == wall.Second()
}

func containsInstant(ts []time.Time, t time.Time) bool {
	for _, u := range ts {
		if u.Equal(t) {
			return true
		}
	}
	return false
}

// checkDate parses the post's date; zero when it is missing or invalid.
func (cr *charterRules) checkDate(r *reporter, p *load.Post) time.Time {
	if !p.Date.IsSet() {
		return time.Time{} // the schema reports a missing date
	}
	t, err := ParseDate(p.Date.Value, cr.charter.Location)
	switch {
	case errors.Is(err, errDSTGap):
		r.at("date.dst-gap", p.Date, "%v", err)
	case errors.Is(err, errDSTAmbiguous):
		r.at("date.dst-ambiguous", p.Date, "%v", err)
	case err != nil:
		r.at("date.invalid", p.Date, "%v", err)
	}
	return t
}
