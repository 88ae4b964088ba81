// Package instagram publishes to an Instagram professional account through
// the Instagram API with Facebook Login (the Graph API, graph.facebook.com:
// https://developers.facebook.com/docs/instagram-platform/content-publishing),
// with an access token from the environment (HERALD_<KEY>_TOKEN) and the
// account's id from the charter's user field.
//
// Instagram fetches every medium from a public URL: the charter's
// media_url is the base under which the calendar's files are served, and
// a medium's URL is media_url followed by its path below the calendar.
// A post is one media container (an image with its alt_text, or a reel),
// or a carousel container whose children are one container per medium;
// Herald waits until the container's status_code is FINISHED, then
// publishes it (media_publish). Instagram has no threads and no polls, and
// a post without a medium cannot be published.
//
// Instagram takes no idempotency key: Lookup finds a publication an
// interrupted run made among the account's recent media, by its caption,
// which is the rendered text Herald sent.
package instagram

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

// DefaultAPI is the Graph API's base URL, with its version.
const DefaultAPI = "https://graph.facebook.com/v24.0"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// MediaURL is the charter's media_url; "" when it has none (a post
	// with media then fails, saying so).
	MediaURL string
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key.
	HTTP httpx.Options
}

// Client is one Instagram professional account's publisher.
type Client struct {
	account  string
	tokenEnv string
	user     string
	base     *url.URL
	token    string
	mediaURL string
	http     *httpx.Client
	now      func() time.Time
	log      io.Writer
}

var (
	_ networks.Publisher       = (*Client)(nil)
	_ networks.Verifier        = (*Client)(nil)
	_ networks.FollowerCounter = (*Client)(nil)
)

// New returns the client of an Instagram account: its user id and api
// from the charter, its token from HERALD_<KEY>_TOKEN (a NotConfigured
// error when it is not set). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "instagram" {
		return nil, fmt.Errorf("account %s is a %s account, not an Instagram one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "access token",
		Help: "a long-lived access token of a Meta app (Instagram API with Facebook Login) with the permissions instagram_basic, instagram_content_publish, instagram_manage_insights and pages_read_engagement: a Page access token of the Facebook Page linked to the Instagram account, or a System User token from Meta Business Suite"})
	if err != nil {
		return nil, err
	}
	user := strings.TrimSpace(a.User)
	if user == "" || strings.Trim(user, "0123456789") != "" {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("user %q is not an Instagram professional account id: give the account's numeric id (GET /me/accounts?fields=instagram_business_account with a Page token), such as 17841405822304914", a.User)}
	}
	base, err := apiURL(a.API)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	token = strings.TrimSpace(token)
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, token)
	opts.HTTP.HTTP = graph.Client(opts.HTTP.HTTP, statusOf)
	now := opts.HTTP.Now
	if now == nil {
		now = time.Now
	}
	log := opts.HTTP.Log
	if log == nil {
		log = io.Discard
	}
	return &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), user: user, base: base, token: token,
		mediaURL: strings.TrimSpace(opts.MediaURL), http: httpx.New(opts.HTTP), now: now, log: log}, nil
}

// Open makes the client of an Instagram account for the registry
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

// endpoint is the URL of a Graph API node or edge ("17841.../media").
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + path
	u.RawQuery = query.Encode()
	return u.String()
}

// get reads a node or edge: a GET with its parameters and the token in
// the query, as the reference's request syntax gives them.
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

// post creates on an edge, its parameters and the token in a form body
// (so that the token stays out of URLs). Sending it again is safe only
// where idempotent says so.
func (c *Client) post(ctx context.Context, path string, form url.Values, idempotent bool, out any) error {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("access_token", c.token)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(path, nil), strings.NewReader(f.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if idempotent {
		req = httpx.MarkIdempotent(req)
	}
	return c.send(req, path, out)
}

// send sends a Graph API call and decodes its answer into out.
func (c *Client) send(req *http.Request, path string, out any) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return c.explain(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err == nil && out != nil {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: the answer is not the JSON the Graph API describes: %v", req.Method, strings.ReplaceAll(path, c.token, "[redacted]"), err)}
	}
	return nil
}

// explain adds to a refused token what to do about it.
func (c *Client) explain(err error) error {
	e, ok := errors.AsType[*networks.Error](err)
	if !ok || e.Kind != networks.Permanent {
		return err
	}
	switch e.Status {
	case http.StatusUnauthorized:
		e.Err = fmt.Errorf("%w (Instagram refuses the access token: it expired, was revoked, or lost a permission; make a new long-lived token and set it in %s)", e.Err, c.tokenEnv)
	case http.StatusForbidden:
		e.Err = fmt.Errorf("%w (the access token lacks a permission: it needs instagram_basic, instagram_content_publish, instagram_manage_insights and pages_read_engagement; make a new token with them and set it in %s)", e.Err, c.tokenEnv)
	}
	return err
}

// codeInstagramBUC is Instagram's business use case rate limit, besides
// the rate limits every Graph API shares.
const codeInstagramBUC = 80002

// statusOf gives httpx the statuses it classifies (graph.Client): the
// Graph API answers a rate limit or a refused token with HTTP 400 or 403
// and a code in its error body
// (https://developers.facebook.com/docs/graph-api/guides/error-handling,
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting):
// 4, 17, 32, 613 and 80002 are rate limits (a 429, with a Retry-After
// from Meta's usage headers), 190 and 102 an expired or invalid token (a
// 401), 10 and 200-299 a missing permission (a 403).
func statusOf(e *graph.Error) int {
	switch code := e.Code; {
	case graph.RateLimited(code, codeInstagramBUC):
		return http.StatusTooManyRequests
	case code == 190 || code == 102:
		return http.StatusUnauthorized
	case code == 10 || (code >= 200 && code <= 299):
		return http.StatusForbidden
	}
	return 0
}
