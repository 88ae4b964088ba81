package calendar

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/herald-social/herald/pipeline/i18n"
)

// TextOptions says how to write the text grid.
type TextOptions struct {
	Printer *i18n.Printer // nil: English
	Color   bool          // ANSI colours, for a terminal that allows them
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiGap    = "\x1b[7;33m" // reversed yellow: a silence to fill
	ansiKey    = "\x1b[1;35m"
	ansiCamp   = "\x1b[36m"
	cellWidth  = 7 // "25 3*!" and a space
	monthWidth = 7 * cellWidth
)

// WriteText writes each calendar as month grids, like cal: each day with
// its number of posts ("·" for none), "*" on a key date, "!" in a gap;
// under each week, a bar per campaign across the days it covers; after
// each month, its days with posts per account, key dates and gaps.
func WriteText(w io.Writer, cals []*Calendar, opts TextOptions) error {
	p := opts.Printer
	if p == nil {
		p = i18n.English()
	}
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color || code == "" {
			return s
		}
		return code + s + ansiReset
	}
	for ci, c := range cals {
		if ci > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintln(bw, paint(ansiBold, p.T("calendar.text.title", i18n.Args{"Brand": c.Brand,
			"From": p.Date(c.From), "To": p.Date(c.To), "Zone": c.Location.String()})))
		fmt.Fprintln(bw, p.T("calendar.text.legend", i18n.Args{"Silence": silence(p, c.Silence)}))
		for month := range c.months() {
			writeMonth(bw, c, month, p, paint)
		}
	}
	return bw.Flush()
}

