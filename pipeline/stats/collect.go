package stats

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/state"
)

// run samples one calendar: it reads the journal at the remote head,
// asks each account's network once for all its publications that are due
// (one account failing never stops the others), then commits every sample
// in one commit.
func (r *run) run(ctx context.Context, rep *Report) error {
	if repo := r.journal.Repository(); repo != "" {
		rep.Repository = repo
		r.opts.Hook("fetch")
		if err := r.journal.Fetch(ctx); err != nil {
			return err
		}
	}
	base := r.journal.Base()
	pending := r.due(base, rep)

	r.opts.Hook("networks")
	var t taken
	for _, key := range r.cal.Charter.AccountKeys() {
		a := r.cal.Charter.Accounts[key]
		if items := pending[key]; len(items) > 0 {
			t.samples = append(t.samples, r.sample(ctx, rep, a, base, items)...)
		}
		if f, ok := r.followers(ctx, rep, a, base); ok {
			t.followers = append(t.followers, f)
		}
		if in, ok := r.instance(ctx, rep, a, base); ok {
			t.instances = append(t.instances, in)
		}
		// Interrupted (SIGINT, SIGTERM): the calls that failed for it are
		// no account's failure, and what was taken is not committed, so
		// that the calendar is left as it was.
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if len(t.samples)+len(t.followers)+len(t.instances) == 0 {
		return nil
	}

	r.opts.Hook("commit")
	return r.commit(ctx, rep, t)
}

// due returns the publications that are due for a sample, by account
// key, in post order, and counts the others in rep.
func (r *run) due(base fs.FS, rep *Report) map[string][]*Sample {
	pending := map[string][]*Sample{}
	var window time.Duration // the longest of the accounts'
	for _, a := range r.cal.Charter.Accounts {
		window = max(window, a.Window())
	}
	for _, post := range r.cal.Posts {
		f, past, err := r.load(base, post.ID, window)
		if err != nil {
			rep.Problems = append(rep.Problems, Problem{Calendar: r.display, PostID: post.ID, What: "failed", Err: err})
			continue
		}
		rep.Expired += past
		for _, key := range f.Keys() {
			st, a := f.Accounts[key], r.cal.Charter.Accounts[key]
			if a == nil || st.Status != state.Published || len(st.IDs) == 0 {
				continue
			}
			var prev *state.Sample
			var last time.Time
			if n := len(st.Stats); n > 0 {
				s := st.Stats[n-1]
				prev, last = &s, s.At
			}
			switch timingOf(st.PublishedAt, last, r.now, a.Window()) {
			case due:
				pending[key] = append(pending[key], &Sample{Calendar: r.display, PostID: post.ID, Account: key,
					Network: a.Network, At: r.now, Previous: prev, ids: slices.Clone(st.IDs)})
			case recent:
				rep.Recent++
			case expired:
				rep.Expired++
			}
		}
	}
	return pending
}

// load reads a post's state file, strictly, unless it has publications
// and every one is older than window: then it returns only how many there
// are. Most
// state files of a calendar are such, and hold a growing series of
// samples: a calendar of 10,000 posts takes seconds to decode strictly,
// and a few milliseconds to skim for "published_at".
func (r *run) load(base fs.FS, postID string, window time.Duration) (*state.File, int, error) {
	name, err := state.Path(postID)
	if err != nil {
		return nil, 0, err
	}
	data, err := state.ReadFile(base, name)
	if errors.Is(err, fs.ErrNotExist) {
		return &state.File{}, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	if times, ok := publishedTimes(data); ok && len(times) > 0 && !slices.ContainsFunc(times, func(t time.Time) bool { return r.now.Sub(t) < window }) {
		return &state.File{}, len(times), nil
	}
	f, err := state.Decode(name, data)
	return f, 0, err
}

var publishedKey = []byte(`"published_at"`)

// publishedTimes finds the value of every "published_at" key in a state
// file without decoding it; ok is false when one is not a time as
// state.Encode writes it.
func publishedTimes(data []byte) (times []time.Time, ok bool) {
	for {
		i := bytes.Index(data, publishedKey)
		if i < 0 {
			return times, true
		}
		data = bytes.TrimLeft(data[i+len(publishedKey):], " \t\r\n")
		if len(data) == 0 || data[0] != ':' {
			continue // the key's text inside another string
		}
		data = bytes.TrimLeft(data[1:], " \t\r\n")
		end := bytes.IndexByte(data, ',')
		if j := bytes.IndexAny(data, "\n}"); j >= 0 && (end < 0 || j < end) {
			end = j
		}
		if end < 0 {
			return nil, false
		}
		var t time.Time
		if err := t.UnmarshalJSON(bytes.TrimSpace(data[:end])); err != nil {
			return nil, false
		}
		times = append(times, t)
		data = data[end:]
	}
}

// sample asks the account's network for the counts of every publication
// of items at once (the client batches as its API wants) and returns the
// samples, each the total of its thread's parts.
func (r *run) sample(ctx context.Context, rep *Report, a *load.Account, base fs.FS, items []*Sample) []Sample {
	p, err := r.publisher(a, base, rep)
	if err != nil {
		return nil
	}
	var ids []string
	for _, s := range items {
		ids = append(ids, s.ids...)
	}
	counts, err := p.Stats(ctx, ids)
	switch {
	case errors.Is(err, networks.ErrUnsupported):
		rep.Unsupported += len(items)
		return nil
	case err == nil && len(counts) != len(ids):
		err = fmt.Errorf("account %s: the network gave %d counts for %d posts", a.Key, len(counts), len(ids))
	}
	if err != nil {
		rep.Problems = append(rep.Problems, r.problem(a, err))
		return nil
	}
	out := make([]Sample, 0, len(items))
	i := 0
	for _, s := range items {
		s.Counts = state.Total(counts[i : i+len(s.ids)])
		i += len(s.ids)
		if s.Counts == (state.Counts{}) {
			// The network has none of its posts (deleted, or not indexed
			// yet): no sample, and it is asked again next run.
			rep.NotFound++
			continue
		}
		out = append(out, *s)
	}
	return out
}

// followers takes the account's follower count, when its network gives
// one (the publisher is a networks.FollowerCounter) and this --now has
// none yet.
func (r *run) followers(ctx context.Context, rep *Report, a *load.Account, base fs.FS) (Followers, bool) {
	p, err := r.publisher(a, base, rep)
	if err != nil || r.unconfigured[a.Key] {
		return Followers{}, false
	}
	fc, ok := p.(networks.FollowerCounter)
	if !ok {
		return Followers{}, false
	}
	fail := func(err error) (Followers, bool) {
		rep.Problems = append(rep.Problems, r.problem(a, err))
		return Followers{}, false
	}
	past, err := ReadFollowers(base, a.Key)
	if err != nil {
		return fail(err)
	}
	f := Followers{Calendar: r.display, Account: a.Key, Network: a.Network, At: r.now}
	if n := len(past); n > 0 {
		if !past[n-1].At.Before(r.now) {
			return Followers{}, false // counted at this --now already, or a replay
		}
		f.Previous = &past[n-1]
	}
	n, err := fc.Followers(ctx)
	switch {
	case errors.Is(err, networks.ErrUnsupported):
		return Followers{}, false
	case err != nil:
		return fail(err)
	}
	f.Followers = n
	return f, true
}

// problem is an account's failure; a client that finds its credentials
// missing only when called makes it not configured.
func (r *run) problem(a *load.Account, err error) Problem {
	what := "failed"
	if networks.KindOf(err) == networks.NotConfigured {
		what = "not-configured"
		r.unconfigured[a.Key] = true
	}
	return Problem{Calendar: r.display, Account: a.Key, What: what, Err: err}
}

// publisher makes an account's publisher once per calendar, and reports
// an account it cannot make as not configured, as herald publish does.
// Channels read the calendar at base and may write nothing.
func (r *run) publisher(a *load.Account, base fs.FS, rep *Report) (networks.Publisher, error) {
	if m, ok := r.made[a.Key]; ok {
		return m.p, m.err
	}
	env := r.env()
	if registry.IsChannel(a) {
		env.Store = readOnly{base}
	}
	p, err := r.opts.Publishers(a, env)
	r.made[a.Key] = made{p, err}
	if err != nil {
		rep.Problems = append(rep.Problems, Problem{Calendar: r.display, Account: a.Key, What: "not-configured", Err: err})
	}
	return p, err
}
