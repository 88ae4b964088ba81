package keydates

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Entry is one item of a charter's key_dates: a built-in set, whole or
// picked from (Only, Except), or one of the brand's own dates.
type Entry struct {
	Set    string   // "fr-FR"; empty for an own date
	Only   []string // ids of the set to keep, all when empty
	Except []string // ids of the set to leave out

	ID     string // an own date's id; the slug of its name when empty
	Date   string // "2026-06-12" (once, or yearly from that year) or "06-12" (every year)
	Name   string
	Yearly bool

	Plan bool          // content must be planned for it
	Lead time.Duration // how long before it content should start; DefaultLead when Plan and 0
}

// DefaultLead is how long before a planned key date content should start
// when the charter sets no lead:.
const DefaultLead = 7 * 24 * time.Hour

var (
	fullDate  = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})$`)
	monthDay  = regexp.MustCompile(`^(\d{2})-(\d{2})$`)
	slugStrip = regexp.MustCompile(`[^a-z0-9]+`)
)

// ParseDate reads an own date: "2026-06-12", or "06-12" for every year
// (year 0). Feb 29 is a date of leap years only.
func ParseDate(s string) (year int, month time.Month, day int, err error) {
	var m []string
	if m = fullDate.FindStringSubmatch(s); m != nil {
		year, _ = strconv.Atoi(m[1])
		m = m[1:]
	} else if m = monthDay.FindStringSubmatch(s); m != nil {
		m = append([]string{""}, m[1:]...)
	} else {
		return 0, 0, 0, fmt.Errorf("date %q: write YYYY-MM-DD (2026-06-12) or MM-DD (06-12) for every year", s)
	}
	mo, _ := strconv.Atoi(m[1])
	day, _ = strconv.Atoi(m[2])
	check := year
	if check == 0 {
		check = 2000 // a leap year: 02-29 exists in some years
	}
	if mo < 1 || mo > 12 || day < 1 || Day(check, time.Month(mo), day).Day() != day {
		return 0, 0, 0, fmt.Errorf("date %q does not exist", s)
	}
	return year, time.Month(mo), day, nil
}

// Slug is an own date's id made from its name: "Anniversaire de la
// Maison" is "anniversaire-de-la-maison" (accents dropped).
func Slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if plain, ok := unaccent[r]; ok {
			b.WriteString(plain)
			continue
		}
		b.WriteRune(r)
	}
	return strings.Trim(slugStrip.ReplaceAllString(b.String(), "-"), "-")
}

var unaccent = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ô': "o", 'ö': "o", 'ó': "o", 'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ñ': "n", 'œ': "oe", 'æ': "ae",
}

// OwnID returns an own date's id: its id:, else the slug of its name.
func (e Entry) OwnID() string {
	if e.ID != "" {
		return e.ID
	}
	return Slug(e.Name)
}

// Validate says what is wrong with an entry, naming what would be right:
// an unknown set or id, only and except together, a date that does not
// exist.
func (e Entry) Validate() error {
	if e.Set != "" {
		set, ok := Lookup(e.Set)
		if !ok {
			return fmt.Errorf("unknown key date set %q: herald knows %s", e.Set, strings.Join(Sets(), ", "))
		}
		if len(e.Only) > 0 && len(e.Except) > 0 {
			return fmt.Errorf("set %s: give only: or except:, not both", e.Set)
		}
		for _, id := range slices.Concat(e.Only, e.Except) {
			if !set.Has(id) {
				return fmt.Errorf("set %s has no key date %q: it has %s", e.Set, id, strings.Join(set.IDs(), ", "))
			}
		}
		return nil
	}
	if _, _, _, err := ParseDate(e.Date); err != nil {
		return err
	}
	if e.OwnID() == "" {
		return fmt.Errorf("key date %q: its name makes no id: give it an id: of letters, digits and -", e.Name)
	}
	return nil
}

// Resolve returns the key dates of a charter's entries that overlap the
// days from to to (midnight UTC, both included), in date order. A key date
// named by several entries appears once, with the Plan and Lead of the
// last (so that "- fr-FR" then "{set: fr-FR, only: [fr-FR/noel], plan:
// true}" plans Noël). Invalid entries are left out: Validate says why.
func Resolve(entries []Entry, from, to time.Time) []KeyDate {
	type found struct {
		k     KeyDate
		entry int
	}
	byKey := map[string]int{} // id and start, to its place in out
	var out []found
	add := func(k KeyDate, i int, e Entry) {
		k.Plan = e.Plan
		k.Lead = e.Lead
		if k.Plan && k.Lead == 0 {
			k.Lead = DefaultLead
		}
		key := k.ID + " " + k.Start.Format(time.DateOnly)
		if at, ok := byKey[key]; ok {
			out[at] = found{k, i}
			return
		}
		byKey[key] = len(out)
		out = append(out, found{k, i})
	}
	for i, e := range entries {
		if e.Validate() != nil {
			continue
		}
		if e.Set != "" {
			set, _ := Lookup(e.Set)
			for _, k := range set.Between(from, to) {
				if (len(e.Only) > 0 && !slices.Contains(e.Only, k.ID)) || slices.Contains(e.Except, k.ID) {
					continue
				}
				add(k, i, e)
			}
			continue
		}
		year, m, d, _ := ParseDate(e.Date)
		first, last := year, year
		if year == 0 || e.Yearly {
			first, last = max(year, from.Year()), to.Year()
		}
		for y := first; y <= last; y++ {
			day := Day(y, m, d)
			if day.Day() != d { // 29 February of a common year
				continue
			}
			k := KeyDate{ID: e.OwnID(), Name: e.Name, Start: day, End: day}
			if overlaps(k, from, to) {
				add(k, i, e)
			}
		}
	}
	ks := make([]KeyDate, len(out))
	entryOf := map[string]int{}
	for i, f := range out {
		ks[i] = f.k
		entryOf[f.k.ID+" "+f.k.Start.Format(time.DateOnly)] = f.entry
	}
	sortByDate(ks)
	for i := range ks {
		ks[i].Entry = entryOf[ks[i].ID+" "+ks[i].Start.Format(time.DateOnly)]
	}
	return ks
}
