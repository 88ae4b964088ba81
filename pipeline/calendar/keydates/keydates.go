// Package keydates computes the dates an editorial calendar is planned
// around, for any year: the built-in sets (fr-FR, en-US) of public
// holidays and commercial and cultural dates, each with its rule, and the
// charter's own dates. It is a pure table: no I/O, no clock.
//
// A day is a time.Time at midnight UTC standing for a civil date (the
// charter's time zone says when that day starts and ends, which is the
// caller's business).
package keydates

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// KeyDate is one occurrence of a key date: one day, or a period (the
// sales, Movember) from Start to End, both included.
type KeyDate struct {
	ID    string    // stable: "fr-FR/fete-des-meres", or the charter's own id
	Name  string    // short, in the set's language (the charter's own: as written)
	Start time.Time // first day, midnight UTC
	End   time.Time // last day, included; Start for a single day
	// Plan says that content must be planned for it (calendar.key-date-uncovered),
	// Lead how long before Start that content should start.
	Plan bool
	Lead time.Duration
	// Entry is the index, in the charter's key_dates, of the entry that
	// gave it (Resolve), for diagnostics at its line.
	Entry int
}

// Days returns how many days the key date lasts.
func (k KeyDate) Days() int { return int(k.End.Sub(k.Start).Hours()/24) + 1 }

// Day returns the civil date year-month-day as a key date's day.
func Day(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// rule is one built-in key date: its id below the set, and when it falls
// in a year.
type rule struct {
	id   string
	when func(year int) (start, end time.Time)
}

// Set is a built-in set of key dates.
type Set struct {
	Name  string // "fr-FR": a BCP 47 tag, whose language the names are in
	rules []rule
}

// Sets returns the built-in set names, sorted.
func Sets() []string {
	names := make([]string, 0, len(sets))
	for _, s := range sets {
		names = append(names, s.Name)
	}
	slices.Sort(names)
	return names
}

// Lookup returns the built-in set of that name.
func Lookup(name string) (*Set, bool) {
	for _, s := range sets {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

// IDs returns the ids of the set's key dates, in the set's order (by the
// time of year).
func (s *Set) IDs() []string {
	ids := make([]string, len(s.rules))
	for i, r := range s.rules {
		ids[i] = s.Name + "/" + r.id
	}
	return ids
}

// Has reports whether id is one of the set's key dates.
func (s *Set) Has(id string) bool { return slices.Contains(s.IDs(), id) }

// Year returns the set's key dates that start in year, in date order.
func (s *Set) Year(year int) []KeyDate {
	names, _ := i18n.New(s.Name)
	out := make([]KeyDate, 0, len(s.rules))
	for _, r := range s.rules {
		start, end := r.when(year)
		if start.IsZero() {
			continue
		}
		id := s.Name + "/" + r.id
		out = append(out, KeyDate{ID: id, Name: names.T(messageID(id), nil), Start: start, End: end})
	}
	sortByDate(out)
	return out
}

// messageID is the catalog id of a key date's name:
// "keydate.fr-FR.fete-des-meres".
func messageID(id string) string { return "keydate." + strings.Replace(id, "/", ".", 1) }

// Between returns the key dates that overlap the days from to to (both
// included, midnight UTC), in date order.
func (s *Set) Between(from, to time.Time) []KeyDate {
	var out []KeyDate
	// A period starting the year before (none does yet) or a date of the
	// last year: look one year around.
	for y := from.Year() - 1; y <= to.Year(); y++ {
		for _, k := range s.Year(y) {
			if overlaps(k, from, to) {
				out = append(out, k)
			}
		}
	}
	return out
}

func overlaps(k KeyDate, from, to time.Time) bool {
	return !k.End.Before(from) && !k.Start.After(to)
}

func sortByDate(ks []KeyDate) {
	slices.SortStableFunc(ks, func(a, b KeyDate) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// String is for tests and logs: "fr-FR/noel 2026-12-25".
func (k KeyDate) String() string {
	if k.Days() > 1 {
		return fmt.Sprintf("%s %s..%s", k.ID, k.Start.Format(time.DateOnly), k.End.Format(time.DateOnly))
	}
	return fmt.Sprintf("%s %s", k.ID, k.Start.Format(time.DateOnly))
}
