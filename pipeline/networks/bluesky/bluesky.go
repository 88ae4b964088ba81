// Package bluesky is the client of a Bluesky account: it publishes posts
// and threads to the account's PDS over XRPC (AT Protocol), their videos
// processed first by Bluesky's video service (video.go), and reads their
// engagement from an AppView.
//
// Exactly once: each part of a post is written under a record key derived
// from the post id, the account and the part's index (RecordKey), so a
// retry after a crash writes where the first try wrote, and the PDS
// refuses a second record there; Lookup reads those keys back with
// com.atproto.repo.getRecord.
package bluesky

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	comatproto "github.com/bluesky-social/indigo/api/atproto"
	"github.com/bluesky-social/indigo/api/bsky"
	"github.com/bluesky-social/indigo/atproto/syntax"
	lexutil "github.com/bluesky-social/indigo/lex/util"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

const userAgent = "Herald (+https://github.com/herald-social/herald)"

// uploadTimeout is how long the upload of a large body (largeBody or
// more) may take.
const uploadTimeout = 15 * time.Minute

// Options are the effects a Client uses; the zero value is the real ones.
type Options struct {
	// Getenv looks the app password up (HERALD_<KEY>_PASSWORD);
	// default os.LookupEnv.
	Getenv func(string) (string, bool)
	// Retry is how XRPC calls are sent and retried (httpx): its HTTP
	// client, the run's time budget, the backoff. The client sets Account,
	// Secrets and Log. Link cards are fetched with a client of their own
	// (see Cards).
	Retry httpx.Options
	// Cards is how link cards are fetched; the zero value is the real
	// internet, guarded against private addresses.
	Cards CardOptions
	// Log receives what the client leaves out and why (a link card it
	// could not build); nil discards it.
	Log io.Writer
	// Public makes a client even when the app password is not set: the
	// AppView answers Stats, Followers and handle resolution without one
	// (herald stats needs no credentials for Bluesky). A call that needs
	// the account's session then fails NotConfigured.
	Public bool
}

// Client publishes to one Bluesky account. It is made once per run and
// logs in once, on its first call.
type Client struct {
	account     string
	handle      string
	pds         string
	appview     string
	video       string // the video service; "" for video: pds
	password    string
	passwordEnv string
	noPassword  error // the NotConfigured error of a Public client without a password
	http        *httpx.Client
	uploads     *httpx.Client // for bodies of several megabytes: a video
	cards       *cardFetcher
	log         io.Writer
	now         func() time.Time

	loginMu sync.Mutex // one createSession or refreshSession at a time
	mu      sync.Mutex // guards sess and dids
	sess    *session
	dids    map[string]string // handle → DID, "" when it does not resolve
}

var (
	_ networks.Publisher       = (*Client)(nil)
	_ networks.FollowerCounter = (*Client)(nil)
)

// New returns the client of a bluesky account: its handle, PDS and
// AppView from the charter, its app password from the environment. It
// makes no call: a missing password is a NotConfigured error, unless
// opts.Public.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "bluesky" {
		return nil, fmt.Errorf("account %s is a %s account, not a bluesky one", a.Key, a.Network)
	}
	if opts.Getenv == nil {
		opts.Getenv = os.LookupEnv
	}
	password, noPassword := networks.Credential(opts.Getenv, a, networks.Secret{Field: "PASSWORD", What: "app password",
		Help: "an app password of " + a.Handle + ", from Settings > Privacy and security > App passwords"})
	if noPassword != nil && !opts.Public {
		return nil, noPassword
	}
	if _, err := syntax.ParseHandle(a.Handle); err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("handle %q is not a Bluesky handle (such as maison.bsky.social): set handle: in the charter", a.Handle)}
	}
	pds, err := baseURL(a.Key, "pds", a.PDS, load.DefaultPDS)
	if err != nil {
		return nil, err
	}
	appview, err := baseURL(a.Key, "appview", a.AppView, load.DefaultAppView)
	if err != nil {
		return nil, err
	}
	var video string
	if a.Video != load.VideoPDS {
		if video, err = baseURL(a.Key, "video", a.Video, load.DefaultVideo); err != nil {
			return nil, err
		}
	}
	retry := opts.Retry
	retry.Account, retry.Log = a.Key, opts.Log
	now := retry.Now
	if now == nil {
		now = time.Now
	}
	if password != "" {
		retry.Secrets = append(retry.Secrets[:len(retry.Secrets):len(retry.Secrets)], password)
	}
	uploads := retry
	if uploads.HTTP == nil {
		// A video of 100 MB needs more than httpx's default timeout of a
		// minute on an uplink slower than 14 Mbit/s.
		uploads.HTTP = &http.Client{Timeout: uploadTimeout}
	}
	return &Client{
		account: a.Key, handle: strings.ToLower(a.Handle), pds: pds, appview: appview, video: video,
		password: password, passwordEnv: a.EnvName("PASSWORD"), noPassword: noPassword,
		http: httpx.New(retry), uploads: httpx.New(uploads), cards: newCardFetcher(opts.Cards), log: opts.Log, now: now,
		dids: map[string]string{},
	}, nil
}

