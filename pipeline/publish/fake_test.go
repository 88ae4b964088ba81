package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sync"

	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/publication"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// fakeNetwork plays every account that is not a channel (mastodon,
// bluesky...). It asserts what it receives, as a network that refuses a
// bad request would, and keeps each publication by its idempotency key:
// a second Publish of a key is a duplicate post, the one thing Herald must
// never do, and fails the test.
//
// With file set, the publications live in that JSON file, written before
// Publish returns, so that they outlive a process killed right after: the
// crash tests count them across processes.
type fakeNetwork struct {
	errorf func(format string, args ...any) // t.Errorf, or a helper process's way to fail
	// want is the text of each part, by post id, that the accounts must
	// receive (the same on every account the fixture publishes to);
	// wantFor overrides it for a post on one account (post id + " " + account).
	want    map[string][]string
	wantFor map[string][]string
	lang    string           // the charter's locale
	fail    map[string]error // account key → what Publish returns
	// failAfter is, by account key, what Publish returns after the
	// network took the post: a timeout on the way back.
	failAfter map[string]error
	lookupErr error // what Lookup returns, when set
	file      string

	mu   sync.Mutex
	recs map[string]*fakeRecord // by idempotency key
}

// fakeRecord is one publication the network has.
type fakeRecord struct {
	Post    string   `json:"post"`
	Account string   `json:"account"`
	Digest  string   `json:"digest"`
	Parts   []string `json:"parts"`
	IDs     []string `json:"ids"`
	// Publishes counts the Publish calls with the key: anything but 1 is a
	// duplicate.
	Publishes int `json:"publishes"`
}

var keyPattern = regexp.MustCompile(`^herald-[0-9a-f]{32}$`)

func newFakeNetwork(errorf func(string, ...any), want map[string][]string) *fakeNetwork {
	return &fakeNetwork{errorf: errorf, want: maps.Clone(want), lang: "fr-FR", fail: map[string]error{}, wantFor: map[string][]string{},
		failAfter: map[string]error{}, recs: map[string]*fakeRecord{}}
}

// publishers is Options.Publishers: the real channels, the fake for every
// other account, and a not-configured error for the keys listed.
func (n *fakeNetwork) publishers(notConfigured ...string) func(*load.Account, networks.Env) (networks.Publisher, error) {
	return func(a *load.Account, env networks.Env) (networks.Publisher, error) {
		switch {
		case a.Network == "feed" || a.Network == "outbox":
			return registry.Open(a, env)
		case slices.Contains(notConfigured, a.Key):
			name := a.EnvName("TOKEN")
			return nil, &networks.Error{Kind: networks.NotConfigured, Account: a.Key, Env: name, Err: fmt.Errorf("%s is not set", name)}
		}
		if env.Store != nil {
			n.errorf("account %s: a network publisher was given the calendar to write into", a.Key)
		}
		return &fakeAccount{n: n, key: a.Key}, nil
	}
}

// records returns the publications, by idempotency key.
func (n *fakeNetwork) records() map[string]*fakeRecord {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.load(); err != nil {
		n.errorf("%v", err)
	}
	out := map[string]*fakeRecord{}
	for k, r := range n.recs {
		c := *r
		out[k] = &c
	}
	return out
}

func (n *fakeNetwork) load() error {
	if n.file == "" {
		return nil
	}
	data, err := os.ReadFile(n.file)
	if errors.Is(err, fs.ErrNotExist) {
		n.recs = map[string]*fakeRecord{}
		return nil
	}
	if err != nil {
		return err
	}
	recs := map[string]*fakeRecord{}
	if err := json.Unmarshal(data, &recs); err != nil {
		return fmt.Errorf("fake network %s: %v", n.file, err)
	}
	n.recs = recs
	return nil
}

