package report

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// The charts are SVG files written by hand: no JavaScript, nothing to
// load, readable without colour (every bar and line carries its figure
// as text, and met or not is said in words), with a <title> and a <desc>
// that screen readers announce (role="img"). The palette is the preview
// site's (pipeline/preview/site/style.css).
const (
	inkColour   = "#1d2330"
	mutedColour = "#5f6b7a"
	lineColour  = "#dde2e8"
	paperColour = "#ffffff"
	metColour   = "#2e7d32"
	unmetColour = "#c62828"
	linkColour  = "#1763c6"
	fontFamily  = `system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif`
)

// seriesColours and seriesDashes tell lines apart by colour and by dash.
var (
	seriesColours = []string{"#1565c0", "#c62828", "#2e7d32", "#ef8f00", "#7b1fa2", "#00838f", "#ad1457", "#6d4c41"}
	seriesDashes  = []string{"", "6 3", "2 3", "8 3 2 3"}
)

// svg builds one chart.
type svg struct {
	b    bytes.Buffer
	w, h int
}

func newSVG(w, h int, title, desc string) *svg {
	s := &svg{w: w, h: h}
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="title desc" font-family="%s" font-size="12">`+"\n", w, h, w, h, fontFamily)
	fmt.Fprintf(&s.b, "<title id=\"title\">%s</title>\n<desc id=\"desc\">%s</desc>\n", esc(title), esc(desc))
	fmt.Fprintf(&s.b, `<rect width="%d" height="%d" fill="%s"/>`+"\n", w, h, paperColour)
	return s
}

func (s *svg) text(x, y float64, anchor, fill, weight, text string) {
	extra := ""
	if weight != "" {
		extra = fmt.Sprintf(` font-weight="%s"`, weight)
	}
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s"%s>%s</text>`+"\n", x, y, anchor, fill, extra, esc(text))
}

func (s *svg) line(x1, y1, x2, y2 float64, stroke, dash string) {
	d := ""
	if dash != "" {
		d = fmt.Sprintf(` stroke-dasharray="%s"`, dash)
	}
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"%s/>`+"\n", x1, y1, x2, y2, stroke, d)
}

func (s *svg) bytes() []byte {
	s.b.WriteString("</svg>\n")
	return s.b.Bytes()
}

func esc(s string) string { return html.EscapeString(s) }

// objectivesChart draws each objective as a bar: its actual value as a
// share of its target, the target a dashed line.
func (b *builder) objectivesChart() []byte {
	p := b.p
	type row struct {
		label, value string
		share        float64 // actual / target, capped
		known, met   bool
	}
	var rows []row
	var desc []string
	for _, g := range b.r.Campaigns {
		name := g.Key
		if g.Label != "" {
			name = g.Label
		}
		for _, o := range g.Objectives {
			r := row{label: name + " · " + b.metricName(o.Metric), known: o.Actual != nil, met: o.Met}
			status := p.T("report.not-met", nil)
			switch {
			case o.Actual == nil:
				status = p.T("report.unknown", nil)
			case o.Met:
				status = p.T("report.yes-met", nil)
			}
			r.value = p.T("report.chart.objective-value", i18n.Args{"Actual": b.metric(o.Metric, o.Actual), "Target": b.metric(o.Metric, &o.Target), "Status": status})
			if o.Actual != nil && o.Target > 0 {
				r.share = min(*o.Actual/o.Target, 1.5)
			}
			rows = append(rows, r)
			desc = append(desc, r.label+": "+r.value)
		}
	}
	const left, barW, rowH, top = 250.0, 300.0, 34.0, 30.0
	w, h := 820, int(top+rowH*float64(len(rows))+30)
	s := newSVG(w, h, p.T("report.chart.objectives", nil), strings.Join(desc, "; "))
	full := barW / 1.5 // the target's length
	s.line(left+full, top-12, left+full, top+rowH*float64(len(rows)), mutedColour, "4 3")
	s.text(left+full, top-16, "middle", mutedColour, "", p.T("report.target", nil))
	for i, r := range rows {
		y := top + rowH*float64(i)
		s.text(left-8, y+16, "end", inkColour, "", r.label)
		fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="20" fill="%s"/>`+"\n", left, y+3, barW, "#f4f6f9")
		colour := unmetColour
		if r.met {
			colour = metColour
		}
		if r.known {
			fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="20" fill="%s"/>`+"\n", left, y+3, r.share*full, colour)
		}
		s.text(left+barW+8, y+17, "start", inkColour, "", r.value)
	}
	return s.bytes()
}

