package stats

import (
	"context"
	"io/fs"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/mastodon"
)

// Instance is a server's limits that this run read again, for check and
// preview: state/instances/<account>.json (see mastodon.Facts).
type Instance struct {
	Calendar string
	Account  string
	Facts    mastodon.Facts
}

// instanceReader is a client that reads its server's limits: Mastodon's.
type instanceReader interface {
	Instance(ctx context.Context) (mastodon.Facts, error)
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
	ir, ok := p.(instanceReader)
	if !ok {
		return Instance{}, false
	}
	if cached, ok := mastodon.LoadFacts(base, a.Key); ok && r.now.Sub(cached.FetchedAt) < refreshLimits {
		return Instance{}, false
	}
	f, err := ir.Instance(ctx)
	if err != nil {
		rep.Problems = append(rep.Problems, r.problem(a, err))
		return Instance{}, false
	}
	f.FetchedAt = r.now.UTC()
	return Instance{Calendar: r.display, Account: a.Key, Facts: f}, true
}

// overlay is the files a commit writes, as a networks.Store that
// mastodon.SaveFacts writes into.
type overlay struct{ files map[string][]byte }

func (o overlay) ReadFile(name string) ([]byte, error) {
	if data, ok := o.files[name]; ok {
		return data, nil
	}
	return nil, fs.ErrNotExist
}

func (o overlay) WriteFile(name string, data []byte) error {
	o.files[name] = append([]byte(nil), data...)
	return nil
}
