package keydates

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// movable holds, for 2024-2035, the key dates that move from year to year.
// Written from these sources, and checked where they publish a year:
//   - Easter: the United States Naval Observatory's "Date of Easter" and
//     the Astronomical Society of South Africa's Easter table (Pâques,
//     lundi de Pâques, Ascension +39 days, Pentecôte +49, lundi +50: the
//     Code du travail, article L3133-1, lists the public holidays).
//   - Fête des mères: Code de l'action sociale et des familles, article
//     D215-1 (last Sunday of May; first Sunday of June when the last is
//     Pentecost, as in 2023 and 2034). Service-public.fr gives 26 May 2024,
//     25 May 2025, 31 May 2026.
//   - Fête des pères: the third Sunday of June, as French retail keeps it
//     since 1952; fête des grands-mères: the first Sunday of March (a
//     trademark of Café Grand'Mère, now the common usage).
//   - Soldes: Code de commerce, article D310-15-2, and the arrêté of
//     27 March 2019 (four weeks); economie.gouv.fr announces 10 January and
//     26 June 2024, 8 January and 25 June 2025, 7 January and 24 June 2026.
//   - Rentrée: the school calendars of education.gouv.fr (2 September 2024,
//     1 September 2025, 1 September 2026); later years follow herald's rule
//     until the ministry publishes them.
//   - Thanksgiving: 5 U.S.C. 6103 (fourth Thursday of November); Mother's
//     Day: Public Resolution of 8 May 1914 (second Sunday of May);
//     Memorial Day: 5 U.S.C. 6103 (last Monday of May).
var movable = []struct {
	year                                                       int
	paques, lundiPaques, ascension, pentecote, lundiPentecote  string
	meres, peres, grandsMeres, soldesHiver, soldesEte, rentree string
	thanksgiving, mothersDay, memorialDay                      string
}{
	{2024, "2024-03-31", "2024-04-01", "2024-05-09", "2024-05-19", "2024-05-20", "2024-05-26", "2024-06-16", "2024-03-03", "2024-01-10", "2024-06-26", "2024-09-02", "2024-11-28", "2024-05-12", "2024-05-27"},
	{2025, "2025-04-20", "2025-04-21", "2025-05-29", "2025-06-08", "2025-06-09", "2025-05-25", "2025-06-15", "2025-03-02", "2025-01-08", "2025-06-25", "2025-09-01", "2025-11-27", "2025-05-11", "2025-05-26"},
	{2026, "2026-04-05", "2026-04-06", "2026-05-14", "2026-05-24", "2026-05-25", "2026-05-31", "2026-06-21", "2026-03-01", "2026-01-07", "2026-06-24", "2026-09-01", "2026-11-26", "2026-05-10", "2026-05-25"},
	{2027, "2027-03-28", "2027-03-29", "2027-05-06", "2027-05-16", "2027-05-17", "2027-05-30", "2027-06-20", "2027-03-07", "2027-01-06", "2027-06-23", "2027-09-01", "2027-11-25", "2027-05-09", "2027-05-31"},
	{2028, "2028-04-16", "2028-04-17", "2028-05-25", "2028-06-04", "2028-06-05", "2028-05-28", "2028-06-18", "2028-03-05", "2028-01-12", "2028-06-28", "2028-09-04", "2028-11-23", "2028-05-14", "2028-05-29"},
	{2029, "2029-04-01", "2029-04-02", "2029-05-10", "2029-05-20", "2029-05-21", "2029-05-27", "2029-06-17", "2029-03-04", "2029-01-10", "2029-06-27", "2029-09-03", "2029-11-22", "2029-05-13", "2029-05-28"},
	{2030, "2030-04-21", "2030-04-22", "2030-05-30", "2030-06-09", "2030-06-10", "2030-05-26", "2030-06-16", "2030-03-03", "2030-01-09", "2030-06-26", "2030-09-02", "2030-11-28", "2030-05-12", "2030-05-27"},
	{2031, "2031-04-13", "2031-04-14", "2031-05-22", "2031-06-01", "2031-06-02", "2031-05-25", "2031-06-15", "2031-03-02", "2031-01-08", "2031-06-25", "2031-09-01", "2031-11-27", "2031-05-11", "2031-05-26"},
	{2032, "2032-03-28", "2032-03-29", "2032-05-06", "2032-05-16", "2032-05-17", "2032-05-30", "2032-06-20", "2032-03-07", "2032-01-07", "2032-06-23", "2032-09-01", "2032-11-25", "2032-05-09", "2032-05-31"},
	{2033, "2033-04-17", "2033-04-18", "2033-05-26", "2033-06-05", "2033-06-06", "2033-05-29", "2033-06-19", "2033-03-06", "2033-01-12", "2033-06-22", "2033-09-01", "2033-11-24", "2033-05-08", "2033-05-30"},
	{2034, "2034-04-09", "2034-04-10", "2034-05-18", "2034-05-28", "2034-05-29", "2034-06-04", "2034-06-18", "2034-03-05", "2034-01-11", "2034-06-28", "2034-09-04", "2034-11-23", "2034-05-14", "2034-05-29"},
	{2035, "2035-03-25", "2035-03-26", "2035-05-03", "2035-05-13", "2035-05-14", "2035-05-27", "2035-06-17", "2035-03-04", "2035-01-10", "2035-06-27", "2035-09-03", "2035-11-22", "2035-05-13", "2035-05-28"},
}

