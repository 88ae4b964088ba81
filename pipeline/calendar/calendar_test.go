package calendar_test

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/herald-social/herald/pipeline/calendar"
	"github.com/herald-social/herald/pipeline/calendar/keydates"
	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/golden"
)

// build lays out testdata/calendar over March and April 2027: a DST
// change on 28 March, a draft, a post given in UTC, two campaigns, key
// dates from both sets and one of the brand's own.
func build(t *testing.T) *calendar.Calendar {
	t.Helper()
	res, err := check.Run(context.Background(), check.Options{Dir: "testdata/calendar", KeepPosts: true, SkipPublished: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.ConfigError || len(res.Calendars) != 1 {
		t.Fatalf("the test calendar does not load: %v", res.Diagnostics)
	}
	return calendar.Build(res.Calendars[0], keydates.Day(2027, 3, 1), keydates.Day(2027, 4, 30))
}

func TestText(t *testing.T) {
	t.Parallel()
	c := build(t)
	for _, lang := range []string{"en", "fr"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			p, _ := i18n.New(lang)
			var out bytes.Buffer
			if err := calendar.WriteText(&out, []*calendar.Calendar{c}, calendar.TextOptions{Printer: p}); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out.String(), "\x1b[") {
				t.Error("colour without TextOptions.Color")
			}
			golden.Check(t, "testdata/text."+lang+".out", out.Bytes())
		})
	}
}

// TestTextColor: colour only when asked (a terminal without NO_COLOR),
// gaps and key dates marked, the grid's characters unchanged.
func TestTextColor(t *testing.T) {
	t.Parallel()
	c := build(t)
	var plain, colored bytes.Buffer
	if err := calendar.WriteText(&plain, []*calendar.Calendar{c}, calendar.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := calendar.WriteText(&colored, []*calendar.Calendar{c}, calendar.TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	out := colored.String()
	for _, want := range []string{"\x1b[7;33m 3 ·!\x1b[0m", "\x1b[1;35m28 ·*\x1b[0m"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in the coloured grid", want)
		}
	}
	if stripped := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, ""); stripped != plain.String() {
		t.Error("the coloured grid differs from the plain one once its colours are taken out")
	}
}

