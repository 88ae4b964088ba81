// Package linkedin publishes to LinkedIn, as an organization (a company
// page) or a member, through the versioned Community Management APIs
// (https://learn.microsoft.com/linkedin/marketing/community-management/shares/posts-api):
// every call carries the access token from HERALD_<KEY>_TOKEN as a
// bearer token, LinkedIn-Version (the account's version:, YYYYMM,
// DefaultVersion when it has none) and X-Restli-Protocol-Version 2.0.0.
//
// A publication is one post (POST /rest/posts): LinkedIn has no threads,
// so render joins a thread's parts, and the API has no polls Herald
// sends. Its commentary is escaped as the "little" text format wants
// (Escape), so that LinkedIn shows exactly the text preview showed. Its
// images are uploaded first through the Images API
// (POST /rest/images?action=initializeUpload, then a PUT of the bytes to
// the uploadUrl it gives): one image is the post's content.media, with
// its alt text; two or more, a multi-image post (content.multiImage).
// A video goes alone in its post (content.media with a title): it is
// uploaded through the Videos API (POST /rest/videos?action=initializeUpload
// with its size, a PUT of each 4 MiB part to the uploadUrls it gives,
// finalizeUpload with the parts' ETags), then read
// (GET /rest/videos/{urn}) until LinkedIn has processed it (AVAILABLE).
//
// LinkedIn takes no idempotency key: Lookup reads the author's recent
// posts (GET /rest/posts?q=author) for one whose commentary is the one
// Herald sent. An organization's token reads them with
// r_organization_social; a member's needs r_member_social, which
// LinkedIn grants to select developers only: without it, a publication
// interrupted after its post waits for a person. Stats reads organizationalEntityShareStatistics for an
// organization (likes, comments, reposts, impressions) and socialActions
// for a member (likes, comments); Followers is an organization's
// follower count (networkSizes). Verify reads the organization
// (GET /rest/organizations/{id}), or the member (GET /v2/userinfo).
//
// An access token lasts 60 days: a 401 says it expired or was revoked
// and how to make a new one.
package linkedin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

const (
	// DefaultAPI is LinkedIn's API host.
	DefaultAPI = "https://api.linkedin.com"
	// DefaultVersion is the LinkedIn-Version sent when the account names
	// none: Marketing May 2026 (the docs' li-lms-2026-05), current when
	// this was written. LinkedIn keeps a version for a year at least.
	DefaultVersion = "202605"
	// RestliVersion is the X-Restli-Protocol-Version every call carries.
	RestliVersion = "2.0.0"
)

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests; its Account is set to the account's key.
	HTTP httpx.Options
}

// Client is one LinkedIn account's publisher: an author, organization
// or member.
type Client struct {
	account  string
	tokenEnv string
	author   string // urn:li:organization:N or urn:li:person:ID
	org      bool   // the author is an organization
	version  string
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

var (
	authorRE  = regexp.MustCompile(`^urn:li:(organization|person):([A-Za-z0-9_-]+)$`)
	versionRE = regexp.MustCompile(`^20[0-9]{2}(0[1-9]|1[0-2])$`)
)

// New returns the client of a LinkedIn account: its author, version and
// api from the charter, its token from HERALD_<KEY>_TOKEN (a
// NotConfigured error when it is not set). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "linkedin" {
		return nil, fmt.Errorf("account %s is a %s account, not a LinkedIn one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "access token",
		Help: "a 3-legged OAuth access token of a LinkedIn app with the Community Management API product, granted w_organization_social, r_organization_social and rw_organization_admin by an administrator of the page (w_member_social and openid profile for a member); it lasts 60 days"})
	if err != nil {
		return nil, err
	}
	author := strings.TrimSpace(a.Author)
	m := authorRE.FindStringSubmatch(author)
	if m == nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("author %q is not urn:li:organization:<id> (a company page: the number in its admin URL) or urn:li:person:<id> (a member: the sub of /v2/userinfo)", a.Author)}
	}
	version := strings.TrimSpace(a.Version)
	if version == "" {
		version = DefaultVersion
	}
	if !versionRE.MatchString(version) {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("version %q is not a LinkedIn-Version such as %s (YYYYMM)", a.Version, DefaultVersion)}
	}
	base, err := apiURL(a.API)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	token = strings.TrimSpace(token)
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, token)
	log := opts.HTTP.Log
	if log == nil {
		log = io.Discard
	}
	return &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), author: author, org: m[1] == "organization",
		version: version, base: base, token: token, http: httpx.New(opts.HTTP), log: log}, nil
}

