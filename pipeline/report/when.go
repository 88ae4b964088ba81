package report

import (
	"cmp"
	"slices"
	"time"
)

// MinPublicationsPerCell is how many publications a weekday and hour
// needs before the report suggests it: fewer, and one lucky post decides.
// Five is the smallest number at which one post more or less moves a
// cell's rate by a fifth at most.
const MinPublicationsPerCell = 5

// Heatmap is the engagement rate by weekday and hour of publication (in
// the charter's zone) over the calendar's history up to the period's end.
type Heatmap struct {
	// Basis is "views" (the engagement rate on views) or "followers" (per
	// follower), whichever more publications have; "" with none.
	Basis string
	Cells []Cell // the cells with publications, Monday first, by hour
	// Best is the cell with the highest rate among those with at least
	// MinPublicationsPerCell publications, nil when none has that many.
	Best *Cell
	// Overall is the rate over every publication of the heatmap.
	Overall *float64
	// Publications is how many publications the heatmap covers.
	Publications int
}

// Cell is one weekday and hour.
type Cell struct {
	Weekday      time.Weekday
	Hour         int
	Publications int
	Rate         float64
}

// heatmap makes the heatmap of publications.
func heatmap(pubs []*Publication, loc *time.Location) Heatmap {
	var views, perFollower int
	for _, p := range pubs {
		if p.Rate() != nil {
			views++
		} else if p.FollowerRate() != nil {
			perFollower++
		}
	}
	h := Heatmap{}
	var rateOf func(*Publication) (num, den int64, ok bool)
	switch {
	case views == 0 && perFollower == 0:
		return h
	case views >= perFollower:
		h.Basis = "views"
		rateOf = func(p *Publication) (int64, int64, bool) {
			if p.Rate() == nil {
				return 0, 0, false
			}
			return orZero(p.Engagements()), *p.Latest.Views, true
		}
	default:
		h.Basis = "followers"
		rateOf = func(p *Publication) (int64, int64, bool) {
			if p.FollowerRate() == nil {
				return 0, 0, false
			}
			return *p.Engagements(), *p.Followers, true
		}
	}
	type acc struct {
		n        int
		num, den int64
	}
	cells := map[[2]int]*acc{}
	var all acc
	for _, p := range pubs {
		num, den, ok := rateOf(p)
		if !ok {
			continue
		}
		t := p.At.In(loc)
		k := [2]int{(int(t.Weekday()) + 6) % 7, t.Hour()} // Monday first
		c := cells[k]
		if c == nil {
			c = &acc{}
			cells[k] = c
		}
		c.n++
		c.num += num
		c.den += den
		all.n++
		all.num += num
		all.den += den
	}
	for k, c := range cells {
		h.Cells = append(h.Cells, Cell{Weekday: time.Weekday((k[0] + 1) % 7), Hour: k[1], Publications: c.n, Rate: float64(c.num) / float64(c.den)})
	}
	slices.SortFunc(h.Cells, func(a, b Cell) int {
		return cmp.Or(cmp.Compare((a.Weekday+6)%7, (b.Weekday+6)%7), cmp.Compare(a.Hour, b.Hour))
	})
	for i := range h.Cells {
		c := &h.Cells[i]
		if c.Publications >= MinPublicationsPerCell && (h.Best == nil || c.Rate > h.Best.Rate) {
			h.Best = c
		}
	}
	h.Publications = all.n
	h.Overall = ratio(all.num, all.den)
	return h
}

// MaxRanked is how many publications the best and worst lists hold.
const MaxRanked = 5

// rank returns the publications with the highest rate, best first, and
// those with the lowest, worst first, leaving out those without a rate.
// The two lists never share a publication: with few, the better half is
// best and the other half worst.
func rank(pubs []*Publication, rate func(*Publication) *float64) (best, worst []*Publication) {
	var rated []*Publication
	for _, p := range pubs {
		if rate(p) != nil {
			rated = append(rated, p)
		}
	}
	slices.SortStableFunc(rated, func(a, b *Publication) int {
		return cmp.Or(cmp.Compare(*rate(b), *rate(a)), a.At.Compare(b.At))
	})
	n := len(rated)
	best = rated[:min(MaxRanked, (n+1)/2)]
	for i := n - 1; i >= n-min(MaxRanked, n/2); i-- {
		worst = append(worst, rated[i])
	}
	return best, worst
}