// save writes the records as one step, synced to disk, before Publish
// returns.
func (n *fakeNetwork) save() error {
	if n.file == "" {
		return nil
	}
	data, err := json.MarshalIndent(n.recs, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(n.file), ".network-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), n.file)
}

// fakeAccount is the publisher of one account on the fake network.
type fakeAccount struct {
	n   *fakeNetwork
	key string
}

func (f *fakeAccount) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	n := f.n
	n.check(f.key, p)
	if err := n.fail[f.key]; err != nil {
		return networks.Result{}, err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.load(); err != nil {
		return networks.Result{}, err
	}
	if r, ok := n.recs[p.IdempotencyKey]; ok {
		r.Publishes++
		n.errorf("second Publish of %s on %s with key %s: a duplicate post", p.PostID, f.key, p.IdempotencyKey)
		return networks.Result{}, n.save()
	}
	r := &fakeRecord{Post: p.PostID, Account: f.key, Digest: p.Digest, Publishes: 1}
	for i, part := range p.Parts {
		r.Parts = append(r.Parts, part.Text)
		r.IDs = append(r.IDs, fmt.Sprintf("%s-%d-%d", f.key, len(n.recs)+1, i+1))
	}
	n.recs[p.IdempotencyKey] = r
	if err := n.save(); err != nil {
		return networks.Result{}, err
	}
	if err := n.failAfter[f.key]; err != nil {
		return networks.Result{}, err
	}
	return f.result(r), nil
}

func (f *fakeAccount) result(r *fakeRecord) networks.Result {
	res := networks.Result{IDs: slices.Clone(r.IDs)}
	for _, id := range r.IDs {
		res.URLs = append(res.URLs, "https://social.example/@maison/"+id)
	}
	return res
}

// Lookup finds a publication by its idempotency key, as a network that
// keeps keys does.
func (f *fakeAccount) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	n := f.n
	if p.Account != f.key || !keyPattern.MatchString(p.IdempotencyKey) {
		n.errorf("Lookup on %s of %s: account %q, key %q", f.key, p.PostID, p.Account, p.IdempotencyKey)
	}
	if n.lookupErr != nil {
		return networks.Result{}, false, n.lookupErr
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := n.load(); err != nil {
		return networks.Result{}, false, err
	}
	r, ok := n.recs[p.IdempotencyKey]
	if !ok {
		return networks.Result{}, false, nil
	}
	if r.Post != p.PostID || r.Account != f.key || r.Digest != p.Digest {
		n.errorf("Lookup of %s on %s found key %s recorded for %s on %s (%s)", p.PostID, f.key, p.IdempotencyKey, r.Post, r.Account, r.Digest)
	}
	return f.result(r), true, nil
}

func (f *fakeAccount) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	return nil, &networks.Error{Kind: networks.Unsupported, Account: f.key, Err: networks.ErrUnsupported}
}

// check asserts a publication as the network receives it: its account,
// the text of each part, media that exist, the digest of that content,
// the idempotency key derived from it, the language and the run's time.
func (n *fakeNetwork) check(account string, p networks.Publication) {
	if p.Account != account {
		n.errorf("Publish on %s of a publication for %q", account, p.Account)
	}
	want, ok := n.wantFor[p.PostID+" "+account]
	if !ok {
		want, ok = n.want[p.PostID]
	}
	var got []string
	for _, part := range p.Parts {
		got = append(got, part.Text)
	}
	switch {
	case !ok:
		n.errorf("Publish of %s on %s: the post is not due in this test", p.PostID, account)
	case !slices.Equal(got, want):
		n.errorf("Publish of %s on %s: parts %q, want %q", p.PostID, account, got, want)
	}
	for _, part := range p.Parts {
		for _, m := range part.Media {
			if _, err := fs.Stat(p.Files, m.Path); err != nil || m.Alt == "" || m.MIME == "" {
				n.errorf("Publish of %s on %s: medium %+v: %v", p.PostID, account, m, err)
			}
		}
	}
	digest, err := publication.Digest(p.Parts, p.Files)
	if err != nil || digest != p.Digest {
		n.errorf("Publish of %s on %s: digest %q, want %q (%v)", p.PostID, account, p.Digest, digest, err)
	}
	if !keyPattern.MatchString(p.IdempotencyKey) || p.IdempotencyKey != publication.IdempotencyKey(p.PostID, account, p.Digest) {
		n.errorf("Publish of %s on %s: idempotency key %q is not herald- and the 32 hex digits derived from post, account and digest", p.PostID, account, p.IdempotencyKey)
	}
	if p.Lang != n.lang {
		n.errorf("Publish of %s on %s: lang %q, want %q", p.PostID, account, p.Lang, n.lang)
	}
	if p.At.IsZero() || p.When.IsZero() {
		n.errorf("Publish of %s on %s: At %v, When %v: both must be set", p.PostID, account, p.At, p.When)
	}
}
