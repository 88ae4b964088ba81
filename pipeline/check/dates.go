package check

import (
	"errors"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// localLayouts are the forms of a local date-time, read in the charter's
// time zone.
var localLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02T15:04:05"}

// Date errors, so that callers can tell a DST problem from a typo.
var (
	errDSTGap       = errors.New("DST gap")
	errDSTAmbiguous = errors.New("DST ambiguous")
	errDateSyntax   = errors.New("not a date")
)

// dateError says why a date cannot be read, in any language (Message);
// Error is English, for the commands' --now.
type dateError struct {
	kind  error  // errDSTGap, errDSTAmbiguous or errDateSyntax
	id    string // of the message
	value string // as written
	local string // the wall time, for DST errors
	zone  string
	// earlier and later are the two instants of an ambiguous wall time.
	earlier, later string
}

func (e *dateError) Unwrap() error { return e.kind }

func (e *dateError) Error() string { return e.Message(i18n.English()) }

// Message is the error in p's language.
func (e *dateError) Message(p *i18n.Printer) string {
	return p.T(e.id, i18n.Args{"Value": p.Quote(e.value), "Local": e.local, "Zone": e.zone, "Earlier": e.earlier, "Later": e.later})
}

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
	return time.Time{}, &dateError{kind: errDateSyntax, id: "check.date.invalid", value: s}
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
		return time.Time{}, &dateError{kind: errDSTGap, id: "check.date.dst-gap", local: local, zone: loc.String()}
	case 1:
		return found[0], nil
	}
	a, b := found[0], found[1]
	if b.Before(a) {
		a, b = b, a
	}
	return time.Time{}, &dateError{kind: errDSTAmbiguous, id: "check.date.dst-ambiguous", local: local, zone: loc.String(),
		earlier: a.Format(time.RFC3339), later: b.Format(time.RFC3339)}
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
	var de *dateError
	if err != nil && !errors.As(err, &de) {
		r.addText("date.invalid", p.Date.Line, p.Date.Column, err.Error())
		return t
	}
	switch {
	case errors.Is(err, errDSTGap):
		r.addText("date.dst-gap", p.Date.Line, p.Date.Column, de.Message(cr.p))
	case errors.Is(err, errDSTAmbiguous):
		r.addText("date.dst-ambiguous", p.Date.Line, p.Date.Column, de.Message(cr.p))
	case err != nil:
		r.addText("date.invalid", p.Date.Line, p.Date.Column, de.Message(cr.p))
	}
	return t
}