// baseURL checks a service URL from the charter (def when empty) and
// returns it without a trailing slash.
func baseURL(account, field, v, def string) (string, error) {
	if v == "" {
		v = def
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" {
		return "", &networks.Error{Kind: networks.Permanent, Account: account,
			Err: fmt.Errorf("%s %q is not an http(s) URL such as %s", field, v, def)}
	}
	return strings.TrimRight(v, "/"), nil
}

// ref is a written part: its strong reference and record key.
type ref struct {
	uri, cid, rkey string
}

// Publish writes each part of p as an app.bsky.feed.post, each after the
// first a reply to the previous one with the first as root. A part whose
// record already exists (an earlier, interrupted run wrote it) is kept,
// not written again: the parts are written in order, so the first missing
// one starts what is left to write.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, &networks.Error{Kind: networks.Permanent, Account: c.account,
			Err: fmt.Errorf("post %s has no text to publish", p.PostID)}
	}
	s, err := c.session(ctx)
	if err != nil {
		return networks.Result{}, err
	}
	refs, err := c.existing(ctx, s.did, p)
	if err != nil {
		return networks.Result{}, err
	}
	for i := len(refs); i < len(p.Parts); i++ {
		var reply *bsky.FeedPost_ReplyRef
		if i > 0 {
			reply = &bsky.FeedPost_ReplyRef{
				Root:   &comatproto.RepoStrongRef{Uri: refs[0].uri, Cid: refs[0].cid},
				Parent: &comatproto.RepoStrongRef{Uri: refs[i-1].uri, Cid: refs[i-1].cid},
			}
		}
		post, err := c.record(ctx, p, i, reply)
		if err != nil {
			return c.result(refs), err
		}
		r, err := c.createRecord(ctx, s.did, RecordKey(c.account, p.PostID, i), post)
		if err != nil {
			return c.result(refs), err
		}
		refs = append(refs, r)
	}
	return c.result(refs), nil
}

// createRecord writes a post under its key. When the PDS answers an error,
// the record may exist all the same (written by this call before its
// answer was lost, or by an earlier run): getRecord decides.
func (c *Client) createRecord(ctx context.Context, did, rkey string, post *bsky.FeedPost) (ref, error) {
	in := comatproto.RepoCreateRecord_Input{
		Repo: did, Collection: postCollection, Rkey: &rkey,
		Record: &lexutil.LexiconTypeDecoder{Val: post},
	}
	var out comatproto.RepoCreateRecord_Output
	err := c.do(ctx, call{host: c.pds, nsid: "com.atproto.repo.createRecord", body: &in, auth: accessAuth, idempotent: true}, &out)
	if err == nil {
		return ref{uri: out.Uri, cid: out.Cid, rkey: rkey}, nil
	}
	if r, found, gerr := c.getRecord(ctx, did, rkey); gerr == nil && found {
		return r, nil
	}
	return ref{}, err
}

// getRecord reads the post under rkey; found is false when there is none.
func (c *Client) getRecord(ctx context.Context, did, rkey string) (ref, bool, error) {
	var out struct {
		URI string `json:"uri"`
		CID string `json:"cid"`
	}
	q := url.Values{"repo": {did}, "collection": {postCollection}, "rkey": {rkey}}
	err := c.do(ctx, call{host: c.pds, nsid: "com.atproto.repo.getRecord", query: q, auth: accessAuth}, &out)
	if errorName(err) == "RecordNotFound" {
		return ref{}, false, nil
	}
	if err != nil {
		return ref{}, false, err
	}
	return ref{uri: out.URI, cid: out.CID, rkey: rkey}, true, nil
}

// existing returns the parts of p that exist, in order, up to the first
// missing one: the parts are written in order, so none after it exists
// (unless someone deleted a post of the thread by hand).
func (c *Client) existing(ctx context.Context, did string, p networks.Publication) ([]ref, error) {
	var refs []ref
	for i := range p.Parts {
		r, found, err := c.getRecord(ctx, did, RecordKey(c.account, p.PostID, i))
		if err != nil || !found {
			return refs, err
		}
		refs = append(refs, r)
	}
	return refs, nil
}

// Lookup finds the records an earlier run wrote for p under its keys. It
// is found only when every part exists; when only the first parts do, it
// is not, and Publish writes the rest (the engine calls it next).
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	s, err := c.session(ctx)
	if err != nil {
		return networks.Result{}, false, err
	}
	refs, err := c.existing(ctx, s.did, p)
	if err != nil {
		return networks.Result{}, false, err
	}
	if len(refs) < len(p.Parts) {
		return c.result(refs), false, nil
	}
	return c.result(refs), true, nil
}

func (c *Client) result(refs []ref) networks.Result {
	var r networks.Result
	for _, x := range refs {
		r.IDs = append(r.IDs, x.uri)
		r.URLs = append(r.URLs, postURL(c.handle, x.rkey))
	}
	return r
}

func (c *Client) logf(format string, args ...any) {
	if c.log != nil {
		fmt.Fprintf(c.log, "bluesky %s: "+format+"\n", append([]any{c.account}, args...)...)
	}
}
