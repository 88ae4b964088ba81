package calendar

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// WriteICS writes the calendar as an RFC 5545 VCALENDAR, as SPEC.md's
// "Calendar (contract)" sets it: a VEVENT per post (UID "<post id>@herald",
// DTSTART in the charter's zone with its VTIMEZONE, SUMMARY its title or
// first line, CATEGORIES its tags), and an all-day VEVENT, with an
// exclusive DTEND, per campaign and per key date. stamp is DTSTAMP (the
// command's --now). Lines end in CRLF and are folded at 75 octets.
//
// Written by hand: the format is a few lines, and the Go iCalendar
// libraries write no VTIMEZONE from Go's zone data; the tests read the
// output back with one (github.com/arran4/golang-ical).
func WriteICS(w io.Writer, c *Calendar, stamp time.Time) error {
	bw := bufio.NewWriter(w)
	out := &icsWriter{w: bw}
	zone := c.Location.String()
	dtstamp := stamp.UTC().Format("20060102T150405Z")
	out.line("BEGIN:VCALENDAR")
	out.line("VERSION:2.0")
	out.line("PRODID:-//Herald//herald calendar//EN")
	out.line("CALSCALE:GREGORIAN")
	out.prop("X-WR-CALNAME", escapeText(c.Brand))
	out.prop("X-WR-TIMEZONE", zone)
	writeTimezone(out, c.Location, StartOf(c.From, c.Location), StartOf(c.To.AddDate(0, 0, 1), c.Location))
	for _, p := range c.Posts {
		out.line("BEGIN:VEVENT")
		out.prop("UID", escapeText(p.ID+"@herald"))
		out.prop("DTSTAMP", dtstamp)
		out.prop("DTSTART;TZID="+paramValue(zone), p.When.In(c.Location).Format("20060102T150405"))
		out.prop("SUMMARY", escapeText(p.Title))
		if len(p.Tags) > 0 {
			tags := make([]string, len(p.Tags))
			for i, t := range p.Tags {
				tags[i] = escapeText(t)
			}
			out.prop("CATEGORIES", strings.Join(tags, ","))
		}
		if p.Text != "" {
			out.prop("DESCRIPTION", escapeText(p.Text))
		}
		if p.Draft {
			out.prop("STATUS", "TENTATIVE")
		} else {
			out.prop("STATUS", "CONFIRMED")
		}
		out.prop("X-HERALD-ACCOUNTS", escapeText(strings.Join(p.Accounts, ",")))
		out.line("END:VEVENT")
	}
	allDay := func(uid, summary string, start, end time.Time, category string) {
		out.line("BEGIN:VEVENT")
		out.prop("UID", escapeText(uid))
		out.prop("DTSTAMP", dtstamp)
		out.prop("DTSTART;VALUE=DATE", start.Format("20060102"))
		out.prop("DTEND;VALUE=DATE", end.AddDate(0, 0, 1).Format("20060102"))
		out.prop("SUMMARY", escapeText(summary))
		out.prop("CATEGORIES", category)
		out.prop("TRANSP", "TRANSPARENT") // a day of the calendar, not a meeting: it leaves people free
		out.line("END:VEVENT")
	}
	for _, cp := range c.Campaigns {
		allDay("campaign-"+cp.Key+"@herald", cp.Title, cp.Start, cp.End, "campaign")
	}
	for _, k := range c.KeyDates {
		allDay("keydate-"+strings.ReplaceAll(k.ID, "/", "-")+"-"+k.Start.Format("20060102")+"@herald", k.Name, k.Start, k.End, "key-date")
	}
	out.line("END:VCALENDAR")
	if out.err != nil {
		return out.err
	}
	return bw.Flush()
}

type icsWriter struct {
	w   *bufio.Writer
	err error
}

func (o *icsWriter) prop(name, value string) { o.line(name + ":" + value) }

// line writes a content line folded at 75 octets (RFC 5545, 3.1): a CRLF
// and a space before each further 74, never inside a UTF-8 sequence.
func (o *icsWriter) line(s string) {
	if o.err != nil {
		return
	}
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		_, o.err = o.w.WriteString(s[:cut] + "\r\n ")
		s = s[cut:]
		limit = 74 // the space that starts the next line counts
	}
	if o.err == nil {
		_, o.err = o.w.WriteString(s + "\r\n")
	}
}

// escapeText escapes a TEXT value (RFC 5545, 3.3.11).
var textEscaper = strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

func escapeText(s string) string { return textEscaper.Replace(s) }

// paramValue quotes a parameter value that holds ":", ";" or "," (RFC
// 5545, 3.2); IANA zone names hold none.
func paramValue(s string) string {
	if strings.ContainsAny(s, ":;,") {
		return `"` + strings.ReplaceAll(s, `"`, "") + `"`
	}
	return s
}

// writeTimezone writes loc's VTIMEZONE: one STANDARD or DAYLIGHT
// observance per change of offset from a year before from to a year after
// to, read from Go's zone data, so that a calendar application shows
// every post at its time, DST included, without knowing the zone.
func writeTimezone(o *icsWriter, loc *time.Location, from, to time.Time) {
	o.line("BEGIN:VTIMEZONE")
	o.prop("TZID", loc.String())
	start, end := from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0)
	_, offset := start.In(loc).Zone()
	// The offset in force at the start, as an observance of its own.
	observance(o, loc, start, offset, offset)
	for t := start; t.Before(end); {
		next := t.Add(24 * time.Hour)
		if _, o2 := next.In(loc).Zone(); o2 != offset {
			// Find the second it changes.
			lo, hi := t, next
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, om := mid.In(loc).Zone(); om == offset {
					lo = mid
				} else {
					hi = mid
				}
			}
			observance(o, loc, hi, offset, o2)
			offset = o2
		}
		t = next
	}
	o.line("END:VTIMEZONE")
}

func observance(o *icsWriter, loc *time.Location, at time.Time, from, to int) {
	kind := "STANDARD"
	if at.In(loc).IsDST() {
		kind = "DAYLIGHT"
	}
	name, _ := at.In(loc).Zone()
	o.line("BEGIN:" + kind)
	// DTSTART is the local time of the change in the offset before it.
	o.prop("DTSTART", at.In(time.FixedZone("", from)).Format("20060102T150405"))
	o.prop("TZOFFSETFROM", utcOffset(from))
	o.prop("TZOFFSETTO", utcOffset(to))
	o.prop("TZNAME", escapeText(name))
	o.line("END:" + kind)
}

func utcOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	s := fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds/60%60)
	if seconds%60 != 0 {
		s += fmt.Sprintf("%02d", seconds%60)
	}
	return s
}
