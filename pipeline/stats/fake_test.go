package stats_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/state"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
)

// fakeNetwork plays every account that is not a channel. It asserts what
// stats asks of it: each account is asked once per run, for exactly the
// ids the test expects (all its due publications at once, thread parts in
// order), and never to publish.
type fakeNetwork struct {
	t *testing.T
	// counts are the engagement of each post, by the network's id.
	counts map[string]state.Counts
	// want are the ids each account must be asked for in one Stats call,
	// in order; an account not in want must not be asked.
	want map[string][]string
	// followers are the accounts that count followers (the publisher is a
	// networks.FollowerCounter), and their count.
	followers     map[string]int64
	fail          map[string]error // account → what Stats returns
	failFollowers map[string]error // account → what Followers returns
	notConfigured []string         // accounts whose publisher cannot be made

	mu            sync.Mutex
	asked         map[string][][]string // account → ids of each Stats call
	followerCalls map[string]int
}

func newNetwork(t *testing.T) *fakeNetwork {
	return &fakeNetwork{t: t, counts: map[string]state.Counts{}, want: map[string][]string{},
		followers: map[string]int64{}, fail: map[string]error{}, failFollowers: map[string]error{},
		asked: map[string][][]string{}, followerCalls: map[string]int{}}
}

// publishers is Options.Publishers: the real channels, the fake for the
// other accounts, a not-configured error for those listed.
func (n *fakeNetwork) publishers(a *load.Account, env networks.Env) (networks.Publisher, error) {
	switch {
	case a.Network == "feed" || a.Network == "outbox":
		if env.Store == nil {
			n.t.Errorf("account %s: a channel was made without the calendar to read", a.Key)
		} else if err := env.Store.WriteFile("probe.txt", nil); err == nil {
			n.t.Errorf("account %s: stats gave a channel a Store it may write into", a.Key)
		}
		return registry.Open(a, env)
	case slices.Contains(n.notConfigured, a.Key):
		name := a.EnvName("TOKEN")
		return nil, &networks.Error{Kind: networks.NotConfigured, Account: a.Key, Env: name, Err: fmt.Errorf("%s is not set", name)}
	}
	if env.Store != nil {
		n.t.Errorf("account %s: a network publisher was given the calendar", a.Key)
	}
	acct := &fakeAccount{n: n, key: a.Key}
	if _, ok := n.followers[a.Key]; ok {
		return &fakeCounter{acct}, nil
	}
	return acct, nil
}

// reset forgets the calls of a run, for the next.
func (n *fakeNetwork) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.asked = map[string][][]string{}
	n.followerCalls = map[string]int{}
}

// checkAsked asserts that every account in want was asked once, and the
// others never.
func (n *fakeNetwork) checkAsked() {
	n.t.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	for key, calls := range n.asked {
		if _, ok := n.want[key]; !ok {
			n.t.Errorf("account %s was asked for %v, want no call", key, calls)
		}
	}
	for key := range n.want {
		if len(n.asked[key]) != 1 {
			n.t.Errorf("account %s was asked %d times, want once", key, len(n.asked[key]))
		}
	}
	for key, calls := range n.followerCalls {
		if calls != 1 {
			n.t.Errorf("account %s: followers asked %d times, want once", key, calls)
		}
	}
}

type fakeAccount struct {
	n   *fakeNetwork
	key string
}

func (f *fakeAccount) Publish(context.Context, networks.Publication) (networks.Result, error) {
	f.n.t.Errorf("account %s: stats published", f.key)
	return networks.Result{}, fmt.Errorf("stats must not publish")
}

func (f *fakeAccount) Lookup(context.Context, networks.Publication) (networks.Result, bool, error) {
	f.n.t.Errorf("account %s: stats looked a publication up", f.key)
	return networks.Result{}, false, fmt.Errorf("stats must not look up")
}

func (f *fakeAccount) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	n := f.n
	n.mu.Lock()
	defer n.mu.Unlock()
	n.asked[f.key] = append(n.asked[f.key], slices.Clone(ids))
	want, ok := n.want[f.key]
	if !ok {
		n.t.Errorf("account %s asked for %v, want no call", f.key, ids)
	} else if diff := cmp.Diff(want, ids); diff != "" {
		n.t.Errorf("account %s asked for the wrong ids (-want +got):\n%s", f.key, diff)
	}
	if err := n.fail[f.key]; err != nil {
		return nil, err
	}
	out := make([]state.Counts, len(ids))
	for i, id := range ids {
		c, ok := n.counts[id]
		if !ok {
			n.t.Errorf("account %s: no post %s on the network", f.key, id)
		}
		out[i] = c
	}
	return out, nil
}

// fakeCounter is a fakeAccount whose network counts followers.
type fakeCounter struct{ *fakeAccount }

func (f *fakeCounter) Followers(ctx context.Context) (int64, error) {
	n := f.n
	n.mu.Lock()
	defer n.mu.Unlock()
	n.followerCalls[f.key]++
	if err := n.failFollowers[f.key]; err != nil {
		return 0, err
	}
	return n.followers[f.key], nil
}

// counts builds Counts; a negative number is a count the network does not
// give.
func counts(likes, reposts, replies, quotes, views int64) state.Counts {
	c := func(n int64) *int64 {
		if n < 0 {
			return nil
		}
		return state.Count(n)
	}
	return state.Counts{Likes: c(likes), Reposts: c(reposts), Replies: c(replies), Quotes: c(quotes), Views: c(views)}
}
