// Package threads publishes to a Threads profile through Meta's Threads
// API (https://developers.facebook.com/docs/threads), with a long-lived
// user access token from the environment (HERALD_<KEY>_TOKEN) and the
// profile's Threads user id from the charter (user:).
//
// A part is published in two steps, as the API's Posts document says: a
// media container (POST /{threads-user-id}/threads: TEXT, IMAGE, VIDEO,
// or CAROUSEL with its items made first with is_carousel_item), whose
// status is read (GET /{container-id}?fields=status,error_message) until
// it is FINISHED, then published (POST /{threads-user-id}/threads_publish).
// A thread's parts after the first reply each to the part before it
// (reply_to_id). A post's poll goes on its first part (poll_attachment,
// on a text-only post). Threads fetches images and videos from a public URL:
// the charter's media_url followed by the medium's path in the calendar.
// Before it publishes, a client reads the profile's publishing quota
// (GET /{threads-user-id}/threads_publishing_limit) and fails clearly
// when it is spent.
//
// The API takes no idempotency key. Lookup, and Publish before it posts,
// read the profile's recent threads (GET /{threads-user-id}/threads) for
// one whose text is exactly the first part's, then each part's replies
// (GET /{media-id}/replies) for the next part by the same profile: a
// thread found whole is not posted again, one found in part is finished.
//
// Errors are Meta's ({"error": {"message", "type", "code",
// "error_subcode"}}): code 190 is a token that expired or was refused;
// codes 4, 17, 32 and 613 are rate limits, retried within the run's
// budget after the wait X-Business-Use-Case-Usage gives.
package threads

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/graph"
)

// DefaultAPI is the Threads API's base URL (SPEC, Networks).
const DefaultAPI = "https://graph.threads.net/v1.0"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// MediaURL is the charter's media_url: a medium's public URL is it
	// followed by the medium's path. "" refuses posts with media.
	MediaURL string
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, sleep, log. Its Account is set to the account's key.
	HTTP httpx.Options
	// StatusPoll is how long to wait between two reads of a container's
	// status while Threads processes it; default 10s. The wait ends with
	// the run's budget.
	StatusPoll time.Duration
}

// Client is one Threads profile's publisher.
type Client struct {
	account  string
	tokenEnv string
	user     string
	base     *url.URL
	token    string
	mediaURL string
	poll     time.Duration
	http     *httpx.Client
	now      func() time.Time
	sleep    func(context.Context, time.Duration) error
	deadline time.Time // the end of the run's budget
	log      io.Writer
}

var (
	_ networks.Publisher       = (*Client)(nil)
	_ networks.Verifier        = (*Client)(nil)
	_ networks.FollowerCounter = (*Client)(nil)
)

// New returns the client of a Threads account: its user id and api from
// the charter, its token from HERALD_<KEY>_TOKEN (a NotConfigured error
// when it is not set). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "threads" {
		return nil, fmt.Errorf("account %s is a %s account, not a Threads one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "long-lived Threads user access token",
		Help: "a long-lived Threads user access token (60 days) of a Meta app with the Threads use case and the permissions threads_basic, threads_content_publish and threads_manage_insights; refresh it before it expires with GET https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token"})
	if err != nil {
		return nil, err
	}
	user := strings.TrimSpace(a.User)
	if user == "" || strings.Trim(user, "0123456789") != "" {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("user %q is not a Threads user id: give the account the numeric id that GET /me?fields=id,username answers with its token", a.User)}
	}
	base, err := apiURL(a.API)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	token = strings.TrimSpace(token)
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, token)
	opts.HTTP.HTTP = graph.Client(opts.HTTP.HTTP, statusOf)
	c := &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), user: user, base: base, token: token,
		mediaURL: opts.MediaURL, poll: opts.StatusPoll, http: httpx.New(opts.HTTP),
		now: opts.HTTP.Now, sleep: opts.HTTP.Sleep, log: opts.HTTP.Log}
	if c.poll <= 0 {
		c.poll = 10 * time.Second
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.log == nil {
		c.log = io.Discard
	}
	budget := opts.HTTP.Budget
	if budget <= 0 {
		budget = 2 * time.Minute // httpx's default
	}
	c.deadline = c.now().Add(budget)
	return c, nil
}

// Open makes the client of a Threads account for the registry
// (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// apiURL reads the account's api: (httpx.BaseURL), DefaultAPI when empty.
func apiURL(api string) (*url.URL, error) { return httpx.BaseURL("api", api, DefaultAPI) }

