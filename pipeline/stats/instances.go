package stats

import (
	"context"
	"io/fs"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/state"
)

// Instance is a server's limits that this run read again, for check and
// preview: state/instances/<account>.json (see netspec.Facts).
type Instance struct {
	Calendar string
	Account  string
	Facts    netspec.Facts
}

// refreshLimits is how old cached server limits may be, by --now, before
// a run reads them again: a server seldom changes them, and each refresh
// is a change to commit.
const refreshLimits = 24 * time.Hour

// instance reads the server's limits of an account whose client can,
// when the calendar has none, or none younger than refreshLimits. They
// are dated --now, so that a replay decides the same.
func (r *run) instance(ctx context.Context, rep *Report, a *load.Account, base fs.FS) (Instance, bool) {
	p, err := r.publisher(a, base, rep)
	if err != nil || r.unconfigured[a.Key] {
		return Instance{}, false
	}
	ir, ok := p.(networks.FactsReader)
	if !ok {
		return Instance{}, false
	}
	// A cached file that cannot be read is read again from the server,
	// which repairs it.
	if cached, ok, _ := state.ReadFacts(base, a.Key); ok && r.now.Sub(cached.FetchedAt) < refreshLimits {
		return Instance{}, false
	}
	f, err := ir.Facts(ctx)
	if err != nil {
		rep.Problems = append(rep.Problems, r.problem(a, err))
		return Instance{}, false
	}
	f.FetchedAt = r.now.UTC()
	return Instance{Calendar: r.display, Account: a.Key, Facts: f}, true
}
