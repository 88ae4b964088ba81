// Package x publishes to an X account through the X API v2
// (https://docs.x.com/x-api), in OAuth 1.0a user context: the app's
// consumer key and secret and the account's access token and secret
// (HERALD_<KEY>_API_KEY, _API_SECRET, _ACCESS_TOKEN, _ACCESS_SECRET),
// which do not expire. Every request is signed with HMAC-SHA1 by
// github.com/dghubble/oauth1.
//
// A publication is one post per part (POST /2/tweets), each part after
// the first a reply to the one before (reply.in_reply_to_tweet_id); the
// first part carries the poll, if any. Images are uploaded with POST
// /2/media/upload, videos and GIFs in chunks (initialize, append,
// finalize, then the status until processed), and alt text is set with
// POST /2/media/metadata.
//
// X keeps no idempotency key: Lookup reads the account's recent posts
// (GET /2/users/{id}/tweets) for one whose text is exactly the first
// part's, then its replies in the same conversation with the next parts'
// texts. X also refuses a post with the same text as a recent one (403
// duplicate content): Publish reports it as a Permanent failure that
// names the earlier post when Lookup finds it.
//
// Rate limits: a 429 says when the window resets in x-rate-limit-reset
// (Unix seconds); the client waits that long when it fits in the run's
// budget.
package x

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/dghubble/oauth1"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// DefaultAPI is the X API's base URL; Herald appends /2/tweets and the
// other documented paths.
const DefaultAPI = "https://api.x.com"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the credentials up (HERALD_<KEY>_<FIELD>); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key.
	HTTP httpx.Options
}

// Client is one X account's publisher.
type Client struct {
	account string
	envs    string // the variables of the credentials, for messages
	userID  string // the charter's user_id, "" until resolved
	base    *url.URL
	http    *httpx.Client
	now     func() time.Time
	log     io.Writer
}

var (
	_ networks.Publisher       = (*Client)(nil)
	_ networks.Verifier        = (*Client)(nil)
	_ networks.FollowerCounter = (*Client)(nil)
)

// secrets are the four credentials of OAuth 1.0a user context.
var secrets = []networks.Secret{
	{Field: "API_KEY", What: "API key (consumer key)",
		Help: "the API Key of your X app, from the developer portal (Projects & Apps > your app > Keys and tokens > Consumer Keys)"},
	{Field: "API_SECRET", What: "API key secret (consumer secret)",
		Help: "the API Key Secret of your X app, shown with the API Key in the developer portal's Keys and tokens"},
	{Field: "ACCESS_TOKEN", What: "access token",
		Help: "the Access Token of the account, generated in the developer portal's Keys and tokens after setting the app's permissions to Read and Write"},
	{Field: "ACCESS_SECRET", What: "access token secret",
		Help: "the Access Token Secret shown with the Access Token in the developer portal's Keys and tokens"},
}

// New returns the client of an X account: its user_id and api from the
// charter, its credentials from the environment (a NotConfigured error
// names the first one missing). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "x" {
		return nil, fmt.Errorf("account %s is a %s account, not an X one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	creds := make([]string, len(secrets))
	var names []string
	for i, s := range secrets {
		v, err := networks.Credential(getenv, a, s)
		if err != nil {
			return nil, err
		}
		creds[i] = strings.TrimSpace(v)
		names = append(names, a.EnvName(s.Field))
	}
	base, err := apiURL(a.API)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	now := opts.HTTP.Now
	if now == nil {
		now = time.Now
	}
	httpClient := opts.HTTP.HTTP
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 60 * time.Second}
	}
	// The signing transport signs every attempt again (a new nonce and
	// timestamp), under the rate-limit translation.
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, httpClient)
	signed := oauth1.NewClient(ctx, oauth1.NewConfig(creds[0], creds[1]), oauth1.NewToken(creds[2], creds[3]))
	opts.HTTP.HTTP = &http.Client{Transport: rateLimitTransport{next: signed.Transport, now: now},
		Timeout: httpClient.Timeout, CheckRedirect: httpClient.CheckRedirect, Jar: httpClient.Jar}
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, creds...)
	log := opts.HTTP.Log
	if log == nil {
		log = io.Discard
	}
	return &Client{account: a.Key, envs: strings.Join(names, ", "), userID: strings.TrimSpace(a.UserID), base: base,
		http: httpx.New(opts.HTTP), now: now, log: log}, nil
}

// Open makes the client of an X account for the registry (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// apiURL reads the account's api: an https URL, or http on the loopback
// interface (a test server); DefaultAPI when it is empty.
func apiURL(api string) (*url.URL, error) {
	if api == "" {
		api = DefaultAPI
	}
	u, err := url.Parse(strings.TrimRight(api, "/"))
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("api %q is not a URL such as %s", api, DefaultAPI)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("api %q: use https", api)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("api %q is not an https URL", api)
	}
	return u, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// endpoint is the URL of a path of the API (/2/tweets).
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	return u.String()
}

