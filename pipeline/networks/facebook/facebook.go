// Package facebook publishes to a Facebook Page through the Graph API
// (https://developers.facebook.com/docs/pages-api), with a Page access
// token from the environment (HERALD_<KEY>_TOKEN) sent in the
// Authorization header, never in a URL.
//
// A publication is one Page post (Facebook has no threads, and the Graph
// API no polls): POST /{page-id}/feed with its message. The message is
// the rendered text, links included: Facebook makes the preview of the
// first link itself, so Herald sends no link parameter. A post with
// images first uploads each one unpublished (POST /{page-id}/photos with
// published=false, its bytes as the multipart field source and its alt
// text as alt_text_custom), then attaches them to the post
// (attached_media[i]={"media_fbid": ...}). A post with a video is a
// video post of the Page (POST /{page-id}/videos, resumable upload: see
// publishVideo), its text the video's description; its id is the video's.
//
// The Graph API takes no idempotency key: Lookup finds a post an
// interrupted run made among the Page's recent posts (GET
// /{page-id}/posts), by its message, which is the text Herald sent.
//
// Meta signals rate limits with error codes (4, 17, 32, 613, and 80001
// for Pages) rather than with HTTP 429, and says how long to wait in the
// estimated_time_to_regain_access (minutes) of its X-Business-Use-Case-Usage
// and X-App-Usage headers: a small transport turns such an answer into a
// 429 with Retry-After, which httpx honours within the run's budget, and
// an expired or invalid token (code 190) into a 401.
package facebook

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

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// DefaultAPI is the Graph API's base URL, with the version Herald speaks.
const DefaultAPI = "https://graph.facebook.com/v24.0"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key, and its HTTP
	// client's transport is wrapped to read Meta's rate-limit answers.
	HTTP httpx.Options
}

// Client is one Facebook Page's publisher.
type Client struct {
	account  string
	tokenEnv string
	page     string
	base     *url.URL
	token    string
	http     *httpx.Client
	log      io.Writer
}

var (
	_ networks.Publisher       = (*Client)(nil)
	_ networks.Verifier        = (*Client)(nil)
	_ networks.FollowerCounter = (*Client)(nil)
)

// tokenHelp is what doctor tells a person to put in HERALD_<KEY>_TOKEN.
const tokenHelp = "a Page access token of the Page, with the permissions pages_manage_posts, pages_read_engagement and pages_show_list, and read_insights for views " +
	"(from GET /me/accounts with a long-lived user token of a Page admin, or a system user's token in Meta Business Suite: such a Page token does not expire)"

// New returns the client of a Facebook account: its page and api from
// the charter, its Page token from HERALD_<KEY>_TOKEN (a NotConfigured
// error when it is not set). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "facebook" {
		return nil, fmt.Errorf("account %s is a %s account, not a Facebook one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "Page access token", Help: tokenHelp})
	if err != nil {
		return nil, err
	}
	page := strings.TrimSpace(a.Page)
	if page == "" || strings.ContainsAny(page, "/?#& ") {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("page %q is not a Page id: give the account the numeric id of its Page (the Page's About > Page transparency, or GET /me?fields=id with its Page token)", a.Page)}
	}
	base, err := apiURL(a.API)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	token = strings.TrimSpace(token)
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, token)
	opts.HTTP.HTTP = withMetaLimits(opts.HTTP.HTTP)
	log := opts.HTTP.Log
	if log == nil {
		log = io.Discard
	}
	return &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), page: page, base: base, token: token,
		http: httpx.New(opts.HTTP), log: log}, nil
}

// Open makes the client of a Facebook account for the registry
// (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// apiURL reads the account's api: (httpx.BaseURL), DefaultAPI when empty.
func apiURL(api string) (*url.URL, error) { return httpx.BaseURL("api", api, DefaultAPI) }

// endpoint is the URL of a Graph API path ("/{page-id}/feed").
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	return u.String()
}

// get reads a node or an edge: a GET with its parameters in the query.
func (c *Client) get(ctx context.Context, path string, query url.Values, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(path, query), nil)
	if err != nil {
		return err
	}
	return c.send(req, out)
}

// send sends a Graph API call with the token and decodes its answer
// into out.
func (c *Client) send(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
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
			Err: fmt.Errorf("%s %s: the answer is not the JSON the Graph API describes: %v", req.Method, req.URL.Path, err)}
	}
	return nil
}

// explain adds to a refused token's error what to do.
func (c *Client) explain(err error) error {
	e, ok := errors.AsType[*networks.Error](err)
	if !ok {
		return err
	}
	switch e.Status {
	case http.StatusUnauthorized:
		e.Err = fmt.Errorf("%w: the Page access token is expired or invalid: make a new Page token of Page %s (pages_manage_posts, pages_read_engagement) and set it in %s", e.Err, c.page, c.tokenEnv)
	case http.StatusForbidden:
		e.Err = fmt.Errorf("%w: the token may not do this: give it the permissions pages_manage_posts, pages_read_engagement and pages_show_list, or use the Page token of Page %s, and set it in %s", e.Err, c.page, c.tokenEnv)
	}
	return err
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}
