package i18n

import (
	"strconv"
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