// get reads a path, its arguments in the query.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(path, query), nil)
	if err != nil {
		return err
	}
	return c.send(req, out)
}

// postJSON sends a JSON body; idempotent says whether it may be sent
// again after it may have reached X (it makes nothing anybody sees).
func (c *Client) postJSON(ctx context.Context, path string, body any, idempotent bool, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path, nil), bytes.NewReader(data))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if idempotent {
		req = httpx.MarkIdempotent(req)
	}
	return c.send(req, out)
}

// refused are the statuses whose body send reads itself for X's problem
// (title, detail): httpx knows other shapes.
var refused = []int{400, 401, 403, 404, 409, 413, 422}

// send sends a request and decodes a success into out; a refusal is a
// networks.Error with X's own words.
func (c *Client) send(req *http.Request, out any) error {
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(httpx.AcceptStatus(req, refused...))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: reading the answer: %v", req.Method, req.URL.Path, err)}
	}
	if resp.StatusCode >= 400 {
		return c.refusal(req, resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: the answer is not the JSON the X API describes: %v", req.Method, req.URL.Path, err)}
	}
	return nil
}

// Problem is an X API refusal: the method and path, and what X said
// (its problem's title and detail, or its errors' messages).
type Problem struct {
	Method, Path string
	Status       int
	Title        string
	Detail       string
	// Advice says what to do, "" when Herald knows no more than X said.
	Advice string
}

func (p *Problem) Error() string {
	msg := p.Method + " " + p.Path + ": " + p.Title
	if p.Detail != "" && p.Detail != p.Title {
		msg += ": " + p.Detail
	}
	if p.Advice != "" {
		msg += " (" + p.Advice + ")"
	}
	return msg
}

// Duplicate reports whether X refused a post as a duplicate of a recent
// one.
func (p *Problem) Duplicate() bool {
	return p.Status == http.StatusForbidden && strings.Contains(strings.ToLower(p.Detail+" "+p.Title), "duplicate content")
}

// refusal turns a 4xx answer into a Permanent error with X's message.
func (c *Client) refusal(req *http.Request, resp *http.Response, data []byte) error {
	var body struct {
		Title  string `json:"title"`
		Detail string `json:"detail"`
		Errors []struct {
			Message string `json:"message"`
			Detail  string `json:"detail"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(data, &body)
	p := &Problem{Method: req.Method, Path: req.URL.Path, Status: resp.StatusCode, Title: body.Title, Detail: body.Detail}
	if p.Detail == "" {
		var msgs []string
		for _, e := range body.Errors {
			if m := cmpOr(e.Message, e.Detail); m != "" {
				msgs = append(msgs, m)
			}
		}
		p.Detail = strings.Join(msgs, "; ")
	}
	if p.Title == "" {
		p.Title = http.StatusText(resp.StatusCode)
	}
	p.Title, p.Detail = short(p.Title), short(p.Detail)
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		p.Advice = "X refused the OAuth 1.0a credentials: they were regenerated or revoked, or do not belong together; " +
			"generate the access token and secret again in the developer portal (Keys and tokens) and set " + c.envs
	case resp.StatusCode == http.StatusForbidden && !p.Duplicate() && strings.Contains(strings.ToLower(p.Detail), "permission"):
		p.Advice = "set the app's permissions to Read and Write in the developer portal (User authentication settings), " +
			"then generate the access token and secret again: a token keeps the permissions it was made with"
	}
	e := networks.HTTPError(c.account, resp, c.now(), p.Error())
	e.Err = p
	return e
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// short cuts what X said to 300 bytes.
func short(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

// rateLimitTransport gives a 429 the Retry-After that X's
// x-rate-limit-reset (the Unix time the window resets) implies, which
// httpx honours within the run's budget.
type rateLimitTransport struct {
	next http.RoundTripper
	now  func() time.Time
}

func (t rateLimitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" {
		return resp, err
	}
	if reset, perr := strconv.ParseInt(strings.TrimSpace(resp.Header.Get("X-Rate-Limit-Reset")), 10, 64); perr == nil {
		wait := time.Unix(reset, 0).Sub(t.now())
		secs := max(int64(0), int64((wait+time.Second-1)/time.Second))
		resp.Header.Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	return resp, nil
}

// problemOf is the X refusal err carries, nil when it is none.
func problemOf(err error) *Problem {
	p, _ := errors.AsType[*Problem](err)
	return p
}

// PostURL is the web page of a post.
func PostURL(id string) string { return "https://x.com/i/web/status/" + id }
