package i18n

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/number"
)

// Int writes a whole number with the language's grouping: "1,200" in
// English, "1 200" (a no-break space) in French.
func (p *Printer) Int(n int64) string {
	return p.numbers.Sprint(number.Decimal(n))
}

// Number writes v with at most decimals digits after the separator:
// "4.5" in English, "4,5" in French.
func (p *Printer) Number(v float64, decimals int) string {
	return p.numbers.Sprint(number.Decimal(v, number.MaxFractionDigits(decimals)))
}

// Percent writes a ratio (0.045) as a percentage with at most decimals
// digits: "4.5%" in English, "4,5 %" in French.
func (p *Printer) Percent(ratio float64, decimals int) string {
	return p.numbers.Sprint(number.Percent(ratio, number.MaxFractionDigits(decimals)))
}

// Money writes an amount with its currency's symbol where the language
// puts it: "€1,200" in English, "1 200 €" in French. Whole amounts have no
// decimals; others have two.
func (p *Printer) Money(amount float64, symbol string) string {
	digits := 2
	if amount == float64(int64(amount)) {
		digits = 0
	}
	formatted := p.numbers.Sprint(number.Decimal(amount, number.MinFractionDigits(digits), number.MaxFractionDigits(digits)))
	return p.T("format.money", Args{"Amount": formatted, "Symbol": symbol})
}

// Weekday is the day's name as a sentence writes it mid-line: "Tuesday",
// "mardi".
func (p *Printer) Weekday(d time.Weekday) string {
	return p.T("date.weekday."+strconv.Itoa(int(d)), nil)
}

// WeekdayShort is the day's abbreviation for grids and lists: "Tue", "mar.".
func (p *Printer) WeekdayShort(d time.Weekday) string {
	return p.T("date.weekday-short."+strconv.Itoa(int(d)), nil)
}

// Month is the month's name as a date writes it: "March", "mars".
func (p *Printer) Month(m time.Month) string {
	return p.T("date.month."+strconv.Itoa(int(m)), nil)
}

// MonthYear titles a month: "March 2027", "mars 2027".
func (p *Printer) MonthYear(t time.Time) string {
	return p.T("date.month-year", Args{"Month": p.Month(t.Month()), "Year": t.Year()})
}

// Date writes t's day in full: "Tuesday 23 March 2027", "mardi 23 mars
// 2027" ("1er" for the first of the month in French).
func (p *Printer) Date(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = p.T("date.first-day", nil)
	}
	return p.T("date.long", Args{"Weekday": p.Weekday(t.Weekday()), "Day": day, "Month": p.Month(t.Month()), "Year": t.Year()})
}

// Time writes t's time of day: "11:00" (24-hour in both languages).
func (p *Printer) Time(t time.Time) string {
	return p.T("date.time", Args{"Hour": t.Format("15"), "Minute": t.Format("04")})
}

// DateTime writes t's day and time: "Tuesday 23 March 2027, 11:00",
// "mardi 23 mars 2027, 11:00".
func (p *Printer) DateTime(t time.Time) string {
	return p.T("date.date-time", Args{"Date": p.Date(t), "Time": p.Time(t)})
}

// Quote writes a value that a message names, as the language quotes it:
// "produit" in English, « produit » in French. Control characters are
// escaped as Go quotes them, so that a quoted value stays on its line.
func (p *Printer) Quote(s string) string {
	q := strconv.Quote(s)
	text := q[1 : len(q)-1]
	// Unquoted: guillemets need no escaped quote inside.
	return p.T("format.quote", Args{"Text": text, "Unquoted": strings.ReplaceAll(text, `\"`, `"`)})
}

// Duration writes d in days, hours, minutes and seconds, to the second
// (to the minute from a day up): "2h30m", "1d2h" in English, "2 h 30 min",
// "1 j 2 h" in French. A negative d is written as its length.
func (p *Printer) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	if d >= 24*time.Hour {
		d = d.Round(time.Minute)
	}
	if d == 0 {
		return p.T("duration.seconds", Args{"N": 0})
	}
	var parts []string
	for _, u := range []struct {
		unit time.Duration
		id   string
	}{{24 * time.Hour, "duration.days"}, {time.Hour, "duration.hours"}, {time.Minute, "duration.minutes"}, {time.Second, "duration.seconds"}} {
		if n := d / u.unit; n > 0 {
			parts = append(parts, p.T(u.id, Args{"N": p.Int(int64(n))}))
			d -= n * u.unit
		}
	}
	return p.T("duration.join", Args{"Parts": parts})
}

// Fixed writes v with exactly decimals digits after the separator: "2.0"
// in English, "2,0" in French.
func (p *Printer) Fixed(v float64, decimals int) string {
	return p.numbers.Sprint(number.Decimal(v, number.MinFractionDigits(decimals), number.MaxFractionDigits(decimals)))
}