func TestJSON(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := calendar.WriteJSON(&out, []*calendar.Calendar{build(t)}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/calendar.json", out.Bytes())
}

func TestGaps(t *testing.T) {
	t.Parallel()
	c := build(t)
	// Ready posts: 2 March 19:30, 27 March 10:00, 29 March 10:00 (the
	// draft of 15 March does not count). With max_silence 3d: 3-26 March
	// and 30 March to the end of April are silent.
	var got []string
	for _, g := range c.Gaps {
		got = append(got, g.FirstDay.Format(time.DateOnly)+".."+g.LastDay.Format(time.DateOnly))
	}
	want := []string{"2027-03-03..2027-03-26", "2027-03-30..2027-04-30"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("gaps %v, want %v", got, want)
	}
}

// TestICSImportable reads the iCalendar output back with an independent
// parser (github.com/arran4/golang-ical) and finds every post, campaign and
// key date at its time and in its zone, DST included, and checks the
// lines as RFC 5545 writes them.
func TestICSImportable(t *testing.T) {
	t.Parallel()
	c := build(t)
	var out bytes.Buffer
	stamp := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	if err := calendar.WriteICS(&out, c, stamp); err != nil {
		t.Fatal(err)
	}
	raw := out.String()
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d is %d octets long: %q", i+1, len(line), line)
		}
		if strings.Contains(line, "\n") {
			t.Errorf("line %d ends in a bare LF", i+1)
		}
	}
	parsed, err := ics.ParseCalendar(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]*ics.VEvent{}
	for _, e := range parsed.Events() {
		events[e.Id()] = e
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	posts := map[string]time.Time{
		"posts/2027/03/debut@herald":     time.Date(2027, 3, 2, 18, 30, 0, 0, time.UTC),
		"posts/2027/03/brouillon@herald": time.Date(2027, 3, 15, 9, 0, 0, 0, paris),
		"posts/2027/03/avant-dst@herald": time.Date(2027, 3, 27, 9, 0, 0, 0, time.UTC), // 10:00 CET
		"posts/2027/03/apres-dst@herald": time.Date(2027, 3, 29, 8, 0, 0, 0, time.UTC), // 10:00 CEST
	}
	for uid, want := range posts {
		e := events[uid]
		if e == nil {
			t.Errorf("no event %s", uid)
			continue
		}
		start := e.GetProperty(ics.ComponentPropertyDtStart)
		if tz := start.ICalParameters["TZID"]; len(tz) != 1 || tz[0] != "Europe/Paris" {
			t.Errorf("%s: DTSTART TZID %v", uid, tz)
		}
		got, err := e.GetStartAt()
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: starts %v (%v), want %v", uid, got, err, want)
		}
		// A client without a zone database reads the offset from the
		// VTIMEZONE: it must be Go's.
		if off := offsetFromVTimezone(t, raw, start.Value); off != offsetAt(want, paris) {
			t.Errorf("%s: the VTIMEZONE gives %+d s at %s, the zone %+d s", uid, off, start.Value, offsetAt(want, paris))
		}
	}
	avant := events["posts/2027/03/avant-dst@herald"]
	if got := avant.GetProperty(ics.ComponentPropertySummary).Value; got != "Veille de Pâques, chocolat; et le reste" {
		t.Errorf("SUMMARY read back as %q", got)
	}
	if got := avant.GetProperty(ics.ComponentPropertyCategories).Value; got != "produit,coulisses" {
		t.Errorf("CATEGORIES %q", got)
	}
	if got := avant.GetProperty(ics.ComponentPropertyDescription).Value; !strings.Contains(got, "se voie.\nUne seconde ligne.") {
		t.Errorf("DESCRIPTION read back as %q", got)
	}
	if got := events["posts/2027/03/debut@herald"].GetProperty(ics.ComponentPropertySummary).Value; got != "Le début du mois" {
		t.Errorf("SUMMARY of a post without title: %q, want its first line", got)
	}
	if got := avant.GetProperty(ics.ComponentPropertyDtstamp).Value; got != "20270301T080000Z" {
		t.Errorf("DTSTAMP %q", got)
	}
	allDay := map[string][2]string{ // DTSTART, exclusive DTEND
		"campaign-paques-2027@herald":                            {"20270322", "20270329"},
		"campaign-printemps-2027@herald":                         {"20270401", "20270411"},
		"keydate-fr-FR-paques-20270328@herald":                   {"20270328", "20270329"},
		"keydate-fr-FR-lundi-de-paques-20270329@herald":          {"20270329", "20270330"},
		"keydate-fr-FR-fete-des-grands-meres-20270307@herald":    {"20270307", "20270308"},
		"keydate-en-US-st-patricks-day-20270317@herald":          {"20270317", "20270318"},
		"keydate-anniversaire-de-la-maison-1987-20270325@herald": {"20270325", "20270326"},
	}
	for uid, want := range allDay {
		e := events[uid]
		if e == nil {
			t.Errorf("no event %s", uid)
			continue
		}
		start, end := e.GetProperty(ics.ComponentPropertyDtStart), e.GetProperty(ics.ComponentPropertyDtEnd)
		if start.Value != want[0] || end.Value != want[1] || start.ICalParameters["VALUE"][0] != "DATE" {
			t.Errorf("%s: %s to %s, want %s to %s (exclusive), all day", uid, start.Value, end.Value, want[0], want[1])
		}
	}
	if n := len(events); n != len(posts)+len(allDay) {
		t.Errorf("%d events, want %d", n, len(posts)+len(allDay))
	}
}

// offsetFromVTimezone reads the VTIMEZONE of raw as a client would: the
// offset of the last observance whose onset is at or before local.
func offsetFromVTimezone(t *testing.T, raw, local string) int {
	t.Helper()
	parsed, _ := ics.ParseCalendar(strings.NewReader(raw))
	best, offset := "", 0
	for _, comp := range parsed.Components {
		tz, ok := comp.(*ics.VTimezone)
		if !ok {
			continue
		}
		for _, sub := range tz.Components {
			var base *ics.ComponentBase
			switch o := sub.(type) {
			case *ics.Standard:
				base = &o.ComponentBase
			case *ics.Daylight:
				base = &o.ComponentBase
			default:
				continue
			}
			onset := base.GetProperty(ics.ComponentPropertyDtStart).Value
			if onset <= local && onset > best {
				best = onset
				to := base.GetProperty(ics.ComponentProperty("TZOFFSETTO")).Value
				d, err := time.ParseDuration(to[1:3] + "h" + to[3:5] + "m")
				if err != nil {
					t.Fatal(err)
				}
				offset = int(d.Seconds())
				if to[0] == '-' {
					offset = -offset
				}
			}
		}
	}
	if best == "" {
		t.Fatalf("no observance before %s", local)
	}
	return offset
}

func offsetAt(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}