// Open makes the client of a LinkedIn account for the registry.
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// apiURL reads the account's api: (httpx.BaseURL), DefaultAPI when empty.
func apiURL(api string) (*url.URL, error) { return httpx.BaseURL("api", api, DefaultAPI) }

// enc is a URN as Rest.li 2.0.0 wants it in a path segment or a query
// value: every reserved character percent-encoded (urn%3Ali%3Ashare%3A1).
func enc(urn string) string { return url.QueryEscape(urn) }

// endpoint is the URL of path (segments already encoded, as enc gives
// them) under the API's base, with a query already encoded: Rest.li's
// List(...) must keep its parentheses and commas.
func (c *Client) endpoint(path, rawQuery string) string {
	return strings.TrimRight(c.base.String(), "/") + path + queryPrefix(rawQuery)
}

func queryPrefix(q string) string {
	if q == "" {
		return ""
	}
	return "?" + q
}

// call is one request to LinkedIn.
type call struct {
	method, url string
	body        any  // sent as JSON when not nil
	out         any  // the JSON answer is decoded into it when not nil
	rest        bool // a /rest call: LinkedIn-Version and X-Restli-Protocol-Version
	finder      bool // a Rest.li finder: X-RestLi-Method FINDER
	// idempotent marks a POST that makes nothing anybody sees (an upload
	// being initialized): it may be sent again.
	idempotent bool
}

// do sends a call with the token and LinkedIn's headers, and decodes its
// JSON answer. It returns the response, its body read and closed.
func (c *Client) do(ctx context.Context, k call) (*http.Response, error) {
	var r io.Reader
	if k.body != nil {
		data, err := json.Marshal(k.body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, k.method, k.url, r)
	if err != nil {
		return nil, c.permanent(fmt.Errorf("%s: %v", k.method, err))
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if k.rest {
		req.Header.Set("LinkedIn-Version", c.version)
		req.Header.Set("X-Restli-Protocol-Version", RestliVersion)
	}
	if k.finder {
		req.Header.Set("X-RestLi-Method", "FINDER")
	}
	if k.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if k.idempotent {
		req = httpx.MarkIdempotent(req)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.advise(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err == nil && k.out != nil {
		err = json.Unmarshal(raw, k.out)
	}
	if err != nil {
		return resp, &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s %s: the answer is not the JSON LinkedIn documents: %v", k.method, req.URL.Path, err)}
	}
	return resp, nil
}

// advise adds to LinkedIn's refusals what a person should do.
func (c *Client) advise(err error) error {
	e, ok := errors.AsType[*networks.Error](err)
	if !ok {
		return err
	}
	switch e.Status {
	case http.StatusUnauthorized:
		e.Err = fmt.Errorf("%w: LinkedIn refuses the access token (it lasts 60 days, or was revoked): make a new one with the app's OAuth flow (or the token generator of the LinkedIn Developer Portal) and set it in %s", e.Err, c.tokenEnv)
	case http.StatusForbidden:
		e.Err = fmt.Errorf("%w: the token lacks a permission for %s: grant the app the scopes the package names (w_organization_social, r_organization_social, rw_organization_admin for a page; w_member_social for a member), make a new token, and set it in %s", e.Err, c.author, c.tokenEnv)
	}
	return e
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}