// point is one point of a line chart.
type point struct {
	at time.Time
	v  float64
}

type series struct {
	name   string
	points []point
}

// lineChart draws series over the period, each with its colour and dash,
// its last value written at its end.
func (b *builder) lineChart(title, desc string, all []series) []byte {
	const w, h, left, right, top, bottom = 760, 300, 70.0, 150.0, 20.0, 40.0
	s := newSVG(w, h, title, desc)
	lo, hi := 0.0, 0.0
	first := true
	for _, se := range all {
		for _, pt := range se.points {
			if first || pt.v < lo {
				lo = pt.v
			}
			if first || pt.v > hi {
				hi = pt.v
			}
			first = false
		}
	}
	if lo > 0 && hi > 0 && lo > hi/2 {
		lo = lo * 0.95 // follower counts: start near the lowest, to show the change
	} else {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	start, end := b.r.Period.Start, b.r.Period.End
	span := end.Sub(start).Seconds()
	x := func(t time.Time) float64 { return left + (float64(w)-left-right)*t.Sub(start).Seconds()/span }
	y := func(v float64) float64 { return top + (float64(h)-top-bottom)*(1-(v-lo)/(hi-lo)) }
	// Axes, with the lowest and highest values and the period's first,
	// middle and last days.
	s.line(left, top, left, float64(h)-bottom, lineColour, "")
	s.line(left, float64(h)-bottom, float64(w)-right, float64(h)-bottom, lineColour, "")
	s.text(left-6, y(hi)+4, "end", mutedColour, "", b.p.Number(hi, 0))
	s.text(left-6, y(lo)+4, "end", mutedColour, "", b.p.Number(lo, 0))
	last := b.r.Period.Last()
	mid := start.Add(end.Sub(start) / 2)
	for _, d := range []time.Time{start, mid, last} {
		d = d.In(b.r.Location)
		s.text(x(d), float64(h)-bottom+18, "middle", mutedColour, "", strings.TrimSpace(b.p.T("report.chart.day", i18n.Args{"Day": d.Day(), "Month": b.p.Month(d.Month())})))
	}
	for i, se := range all {
		if len(se.points) == 0 {
			continue
		}
		colour, dash := seriesColours[i%len(seriesColours)], seriesDashes[i%len(seriesDashes)]
		var pts []string
		for _, pt := range se.points {
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(pt.at), y(pt.v)))
		}
		d := ""
		if dash != "" {
			d = fmt.Sprintf(` stroke-dasharray="%s"`, dash)
		}
		fmt.Fprintf(&s.b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"%s/>`+"\n", strings.Join(pts, " "), colour, d)
		if se.name != "" { // a series of several: its name and last value at its end
			lastPt := se.points[len(se.points)-1]
			s.text(x(lastPt.at)+6, y(lastPt.v)+4+float64(i%2)*12, "start", colour, "600", se.name+" "+b.p.Number(lastPt.v, 0))
		}
	}
	return s.bytes()
}

// engagementChart is the engagement of the publications of each day.
func (b *builder) engagementChart() []byte {
	var pts []point
	var desc []string
	for _, d := range b.r.Days {
		if d.Publications > 0 && d.Engagements == nil {
			continue // published but never sampled: no figure to draw
		}
		v := orZero(d.Engagements)
		pts = append(pts, point{at: d.Day.Add(12 * time.Hour), v: float64(v)})
		if d.Publications > 0 {
			desc = append(desc, b.p.T("report.chart.day-value", i18n.Args{"Day": b.p.Date(d.Day), "Value": b.p.Int(v), "Publications": b.p.N("report.publications-count", d.Publications, nil)}))
		}
	}
	title := b.p.T("report.chart.engagement", i18n.Args{"Period": b.periodName(b.r.Period)})
	if len(desc) == 0 {
		desc = []string{b.p.T("report.no-ranked", nil)}
	}
	return b.lineChart(title, strings.Join(desc, "; "), []series{{points: pts}})
}