func TestMovableDates(t *testing.T) {
	t.Parallel()
	for _, row := range movable {
		t.Run(strings.TrimSpace(time.Date(row.year, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006")), func(t *testing.T) {
			t.Parallel()
			want := map[string]string{
				"fr-FR/paques": row.paques, "fr-FR/lundi-de-paques": row.lundiPaques,
				"fr-FR/ascension": row.ascension, "fr-FR/pentecote": row.pentecote,
				"fr-FR/lundi-de-pentecote": row.lundiPentecote, "fr-FR/fete-des-meres": row.meres,
				"fr-FR/fete-des-peres": row.peres, "fr-FR/fete-des-grands-meres": row.grandsMeres,
				"fr-FR/soldes-hiver": row.soldesHiver, "fr-FR/soldes-ete": row.soldesEte,
				"fr-FR/rentree": row.rentree, "en-US/easter": row.paques,
				"en-US/thanksgiving": row.thanksgiving, "en-US/mothers-day": row.mothersDay,
				"en-US/fathers-day": row.peres, "en-US/memorial-day": row.memorialDay,
			}
			got := map[string]string{}
			for _, name := range Sets() {
				set, _ := Lookup(name)
				for _, k := range set.Year(row.year) {
					if _, ok := want[k.ID]; ok {
						got[k.ID] = k.Start.Format(time.DateOnly)
					}
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%d (-want +got):\n%s", row.year, diff)
			}
		})
	}
}

// TestFixedAndDerivedDates holds every other date of both sets to its rule
// for 2024-2035: fixed days, Black Friday the day after Thanksgiving,
// Cyber Monday the Monday after, Movember the whole of November, the
// sales four weeks from a Wednesday to a Tuesday.
func TestFixedAndDerivedDates(t *testing.T) {
	t.Parallel()
	fixed := map[string]string{
		"fr-FR/jour-de-l-an": "01-01", "fr-FR/epiphanie": "01-06", "fr-FR/chandeleur": "02-02",
		"fr-FR/saint-valentin": "02-14", "fr-FR/fete-du-travail": "05-01", "fr-FR/victoire-1945": "05-08",
		"fr-FR/fete-de-la-musique": "06-21", "fr-FR/fete-nationale": "07-14", "fr-FR/assomption": "08-15",
		"fr-FR/halloween": "10-31", "fr-FR/toussaint": "11-01", "fr-FR/armistice": "11-11",
		"fr-FR/noel": "12-25", "fr-FR/saint-sylvestre": "12-31",
		"en-US/new-years-day": "01-01", "en-US/valentines-day": "02-14", "en-US/st-patricks-day": "03-17",
		"en-US/juneteenth": "06-19", "en-US/independence-day": "07-04", "en-US/halloween": "10-31",
		"en-US/veterans-day": "11-11", "en-US/christmas-eve": "12-24", "en-US/christmas": "12-25",
		"en-US/new-years-eve": "12-31",
	}
	for year := 2024; year <= 2035; year++ {
		byID := map[string]KeyDate{}
		for _, name := range Sets() {
			set, _ := Lookup(name)
			ks := set.Year(year)
			if len(ks) != len(set.IDs()) {
				t.Errorf("%s %d: %d key dates, want %d", name, year, len(ks), len(set.IDs()))
			}
			for _, k := range ks {
				byID[k.ID] = k
				if k.Name == "" || strings.HasPrefix(k.Name, "keydate.") {
					t.Errorf("%s has no name in the catalog: %q", k.ID, k.Name)
				}
			}
		}
		for id, md := range fixed {
			if got := byID[id].Start.Format("01-02"); got != md || byID[id].Days() != 1 {
				t.Errorf("%s %d: %s (%d days), want %s", id, year, got, byID[id].Days(), md)
			}
		}
		thanksgiving := byID["en-US/thanksgiving"].Start
		for _, id := range []string{"fr-FR/black-friday", "en-US/black-friday"} {
			if got := byID[id].Start; !got.Equal(thanksgiving.AddDate(0, 0, 1)) {
				t.Errorf("%s %d: %s, want the day after Thanksgiving", id, year, got.Format(time.DateOnly))
			}
		}
		if got := byID["en-US/cyber-monday"].Start; got.Weekday() != time.Monday || !got.Equal(thanksgiving.AddDate(0, 0, 4)) {
			t.Errorf("Cyber Monday %d: %s", year, got.Format(time.DateOnly))
		}
		if got := byID["en-US/martin-luther-king-day"].Start; got.Weekday() != time.Monday || got.Day() < 15 || got.Day() > 21 {
			t.Errorf("MLK Day %d: %s", year, got.Format(time.DateOnly))
		}
		for _, id := range []string{"fr-FR/movember", "en-US/movember"} {
			if k := byID[id]; k.Start.Format("01-02") != "11-01" || k.End.Format("01-02") != "11-30" {
				t.Errorf("%s %d: %s", id, year, k)
			}
		}
		for _, id := range []string{"fr-FR/soldes-hiver", "fr-FR/soldes-ete"} {
			if k := byID[id]; k.Start.Weekday() != time.Wednesday || k.End.Weekday() != time.Tuesday || k.Days() != 28 {
				t.Errorf("%s %d: %s, want four weeks from a Wednesday", id, year, k)
			}
		}
	}
}

// TestEaster compares the computus herald uses (Meeus/Jones/Butcher, from
// rickar/cal) with an independent one, Oudin's (1940), as Claus
// Tøndering's Calendar FAQ gives it, for 1900-2100, and with dates
// published by the USNO for the years a reader is likely to check.
func TestEaster(t *testing.T) {
	t.Parallel()
	oudin := func(year int) time.Time {
		g := year % 19
		c := year / 100
		h := (c - c/4 - (8*c+13)/25 + 19*g + 15) % 30
		i := h - (h/28)*(1-(29/(h+1))*((21-g)/11))
		j := (year + year/4 + i + 2 - c + c/4) % 7
		l := i - j
		month := 3 + (l+40)/44
		day := l + 28 - 31*(month/4)
		return Day(year, time.Month(month), day)
	}
	for year := 1900; year <= 2100; year++ {
		got := Easter(year)
		if want := oudin(year); !got.Equal(want) {
			t.Errorf("Easter %d: %s, Oudin's computus says %s", year, got.Format(time.DateOnly), want.Format(time.DateOnly))
		}
		if got.Weekday() != time.Sunday || got.Before(Day(year, 3, 22)) || got.After(Day(year, 4, 25)) {
			t.Errorf("Easter %d: %s is not a Sunday from 22 March to 25 April", year, got.Format(time.DateOnly))
		}
	}
	published := map[int]string{
		1900: "04-15", 1913: "03-23", 1943: "04-25", 1954: "04-18", 1961: "04-02", 2000: "04-23",
		2008: "03-23", 2011: "04-24", 2019: "04-21", 2038: "04-25", 2100: "03-28",
	}
	for year, md := range published {
		if got := Easter(year).Format("01-02"); got != md {
			t.Errorf("Easter %d: %s, the USNO publishes %s", year, got, md)
		}
	}
}

func TestFrenchMothersDayMovesForPentecost(t *testing.T) {
	t.Parallel()
	set, _ := Lookup("fr-FR")
	for year, want := range map[int]string{2023: "2023-06-04", 2034: "2034-06-04", 2024: "2024-05-26"} {
		for _, k := range set.Year(year) {
			if k.ID == "fr-FR/fete-des-meres" && k.Start.Format(time.DateOnly) != want {
				t.Errorf("fête des mères %d: %s, want %s", year, k.Start.Format(time.DateOnly), want)
			}
		}
	}
}

func TestNamesAreInTheSetsLanguage(t *testing.T) {
	t.Parallel()
	names := func(set string) map[string]string {
		s, _ := Lookup(set)
		m := map[string]string{}
		for _, k := range s.Year(2026) {
			m[k.ID] = k.Name
		}
		return m
	}
	fr, us := names("fr-FR"), names("en-US")
	if fr["fr-FR/fete-des-meres"] != "Fête des mères" || fr["fr-FR/noel"] != "Noël" {
		t.Errorf("fr-FR names: %v", fr)
	}
	if us["en-US/mothers-day"] != "Mother's Day" || us["en-US/thanksgiving"] != "Thanksgiving" {
		t.Errorf("en-US names: %v", us)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	from, to := Day(2026, 5, 1), Day(2027, 6, 30)
	entries := []Entry{
		{Set: "fr-FR", Except: []string{"fr-FR/halloween"}},
		{Set: "fr-FR", Only: []string{"fr-FR/fete-des-meres"}, Plan: true, Lead: 21 * 24 * time.Hour},
		{Set: "en-US", Only: []string{"en-US/thanksgiving"}},
		{Date: "2026-06-12", Name: "Anniversaire de la Maison", Yearly: true, Plan: true},
		{Date: "12-01", Name: "Calendrier de l'Avent", ID: "avent"},
		{Date: "2026-09-15", Name: "Lancement de la collection"},
		{Date: "02-29", Name: "Jour bissextile"},
	}
	got := Resolve(entries, from, to)
	var ids []string
	for _, k := range got {
		ids = append(ids, k.String())
	}
	for _, want := range []string{
		"fr-FR/fete-des-meres 2026-05-31", "fr-FR/fete-des-meres 2027-05-30",
		"anniversaire-de-la-maison 2026-06-12", "anniversaire-de-la-maison 2027-06-12",
		"avent 2026-12-01", "lancement-de-la-collection 2026-09-15", "en-US/thanksgiving 2026-11-26",
		"fr-FR/soldes-hiver 2027-01-06..2027-02-02",
	} {
		if !slices.Contains(ids, want) {
			t.Errorf("missing %s in %v", want, ids)
		}
	}
	for _, k := range got {
		switch {
		case k.ID == "fr-FR/halloween", k.ID == "en-US/black-friday", k.ID == "jour-bissextile":
			t.Errorf("%s should be left out", k)
		case k.ID == "fr-FR/fete-des-meres" && (!k.Plan || k.Lead != 21*24*time.Hour || k.Entry != 1):
			t.Errorf("%s: plan %v lead %v entry %d, want the second entry's", k, k.Plan, k.Lead, k.Entry)
		case k.ID == "anniversaire-de-la-maison" && k.Lead != DefaultLead:
			t.Errorf("%s: lead %v, want the default", k, k.Lead)
		}
	}
	if !slices.IsSortedFunc(got, func(a, b KeyDate) int { return a.Start.Compare(b.Start) }) {
		t.Error("not in date order")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		entry Entry
		want  string
	}{
		{Entry{Set: "de-DE"}, "unknown key date set \"de-DE\": herald knows en-US, fr-FR"},
		{Entry{Set: "fr-FR", Only: []string{"fr-FR/noel"}, Except: []string{"fr-FR/paques"}}, "not both"},
		{Entry{Set: "fr-FR", Only: []string{"fr-FR/christmas"}}, "set fr-FR has no key date \"fr-FR/christmas\": it has fr-FR/jour-de-l-an,"},
		{Entry{Date: "2026-02-30", Name: "x"}, "date \"2026-02-30\" does not exist"},
		{Entry{Date: "12/25", Name: "x"}, "write YYYY-MM-DD"},
		{Entry{Date: "12-25", Name: "!!!"}, "makes no id"},
	} {
		err := tc.entry.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.entry, err, tc.want)
		}
	}
	if err := (Entry{Date: "02-29", Name: "Jour bissextile"}).Validate(); err != nil {
		t.Errorf("02-29: %v", err)
	}
}
