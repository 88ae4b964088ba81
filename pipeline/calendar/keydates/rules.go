package keydates

import (
	"time"

	"github.com/rickar/cal/v2"
)

// The built-in sets. Each rule says how the date falls; the tests hold
// them to dates published by official sources for 2024-2035.
var sets = []*Set{frFR, enUS}

var frFR = &Set{Name: "fr-FR", rules: []rule{
	{"jour-de-l-an", fixed(time.January, 1)},
	{"epiphanie", fixed(time.January, 6)}, // the day of the galette des rois, as shops keep it (the Church's is the Sunday between 2 and 8 January)
	{"soldes-hiver", winterSales},
	{"chandeleur", fixed(time.February, 2)},
	{"saint-valentin", fixed(time.February, 14)},
	{"fete-des-grands-meres", nthWeekday(time.March, time.Sunday, 1)},
	{"paques", easter(0)},
	{"lundi-de-paques", easter(1)},
	{"fete-du-travail", fixed(time.May, 1)},
	{"victoire-1945", fixed(time.May, 8)},
	{"ascension", easter(39)},
	{"pentecote", easter(49)},
	{"lundi-de-pentecote", easter(50)},
	{"fete-des-meres", frenchMothersDay},
	{"fete-des-peres", nthWeekday(time.June, time.Sunday, 3)},
	{"fete-de-la-musique", fixed(time.June, 21)},
	{"soldes-ete", summerSales},
	{"fete-nationale", fixed(time.July, 14)},
	{"assomption", fixed(time.August, 15)},
	{"rentree", rentree},
	{"halloween", fixed(time.October, 31)},
	{"toussaint", fixed(time.November, 1)},
	{"movember", month(time.November)},
	{"armistice", fixed(time.November, 11)},
	{"black-friday", blackFriday},
	{"noel", fixed(time.December, 25)},
	{"saint-sylvestre", fixed(time.December, 31)},
}}

var enUS = &Set{Name: "en-US", rules: []rule{
	{"new-years-day", fixed(time.January, 1)},
	{"martin-luther-king-day", nthWeekday(time.January, time.Monday, 3)},
	{"valentines-day", fixed(time.February, 14)},
	{"presidents-day", nthWeekday(time.February, time.Monday, 3)},
	{"st-patricks-day", fixed(time.March, 17)},
	{"easter", easter(0)},
	{"mothers-day", nthWeekday(time.May, time.Sunday, 2)},
	{"memorial-day", nthWeekday(time.May, time.Monday, -1)},
	{"juneteenth", fixed(time.June, 19)},
	{"fathers-day", nthWeekday(time.June, time.Sunday, 3)},
	{"independence-day", fixed(time.July, 4)},
	{"labor-day", nthWeekday(time.September, time.Monday, 1)},
	{"columbus-day", nthWeekday(time.October, time.Monday, 2)},
	{"halloween", fixed(time.October, 31)},
	{"movember", month(time.November)},
	{"veterans-day", fixed(time.November, 11)},
	{"thanksgiving", thanksgiving},
	{"black-friday", blackFriday},
	{"cyber-monday", cyberMonday},
	{"christmas-eve", fixed(time.December, 24)},
	{"christmas", fixed(time.December, 25)},
	{"new-years-eve", fixed(time.December, 31)},
}}

func single(d time.Time) (time.Time, time.Time) { return d, d }

func fixed(m time.Month, day int) func(int) (time.Time, time.Time) {
	return func(year int) (time.Time, time.Time) { return single(Day(year, m, day)) }
}

func month(m time.Month) func(int) (time.Time, time.Time) {
	return func(year int) (time.Time, time.Time) {
		return Day(year, m, 1), Day(year, m+1, 0)
	}
}

// nthWeekday is the n-th weekday of the month (n < 0 counts from its end).
func nthWeekday(m time.Month, wd time.Weekday, n int) func(int) (time.Time, time.Time) {
	return func(year int) (time.Time, time.Time) { return single(weekdayN(year, m, wd, n)) }
}

func weekdayN(year int, m time.Month, wd time.Weekday, n int) time.Time {
	d := cal.WeekdayN(year, m, wd, n)
	return Day(d.Year(), d.Month(), d.Day())
}

// Easter returns Easter Sunday of the Gregorian calendar: the computus of
// github.com/rickar/cal (Meeus/Jones/Butcher), as the Western churches and
// the French and American calendars keep it.
func Easter(year int) time.Time {
	d := cal.CalcEasterOffset(&cal.Holiday{}, year)
	return Day(d.Year(), d.Month(), d.Day())
}

func easter(offset int) func(int) (time.Time, time.Time) {
	return func(year int) (time.Time, time.Time) { return single(Easter(year).AddDate(0, 0, offset)) }
}

// frenchMothersDay is the last Sunday of May, or the first Sunday of June
// when the last Sunday of May is Pentecost (Code de l'action sociale et des
// familles, article D215-1).
func frenchMothersDay(year int) (time.Time, time.Time) {
	d := weekdayN(year, time.May, time.Sunday, -1)
	if d.Equal(Easter(year).AddDate(0, 0, 49)) {
		d = d.AddDate(0, 0, 7)
	}
	return single(d)
}

// The national sales periods of France (Code de commerce, article
// D310-15-2, and article L310-3 as the loi PACTE of 2019 wrote it): four
// weeks each since 2020, from 8:00 on a Wednesday to the Tuesday four
// weeks later. Winter sales start on the second Wednesday of January, or
// the first when the second falls after the 12th; summer sales on the last
// Wednesday of June, or the one before when the last falls after the 28th.
// A few departments have dates of their own (Meurthe-et-Moselle, Meuse,
// Moselle and Vosges in winter, the overseas departments and territories):
// a charter for those lists its own dates and leaves these out with
// except:.
const salesDays = 28

func winterSales(year int) (time.Time, time.Time) {
	start := weekdayN(year, time.January, time.Wednesday, 2)
	if start.Day() > 12 {
		start = start.AddDate(0, 0, -7)
	}
	return start, start.AddDate(0, 0, salesDays-1)
}

func summerSales(year int) (time.Time, time.Time) {
	start := weekdayN(year, time.June, time.Wednesday, -1)
	if start.Day() > 28 {
		start = start.AddDate(0, 0, -7)
	}
	return start, start.AddDate(0, 0, salesDays-1)
}

// rentree is the first school day in France. The ministry sets it each
// year by decree; herald's rule, which gives every rentrée from 2022 to
// 2026, is 1 September when it falls on Monday to Thursday, else the
// Monday after. A charter whose year differs lists its own date and leaves
// this one out with except:.
func rentree(year int) (time.Time, time.Time) {
	d := Day(year, time.September, 1)
	switch d.Weekday() {
	case time.Friday:
		d = d.AddDate(0, 0, 3)
	case time.Saturday:
		d = d.AddDate(0, 0, 2)
	case time.Sunday:
		d = d.AddDate(0, 0, 1)
	}
	return single(d)
}

// thanksgiving is the fourth Thursday of November (5 U.S.C. 6103).
func thanksgiving(year int) (time.Time, time.Time) {
	return single(weekdayN(year, time.November, time.Thursday, 4))
}

// blackFriday is the day after Thanksgiving, in France too.
func blackFriday(year int) (time.Time, time.Time) {
	d, _ := thanksgiving(year)
	return single(d.AddDate(0, 0, 1))
}

// cyberMonday is the Monday after Thanksgiving.
func cyberMonday(year int) (time.Time, time.Time) {
	d, _ := thanksgiving(year)
	return single(d.AddDate(0, 0, 4))
}
