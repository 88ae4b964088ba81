// Package discord publishes to a Discord channel, in one of two modes:
//
//   - With a bot token (HERALD_<KEY>_BOT_TOKEN) and the account's
//     channel: each part is a message (POST /channels/{id}/messages), the
//     parts after the first replying to the one before. Each message
//     carries a nonce derived from the publication's idempotency key and
//     the part's number, with enforce_nonce, so that Discord itself
//     answers a second create of the same part, within a few minutes,
//     with the message it made the first time. Past those minutes, Lookup
//     (and Publish, before it posts) reads the channel's 50 latest
//     messages and finds the bot's own messages whose text is the parts'.
//   - With a webhook URL (HERALD_<KEY>_WEBHOOK): each part is executed on
//     the webhook with ?wait=true, which answers with the message made.
//     A webhook cannot read the channel, nor take a nonce: Lookup cannot
//     say whether an interrupted run's publication exists, and says so
//     with an error, so that the engine leaves the item in progress for a
//     person to check rather than post it twice. Stats are unsupported.
//
// The webhook URL holds the webhook's token: it never appears in an
// error, a log line or a Result. The API is described at
// https://discord.com/developers/docs/resources/message and
// .../resources/webhook.
package discord

import (
	"context"
	"encoding/json"
	"errors"
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

// DefaultAPI is Discord's public API, version 10.
const DefaultAPI = "https://discord.com/api/v10"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the credentials up (HERALD_<KEY>_BOT_TOKEN,
	// HERALD_<KEY>_WEBHOOK); default os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key.
	HTTP httpx.Options
}

// Client is one Discord account's publisher: a bot in a channel, or a
// webhook.
type Client struct {
	account string
	base    *url.URL // the API, such as https://discord.com/api/v10
	channel string   // bot mode: the channel id
	token   string   // bot mode: the bot token
	webhook *url.URL // webhook mode: the webhook's URL, a secret
	envName string   // the variable that holds the credential, for messages
	secrets []string // what is never said: the token, the webhook URL and its token
	http    *httpx.Client

	mu    sync.Mutex
	me    string  // bot mode: the bot's user id, read once
	guild *string // bot mode: the channel's guild id ("" for none), read once
}

var (
	_ networks.Publisher = (*Client)(nil)
	_ networks.Verifier  = (*Client)(nil)
)

// Open makes the client of a Discord account for the registry
// (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// New returns the client of a Discord account: a bot when
// HERALD_<KEY>_BOT_TOKEN is set (the account then needs its channel),
// else a webhook from HERALD_<KEY>_WEBHOOK; a NotConfigured error when
// neither is set. It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "discord" {
		return nil, fmt.Errorf("account %s is a %s account, not a Discord one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	c := &Client{account: a.Key}
	bot := networks.Secret{Field: "BOT_TOKEN", What: "bot token",
		Help: "the token of a bot in the channel's server, from the Discord Developer Portal (Applications > Bot > Token), with the permissions View Channel, Send Messages, Read Message History and Attach Files"}
	hook := networks.Secret{Field: "WEBHOOK", What: "webhook URL",
		Help: "the URL of a webhook of the channel (Channel settings > Integrations > Webhooks > Copy Webhook URL); or set a bot token in " + a.EnvName("BOT_TOKEN") + " and the account's channel"}
	if token, err := networks.Credential(getenv, a, bot); err == nil {
		if a.Channel == "" {
			return nil, c.permanent(fmt.Errorf("channel is not set: a bot posts to the channel id of the account's channel: field (in Discord, Copy Channel ID)"))
		}
		base, err := apiURL(a.API)
		if err != nil {
			return nil, c.permanent(err)
		}
		c.base, c.channel, c.token, c.envName = base, a.Channel, strings.TrimSpace(token), a.EnvName("BOT_TOKEN")
		c.secrets = []string{c.token}
	} else {
		raw, err := networks.Credential(getenv, a, hook)
		if err != nil {
			if a.Channel != "" { // a bot account whose token is missing
				_, err = networks.Credential(getenv, a, bot)
			}
			return nil, err
		}
		u, err := webhookURL(strings.TrimSpace(raw))
		if err != nil {
			return nil, c.permanent(fmt.Errorf("%s: %w", a.EnvName("WEBHOOK"), err))
		}
		c.webhook, c.envName = u, a.EnvName("WEBHOOK")
		c.secrets = []string{u.String(), strings.TrimSpace(raw), u.Path}
		if i := strings.LastIndex(u.Path, "/"); i >= 0 {
			c.secrets = append(c.secrets, u.Path[i+1:]) // the webhook's token
		}
	}
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, c.secrets...)
	opts.HTTP.HTTP = withRetryAfter(opts.HTTP.HTTP)
	if opts.HTTP.Log != nil {
		opts.HTTP.Log = scrubWriter{w: opts.HTTP.Log, secrets: c.secrets}
	}
	c.http = httpx.New(opts.HTTP)
	return c, nil
}

// apiURL reads the account's api: (httpx.BaseURL), DefaultAPI when empty.
func apiURL(api string) (*url.URL, error) { return httpx.BaseURL("api", api, DefaultAPI) }

