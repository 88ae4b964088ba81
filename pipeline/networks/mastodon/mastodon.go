// Package mastodon publishes to a Mastodon account, and to servers that
// speak its client API (GoToSocial, Pleroma, Akkoma), with an access token
// from the environment (HERALD_<KEY>_TOKEN). The token needs the scopes
// read:accounts, read:statuses, write:media and write:statuses: Herald
// reads the account's recent statuses before it posts.
//
// A publication is one status per part, each replying to the one before,
// each posted with its own Idempotency-Key (the publication's key and the
// part's number). Servers keep those keys an hour, some not at all, so
// Lookup and Publish both read the account's recent statuses first and
// match them to the parts by text (and number of media): a thread found
// whole is not posted again, a thread found in part is finished from
// where it stops. The API is described at
// https://docs.joinmastodon.org/methods/statuses/ and .../methods/media/.
package mastodon

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key.
	HTTP httpx.Options
}

// Client is one Mastodon account's publisher.
type Client struct {
	account    string
	tokenEnv   string   // HERALD_<KEY>_TOKEN, for a message that says where the token goes
	base       *url.URL // the server, without a trailing slash
	token      string
	visibility string
	http       *httpx.Client
	now        func() time.Time

	mu sync.Mutex
	me *account // the token's account, read once
}

var (
	_ networks.Publisher       = (*Client)(nil)
	_ networks.FollowerCounter = (*Client)(nil)
)

// New returns the client of a Mastodon account: its server from the
// charter, its token from HERALD_<KEY>_TOKEN (a NotConfigured error when
// it is not set).
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "mastodon" {
		return nil, fmt.Errorf("account %s is a %s account, not a Mastodon one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "access token",
		Help: "an access token with the scopes read:accounts read:statuses write:media write:statuses"})
	if err != nil {
		return nil, err
	}
	base, err := serverURL(a.Server)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	visibility := a.Visibility
	if visibility == "" {
		visibility = "public"
	}
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, token)
	now := opts.HTTP.Now
	if now == nil {
		now = time.Now
	}
	return &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), base: base, token: strings.TrimSpace(token), visibility: visibility,
		http: httpx.New(opts.HTTP), now: now}, nil
}

// serverURL reads the account's server: an https URL, or http on the
// loopback interface (a test server, a local instance).
func serverURL(server string) (*url.URL, error) {
	if server == "" {
		return nil, fmt.Errorf("server is not set: give the account its server, such as https://mastodon.social")
	}
	if !strings.Contains(server, "://") {
		server = "https://" + server
	}
	u, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("server %q is not a URL such as https://mastodon.social", server)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("server %q: use https (the token would travel in clear)", server)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("server %q is not an https URL", server)
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

// endpoint is the URL of an API path on the server, with a query.
func (c *Client) endpoint(path string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + path
	u.RawQuery = query.Encode()
	return u.String()
}

// do sends a request with the token and returns the response (status
// below 400) for the caller to read.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body io.Reader, contentType string, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.endpoint(path, query), body)
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.http.Do(req)
}

// getJSON decodes the answer to a GET into v.
func (c *Client) getJSON(ctx context.Context, path string, query url.Values, v any) error {
	resp, err := c.do(ctx, http.MethodGet, path, query, nil, "", nil)
	if err != nil {
		return err
	}
	return c.decode(resp, v)
}

// decode reads a JSON answer into v and closes it.
func (c *Client) decode(resp *http.Response, v any) error {
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(v); err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: the answer is not the JSON the Mastodon API describes: %v", resp.Request.Method, resp.Request.URL.Path, err)}
	}
	return nil
}

// account is the part of Mastodon's Account entity Herald reads.
type account struct {
	ID             string `json:"id"`
	Acct           string `json:"acct"`
	FollowersCount int64  `json:"followers_count"`
}

// self returns the token's account (GET /api/v1/accounts/verify_credentials),
// read once per client: a run.
func (c *Client) self(ctx context.Context) (*account, error) {
	c.mu.Lock()
	me := c.me
	c.mu.Unlock()
	if me != nil {
		return me, nil
	}
	var a account
	if err := c.getJSON(ctx, "/api/v1/accounts/verify_credentials", nil, &a); err != nil {
		return nil, err
	}
	if a.ID == "" {
		return nil, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("GET /api/v1/accounts/verify_credentials: the answer has no account id")}
	}
	c.mu.Lock()
	c.me = &a
	c.mu.Unlock()
	return &a, nil
}

// VerifyCredentials checks the token with a read-only call (GET
// /api/v1/accounts/verify_credentials) and returns the acct of the account
// it belongs to: its username, with @domain when the server is another.
// herald doctor calls it; a run reads the same account once (self).
func (c *Client) VerifyCredentials(ctx context.Context) (acct string, err error) {
	me, err := c.self(ctx)
	if err != nil {
		return "", err
	}
	return me.Acct, nil
}

// Followers returns the account's follower count, as
// verify_credentials gives it now.
func (c *Client) Followers(ctx context.Context) (int64, error) {
	var a account
	if err := c.getJSON(ctx, "/api/v1/accounts/verify_credentials", nil, &a); err != nil {
		return 0, err
	}
	return a.FollowersCount, nil
}
