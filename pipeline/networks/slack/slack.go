// Package slack publishes to a Slack channel with a bot token from the
// environment (HERALD_<KEY>_TOKEN, xoxb-...), through the Web API
// (https://docs.slack.dev/reference/methods). The bot needs the scopes
// chat:write, channels:history (groups:history in a private channel),
// files:write and reactions:read, and must be a member of the channel.
//
// A publication is one message per part: the first in the channel, the
// others in its thread. Each message carries metadata (event_type
// herald_post) with the publication's idempotency key, post, digest and
// part number, so that Lookup, and Publish before it posts, find in the
// channel's history (conversations.history with include_all_metadata,
// then conversations.replies) the messages an interrupted run made: a
// thread found whole is not posted again, one found in part is finished.
//
// A part's images are uploaded before its message (files.getUploadURLExternal,
// then their bytes to the URL it gives), and shared after it
// (files.completeUploadExternal) beside it: in the channel for the first
// part, in the thread for the others. A run killed between the message
// and the share leaves the message without its images; the file share
// message cannot carry metadata, so its text goes in the message that
// does.
package slack

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
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// DefaultAPI is the Web API's base URL.
const DefaultAPI = "https://slack.com/api"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key.
	HTTP httpx.Options
}

// Client is one Slack account's publisher: a bot in a channel.
type Client struct {
	account  string
	tokenEnv string
	channel  string
	base     *url.URL
	token    string
	http     *httpx.Client
	log      io.Writer
}

var (
	_ networks.Publisher = (*Client)(nil)
	_ networks.Verifier  = (*Client)(nil)
)

// New returns the client of a Slack account: its channel and api from
// the charter, its bot token from HERALD_<KEY>_TOKEN (a NotConfigured
// error when it is not set). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "slack" {
		return nil, fmt.Errorf("account %s is a %s account, not a Slack one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "bot token",
		Help: "the Bot User OAuth Token (xoxb-...) of a Slack app with the scopes chat:write, channels:history, files:write and reactions:read, from the app's OAuth & Permissions page"})
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(a.Channel) == "" {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: errors.New("channel is not set: give the account the id of its channel, such as C0123ABCDEF (in Slack: the channel's details, at the bottom)")}
	}
	if strings.HasPrefix(strings.TrimSpace(a.Channel), "#") {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("channel %q is a name: give the channel's id, such as C0123ABCDEF (in Slack: the channel's details, at the bottom), which reading its history takes", a.Channel)}
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
	return &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), channel: strings.TrimSpace(a.Channel), base: base,
		token: token, http: httpx.New(opts.HTTP), log: log}, nil
}

// Open makes the client of a Slack account for the registry
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

// endpoint is the URL of a Web API method.
func (c *Client) endpoint(method string, query url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/" + method
	u.RawQuery = query.Encode()
	return u.String()
}

// envelope is what every Web API answer holds.
type envelope struct {
	OK       bool   `json:"ok"`
	Error    string `json:"error"`
	Needed   string `json:"needed"` // missing_scope: the scope the token lacks
	Metadata struct {
		NextCursor string `json:"next_cursor"`
	} `json:"response_metadata"`
}

// get calls a read method: a GET with its arguments in the query.
func (c *Client) get(ctx context.Context, method string, query url.Values, out any) (envelope, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.endpoint(method, query), nil)
	if err != nil {
		return envelope{}, err
	}
	return c.send(req, method, out)
}

// postJSON calls a method with a JSON body. Sending it again is safe only
// where idempotent says so.
func (c *Client) postJSON(ctx context.Context, method string, args any, idempotent bool, out any) (envelope, error) {
	body, err := json.Marshal(args)
	if err != nil {
		return envelope{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(method, nil), bytes.NewReader(body))
	if err != nil {
		return envelope{}, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	if idempotent {
		req = httpx.MarkIdempotent(req)
	}
	return c.send(req, method, out)
}

// postForm calls a method with a form body; it makes nothing anybody
// sees, so it may be sent again.
func (c *Client) postForm(ctx context.Context, method string, form url.Values, out any) (envelope, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(method, nil), strings.NewReader(form.Encode()))
	if err != nil {
		return envelope{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(httpx.MarkIdempotent(req), method, out)
}

// send sends a Web API call with the token and decodes its answer into
// out; an answer with ok false is an error (apiError).
func (c *Client) send(req *http.Request, method string, out any) (envelope, error) {
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return envelope{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	var env envelope
	if err == nil {
		err = json.Unmarshal(data, &env)
	}
	if err == nil && env.OK && out != nil {
		err = json.Unmarshal(data, out)
	}
	if err != nil {
		return env, &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s: the answer is not the JSON the Web API describes: %v", method, err)}
	}
	if !env.OK {
		return env, c.apiError(method, env, resp)
	}
	return env, nil
}

// APIError is a Web API answer with ok false: the method and Slack's
// error code.
type APIError struct {
	Method, Code string
	// Advice says what the code means and what to do, "" when Herald
	// knows no more than the code.
	Advice string
}

func (e *APIError) Error() string {
	if e.Advice == "" {
		return e.Method + ": " + e.Code
	}
	return e.Method + ": " + e.Code + ": " + e.Advice
}

// apiError classifies Slack's error codes
// (https://docs.slack.dev/reference/methods, each method's Errors): the
// token refused, Permanent; ratelimited, RateLimited with the answer's
// Retry-After; Slack's own trouble, Transient; anything else, Permanent.
func (c *Client) apiError(method string, env envelope, resp *http.Response) error {
	ae := &APIError{Method: method, Code: env.Error}
	e := &networks.Error{Kind: networks.Permanent, Account: c.account, Err: ae}
	switch env.Error {
	case "invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "no_permission", "org_login_required":
		ae.Advice = fmt.Sprintf("Slack refuses the bot token: make a new one (the app's OAuth & Permissions page, Bot User OAuth Token xoxb-...) and set it in %s", c.tokenEnv)
	case "missing_scope":
		ae.Advice = fmt.Sprintf("the bot token lacks the scope %s: add it in the app's OAuth & Permissions page, reinstall the app, and set the new token in %s", env.Needed, c.tokenEnv)
	case "not_in_channel", "channel_not_found":
		ae.Advice = fmt.Sprintf("the bot cannot post in channel %s: check the charter's channel id and invite the bot (/invite @the-bot in the channel)", c.channel)
	case "ratelimited", "rate_limited":
		e.Kind = networks.RateLimited
		if d, err := time.ParseDuration(strings.TrimSpace(resp.Header.Get("Retry-After")) + "s"); err == nil && d > 0 {
			e.RetryAfter = d
		}
	case "internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org":
		e.Kind = networks.Transient
	}
	return e
}

// code is the Slack error code of err, "" when it is not a Web API error.
func code(err error) string {
	if ae, ok := errors.AsType[*APIError](err); ok {
		return ae.Code
	}
	return ""
}