// followersChart is each account's follower counts over the period.
func (b *builder) followersChart() []byte {
	var all []series
	var desc []string
	for _, g := range b.r.Accounts {
		var pts []point
		for _, f := range g.Followers {
			pts = append(pts, point{at: f.At, v: float64(f.Followers)})
		}
		if len(pts) == 0 {
			continue
		}
		all = append(all, series{name: g.Key, points: pts})
		desc = append(desc, b.p.T("report.chart.followers-value", i18n.Args{"Account": g.Key,
			"From": b.p.Int(g.Followers[0].Followers), "To": b.p.Int(g.Followers[len(g.Followers)-1].Followers)}))
	}
	return b.lineChart(b.p.T("report.chart.followers", i18n.Args{"Period": b.periodName(b.r.Period)}), strings.Join(desc, "; "), all)
}

// heatmapChart is the weekday × hour grid: the darker a cell, the higher
// its rate; the number in it is its publications.
func (b *builder) heatmapChart() []byte {
	p, h := b.p, b.r.When
	const left, top, cellW, cellH = 60.0, 40.0, 28.0, 26.0
	w, ht := int(left+24*cellW+10), int(top+7*cellH+40)
	var hi float64
	for _, c := range h.Cells {
		hi = max(hi, c.Rate)
	}
	desc := p.T("report.chart.heatmap-desc", nil)
	if h.Best != nil {
		desc += " " + p.N("report.when-suggest", h.Best.Publications, i18n.Args{"Weekday": p.Weekday(h.Best.Weekday), "Hour": hourName(h.Best.Hour), "Rate": p.Percent(h.Best.Rate, 2)})
	}
	s := newSVG(w, ht, p.T("report.chart.heatmap", nil), desc)
	for hour := 0; hour < 24; hour += 3 {
		s.text(left+cellW*float64(hour)+cellW/2, top-8, "middle", mutedColour, "", twoDigits(hour))
	}
	cells := map[[2]int]Cell{}
	for _, c := range h.Cells {
		cells[[2]int{int(c.Weekday), c.Hour}] = c
	}
	for row := range 7 {
		day := time.Weekday((row + 1) % 7) // Monday first
		y := top + cellH*float64(row)
		s.text(left-8, y+cellH/2+4, "end", inkColour, "", p.WeekdayShort(day))
		for hour := range 24 {
			x := left + cellW*float64(hour)
			c, ok := cells[[2]int{int(day), hour}]
			if !ok {
				fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#f4f6f9" stroke="%s"/>`+"\n", x, y, cellW, cellH, paperColour)
				continue
			}
			level := 0.15
			if hi > 0 {
				level = 0.15 + 0.85*c.Rate/hi
			}
			text := inkColour
			if level > 0.55 {
				text = paperColour
			}
			fmt.Fprintf(&s.b, `<g><title>%s</title><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" fill-opacity="%.2f" stroke="%s"/>`,
				esc(p.N("report.chart.cell", c.Publications, i18n.Args{"Weekday": p.Weekday(day), "Hour": hourName(hour), "Rate": p.Percent(c.Rate, 2)})),
				x, y, cellW, cellH, linkColour, level, paperColour)
			fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="middle" fill="%s">%d</text></g>`+"\n", x+cellW/2, y+cellH/2+4, text, c.Publications)
		}
	}
	s.text(left, top+7*cellH+24, "start", mutedColour, "", p.T("report.chart.heatmap-legend", i18n.Args{"Max": p.Percent(hi, 2)}))
	return s.bytes()
}