// endpoint is the URL of a path of the API ("/me").
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	return u.String()
}

// get reads a node or edge: the access token goes in the query, as the
// API's examples send it.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("access_token", c.token)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(path, q), nil)
	if err != nil {
		return err
	}
	return c.send(req, path, out)
}

// post sends a form (with the access token) to an edge. Sending it again
// after it may have reached Threads is safe only where idempotent says so.
func (c *Client) post(ctx context.Context, path string, form url.Values, idempotent bool, out any) error {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("access_token", c.token)
	body := f.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path, nil), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if idempotent {
		req = httpx.MarkIdempotent(req)
	}
	return c.send(req, path, out)
}

// send sends a call and decodes its answer into out. A 4xx answer is
// Meta's error object, classified by apiError; 429 (and the rate-limit
// codes statusOf turns into it) and 5xx are httpx's.
func (c *Client) send(req *http.Request, path string, out any) error {
	req.Header.Set("Accept", "application/json")
	req = httpx.AcceptStatus(req, http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: reading the answer: %v", req.Method, c.path(path), err)}
	}
	if resp.StatusCode >= 400 {
		return c.apiError(req.Method, path, resp.StatusCode, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: the answer is not the JSON the Threads API describes: %v", req.Method, c.path(path), err)}
	}
	return nil
}

// path is an API path as an error message shows it: the token never is
// in one, but a path may hold ids only.
func (c *Client) path(p string) string { return strings.ReplaceAll(p, c.token, "[redacted]") }

// APIError is an error the Threads API answered: its code and message.
type APIError struct {
	Method, Path string
	Code         int
	Subcode      int
	Message      string
	// Advice says what to do, "" when Herald knows no more than Meta
	// says.
	Advice string
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s %s: %s (code %d", e.Method, e.Path, e.Message, e.Code)
	if e.Subcode != 0 {
		s += fmt.Sprintf(", subcode %d", e.Subcode)
	}
	s += ")"
	if e.Advice != "" {
		s += ": " + e.Advice
	}
	return s
}

// apiError classifies an error answer: code 190 (or a 401) is the token
// refused, Permanent with what to do; is_transient and codes 1 and 2 are
// Meta's trouble, Transient; anything else is Permanent.
func (c *Client) apiError(method, path string, status int, body []byte) error {
	me := graph.ReadError(body)
	if me == nil {
		me = &graph.Error{}
	}
	ae := &APIError{Method: method, Path: c.path(path), Code: me.Code, Subcode: me.Subcode,
		Message: strings.ReplaceAll(me.Message, c.token, "[redacted]")}
	if ae.Message == "" {
		ae.Message = http.StatusText(status)
	}
	if me.UserMsg != "" {
		ae.Message += " — " + strings.ReplaceAll(me.UserMsg, c.token, "[redacted]")
	}
	e := &networks.Error{Kind: networks.Permanent, Account: c.account, Status: status, Err: ae}
	switch {
	case me.Code == 190 || status == http.StatusUnauthorized:
		ae.Advice = fmt.Sprintf("Threads refuses the access token (expired, revoked or not a Threads token): "+
			"a long-lived token lasts 60 days and is refreshed, while it is still valid, with GET https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token&access_token=...; "+
			"once expired, make a new one (the app's Threads use case, User Token Generator, then exchange it with GET /access_token?grant_type=th_exchange_token) and set it in %s", c.tokenEnv)
	case me.Code == 10 || (me.Code >= 200 && me.Code < 300):
		ae.Advice = fmt.Sprintf("the token lacks a permission: grant threads_basic, threads_content_publish and threads_manage_insights to the app, make a new token, and set it in %s", c.tokenEnv)
	case me.IsTransient || me.Code == 1 || me.Code == 2:
		e.Kind = networks.Transient
	}
	return e
}

// statusOf turns Meta's rate-limit answers (HTTP 4xx with error code 4,
// 17, 32 or 613: Graph API, Rate Limiting) into the 429 httpx retries,
// with a Retry-After from Meta's usage headers (graph.Client); every
// other error keeps its status, for apiError to read.
func statusOf(e *graph.Error) int {
	if graph.RateLimited(e.Code) {
		return http.StatusTooManyRequests
	}
	return 0
}

// code is the Meta error code of err, 0 when it is not an API error.
func code(err error) int {
	if ae, ok := errors.AsType[*APIError](err); ok {
		return ae.Code
	}
	return 0
}