// months yields the first day of each month the period touches.
func (c *Calendar) months() func(func(time.Time) bool) {
	return func(yield func(time.Time) bool) {
		for m := time.Date(c.From.Year(), c.From.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(c.To); m = m.AddDate(0, 1, 0) {
			if !yield(m) {
				return
			}
		}
	}
}

func (c *Calendar) day(d time.Time) (*Day, bool) {
	if d.Before(c.From) || d.After(c.To) {
		return nil, false
	}
	return &c.Days[int(d.Sub(c.From).Hours()/24)], true
}

func writeMonth(w io.Writer, c *Calendar, month time.Time, p *i18n.Printer, paint func(string, string) string) {
	fmt.Fprintln(w)
	title := p.MonthYear(month)
	fmt.Fprintln(w, paint(ansiBold, center(title, monthWidth)))
	var head strings.Builder
	for i := range 7 {
		head.WriteString(pad(p.WeekdayShort(time.Weekday((i+1)%7)), cellWidth))
	}
	fmt.Fprintln(w, strings.TrimRight(head.String(), " "))
	last := month.AddDate(0, 1, -1)
	// Weeks start on Monday, as in France and ISO 8601.
	weekStart := month.AddDate(0, 0, -((int(month.Weekday()) + 6) % 7))
	for ; !weekStart.After(last); weekStart = weekStart.AddDate(0, 0, 7) {
		var line strings.Builder
		for i := range 7 {
			d := weekStart.AddDate(0, 0, i)
			if d.Month() != month.Month() {
				line.WriteString(strings.Repeat(" ", cellWidth))
				continue
			}
			day, in := c.day(d)
			cell := fmt.Sprintf("%2d", d.Day())
			code := ""
			switch {
			case !in:
				cell += "     "
			default:
				count := "·"
				if n := len(day.Posts); n > 0 {
					count = fmt.Sprint(n)
				}
				marks := ""
				for _, k := range day.KeyDates {
					// A period (the sales, Movember) is a bar under the
					// weeks; only its first day is marked.
					if c.KeyDates[k].Start.Equal(d) || d.Equal(c.From) {
						marks, code = "*", ansiKey
					}
				}
				if day.Gap {
					marks += "!"
					code = ansiGap
				}
				cell += " " + count + marks
			}
			// Colour the day's text only: the padding stays plain, so
			// that the grid is the same once its colours are taken out.
			line.WriteString(paint(code, cell) + strings.Repeat(" ", max(cellWidth-uniseg.StringWidth(cell), 1)))
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
		writeBars(w, c.spans(), weekStart, month, paint)
	}
	writeMonthDays(w, c, month, last, p)
}

// span is a campaign or a key date of several days, drawn as a bar.
type span struct {
	title      string
	start, end time.Time
	line       string // the bar's character
	color      string
}

// spans returns the campaigns, then the key dates of several days.
func (c *Calendar) spans() []span {
	var out []span
	for _, cp := range c.Campaigns {
		out = append(out, span{cp.Title, cp.Start, cp.End, "═", ansiCamp})
	}
	for _, k := range c.KeyDates {
		if k.Days() > 1 {
			out = append(out, span{k.Name, k.Start, k.End, "┄", ansiKey})
		}
	}
	return out
}

// writeBars draws, under a week, a bar per span over the days of the
// month it covers, with its title from its first day in the week.
func writeBars(w io.Writer, spans []span, weekStart, month time.Time, paint func(string, string) string) {
	for _, sp := range spans {
		var bar strings.Builder
		covered := false
		for i := range 7 {
			d := weekStart.AddDate(0, 0, i)
			if d.Month() != month.Month() || d.Before(sp.start) || d.After(sp.end) {
				bar.WriteString(strings.Repeat(" ", cellWidth))
				continue
			}
			covered = true
			bar.WriteString(strings.Repeat(sp.line, cellWidth))
		}
		if !covered {
			continue
		}
		s := []rune(strings.TrimRight(bar.String(), " "))
		start := 0
		for start < len(s) && s[start] == ' ' {
			start++
		}
		label := []rune(" " + sp.title + " ")
		if len(s)-start >= len(label)+1 {
			copy(s[start+1:], label)
		}
		fmt.Fprintln(w, paint(sp.color, string(s)))
	}
}

// writeMonthDays lists the month's days that have posts, key dates or
// begin a gap, with the posts per account.
func writeMonthDays(w io.Writer, c *Calendar, month, last time.Time, p *i18n.Printer) {
	for d := month; !d.After(last); d = d.AddDate(0, 0, 1) {
		day, in := c.day(d)
		if !in {
			continue
		}
		var parts []string
		if len(day.Posts) > 0 {
			var counts []string
			for _, a := range c.Accounts {
				if n := day.ByAccount[a]; n > 0 {
					counts = append(counts, fmt.Sprintf("%s %s", a, p.Int(int64(n))))
				}
			}
			parts = append(parts, p.N("calendar.text.posts", len(day.Posts), i18n.Args{"Accounts": strings.Join(counts, ", ")}))
		}
		for _, i := range day.KeyDates {
			if k := c.KeyDates[i]; k.Start.Equal(d) || d.Equal(month) && k.Start.Before(month) {
				parts = append(parts, "* "+k.Name)
			}
		}
		for _, g := range c.Gaps {
			if g.FirstDay.Equal(d) {
				parts = append(parts, "! "+p.N("calendar.text.gap", g.Days, nil))
			}
		}
		if len(parts) == 0 {
			continue
		}
		fmt.Fprintf(w, "  %s %2d  %s\n", pad(p.WeekdayShort(d.Weekday()), 4), d.Day(), strings.Join(parts, " · "))
	}
}

// pad pads s with spaces to width cells (wider strings are left as they are).
func pad(s string, width int) string {
	if n := uniseg.StringWidth(s); n < width {
		return s + strings.Repeat(" ", width-n)
	}
	return s
}

func center(s string, width int) string {
	n := uniseg.StringWidth(s)
	if n >= width {
		return s
	}
	return strings.Repeat(" ", (width-n)/2) + s
}

// silence writes the gap threshold for people: "3 days", else "36h0m0s".
func silence(p *i18n.Printer, d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return p.N("calendar.text.days", int(d/(24*time.Hour)), nil)
	}
	return d.String()
}
