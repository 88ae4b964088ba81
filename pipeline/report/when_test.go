package report

import (
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/state"
)

// A cell is suggested only with MinPublicationsPerCell publications
// behind it: Tuesday 10h's 5 publications win over Friday 18h's single
// better one.
func TestHeatmapSuggestsOnlyWellSupportedCells(t *testing.T) {
	t.Parallel()
	paris, _ := time.LoadLocation("Europe/Paris")
	pub := func(at time.Time, eng, views int64) *Publication {
		return &Publication{PostID: at.String(), At: at, Latest: &state.Counts{Likes: state.Count(eng), Views: state.Count(views)}}
	}
	var pubs []*Publication
	for week := range 5 {
		// Tuesdays 3 to 31 November 2026 at 10:00: 10/500 = 0.02 each.
		pubs = append(pubs, pub(time.Date(2026, 11, 3+7*week, 10, 0, 0, 0, paris), 10, 500))
	}
	pubs = append(pubs, pub(time.Date(2026, 11, 6, 18, 0, 0, 0, paris), 90, 100)) // Friday 18h: 0.9, alone
	pubs = append(pubs, pub(time.Date(2026, 11, 9, 9, 0, 0, 0, paris), 0, 0))     // no view seen: no rate
	h := heatmap(pubs, paris)
	if h.Basis != "views" || h.Publications != 6 || len(h.Cells) != 2 {
		t.Fatalf("basis %q, %d publications, %d cells: want views, 6, 2", h.Basis, h.Publications, len(h.Cells))
	}
	if h.Best == nil || h.Best.Weekday != time.Tuesday || h.Best.Hour != 10 || h.Best.Publications != 5 || h.Best.Rate != 0.02 {
		t.Errorf("suggestion %+v, want Tuesday 10h on 5 publications at 0.02", h.Best)
	}
	// (5×10 + 90) / (5×500 + 100) = 140/2600
	if want := 140.0 / 2600; h.Overall == nil || *h.Overall != want {
		t.Errorf("overall %v, want %v", h.Overall, want)
	}
}