// webhookURL reads a webhook's URL: https://discord.com/api/webhooks/ID/TOKEN.
// Its error never says the URL.
func webhookURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !secure(u) || u.Fragment != "" {
		return nil, fmt.Errorf("not an https URL such as https://discord.com/api/webhooks/<id>/<token>")
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 3 || parts[len(parts)-3] != "webhooks" || parts[len(parts)-2] == "" || parts[len(parts)-1] == "" {
		return nil, fmt.Errorf("the URL's path does not end in /webhooks/<id>/<token>, as Discord's Copy Webhook URL gives it")
	}
	u.RawQuery = ""
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}

func secure(u *url.URL) bool {
	if u.Scheme == "https" {
		return true
	}
	if u.Scheme != "http" {
		return false
	}
	host := u.Hostname()
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// do sends a request: to the API with the bot token, or, with an empty
// path in webhook mode, to the webhook. It returns the response (status
// below 400) for the caller to read; its error says neither the token nor
// the webhook URL.
func (c *Client) do(ctx context.Context, req *http.Request) (*http.Response, error) {
	if c.token != "" {
		req.Header.Set("Authorization", "Bot "+c.token)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "DiscordBot (https://github.com/herald-social/herald, 1)")
	resp, err := c.http.Do(req)
	if err != nil {
		if se, ok := errors.AsType[*httpx.ServerError](err); ok {
			se.Path = scrub(se.Path, c.secrets)
		}
		return nil, err
	}
	return resp, nil
}

// newRequest makes a request to an API path (bot mode) with a query.
func (c *Client) newRequest(ctx context.Context, method, p string, query url.Values, body io.Reader) (*http.Request, error) {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + p
	u.RawQuery = query.Encode()
	return http.NewRequestWithContext(ctx, method, u.String(), body)
}

// getJSON decodes the answer to a GET of an API path into v.
func (c *Client) getJSON(ctx context.Context, p string, query url.Values, v any) error {
	req, err := c.newRequest(ctx, http.MethodGet, p, query, nil)
	if err != nil {
		return err
	}
	resp, err := c.do(ctx, req)
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
			Err: fmt.Errorf("%s %s: the answer is not the JSON the Discord API describes: %v",
				resp.Request.Method, scrub(resp.Request.URL.Path, c.secrets), err)}
	}
	return nil
}

// self returns the bot's user id (GET /users/@me), read once per client.
func (c *Client) self(ctx context.Context) (string, error) {
	c.mu.Lock()
	me := c.me
	c.mu.Unlock()
	if me != "" {
		return me, nil
	}
	var u user
	if err := c.getJSON(ctx, "/users/@me", nil, &u); err != nil {
		return "", err
	}
	if u.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("GET /users/@me: the answer has no user id")}
	}
	c.mu.Lock()
	c.me = u.ID
	c.mu.Unlock()
	return u.ID, nil
}

// guildID returns the id of the channel's server, "" for a channel
// outside a server (a DM), read once per client: GET /channels/{id} with a
// bot, GET of the webhook (its object says its guild) with a webhook.
func (c *Client) guildID(ctx context.Context) (string, error) {
	c.mu.Lock()
	g := c.guild
	c.mu.Unlock()
	if g != nil {
		return *g, nil
	}
	var ch channel
	var err error
	if c.webhook != nil {
		_, err = c.getWebhook(ctx, &ch)
	} else {
		err = c.getJSON(ctx, "/channels/"+url.PathEscape(c.channel), nil, &ch)
	}
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.guild = &ch.GuildID
	c.mu.Unlock()
	return ch.GuildID, nil
}

// getWebhook reads the webhook's object (GET of its URL: read-only) into
// v, and returns its name.
func (c *Client) getWebhook(ctx context.Context, v any) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.webhook.String(), nil)
	if err != nil {
		return "", errors.New("discord: cannot build the request")
	}
	resp, err := c.do(ctx, req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("GET of the webhook: the answer is not the JSON the Discord API describes: %v", err)}
	}
	var named struct {
		Name string `json:"name"`
	}
	json.Unmarshal(data, &named)
	return named.Name, nil
}

// user is the part of Discord's user object Herald reads.
type user struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Bot      bool   `json:"bot"`
}

// channel is the part of Discord's channel object Herald reads.
type channel struct {
	ID      string `json:"id"`
	GuildID string `json:"guild_id"`
	Name    string `json:"name"`
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}

// scrub replaces every secret in s.
func scrub(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// scrubWriter is the log, without the secrets: httpx logs each retry with
// its request's path, which in webhook mode holds the webhook's token.
type scrubWriter struct {
	w       io.Writer
	secrets []string
}

func (s scrubWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(s.w, scrub(string(b), s.secrets)); err != nil {
		return 0, err
	}
	return len(b), nil
}

// withRetryAfter returns an HTTP client whose 429 answers say in their
// Retry-After header the wait Discord's body gives (retry_after, in
// seconds with a fraction), which httpx reads: the header alone is
// rounded up to whole seconds.
func withRetryAfter(h *http.Client) *http.Client {
	var out http.Client
	if h != nil {
		out = *h
	} else {
		out.Timeout = 60 * time.Second
	}
	next := out.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	out.Transport = retryAfterTransport{next: next}
	return &out
}

type retryAfterTransport struct{ next http.RoundTripper }

func (t retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	var limit struct {
		RetryAfter *float64 `json:"retry_after"`
	}
	if json.Unmarshal(body, &limit) == nil && limit.RetryAfter != nil && *limit.RetryAfter >= 0 {
		resp.Header.Set("Retry-After", fmt.Sprintf("%g", *limit.RetryAfter))
	}
	return resp, nil
}
