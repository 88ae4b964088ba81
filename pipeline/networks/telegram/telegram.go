// Package telegram publishes to a Telegram channel or chat through a bot,
// with the Bot API (https://core.telegram.org/bots/api) and a bot token
// from the environment (HERALD_<KEY>_TOKEN). The bot must be an
// administrator of a channel with the right to post messages, or a member
// of a group that may send messages.
//
// A publication is one message per part, in Telegram's HTML parse mode
// (what render's telegram dialect writes): sendMessage for a text,
// sendPhoto for one image with its caption, sendMediaGroup for 2 to 10
// images with the caption on the first, the files uploaded from the
// calendar (multipart/form-data, attach://). Each part after the first
// replies to the one before (reply_parameters). A poll is sent with
// sendPoll, its question the first part's text.
//
// Exactly once: the Bot API takes no idempotency key and a bot cannot read
// a chat's history, so Lookup cannot tell whether an interrupted run's
// message went out. It returns an error (ErrNoHistory), on which the
// publish engine leaves the item in progress rather than send it again: a
// run killed between a send and its journal needs a person to look in the
// chat and confirm whether the post went out (herald publish --confirm
// POST@ACCOUNT --published or --not-published). Verify
// says so. A send is never repeated after it may have reached Telegram
// (httpx repeats it only after a 429, whose parameters.retry_after it
// waits out within the run's budget, or another answer that says it was
// not processed), and a thread stopped after its first parts is left for
// a person to finish rather than sent again from its start.
package telegram

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

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// DefaultAPI is the Bot API's public endpoint, to which /bot<token>/<method>
// is appended.
const DefaultAPI = "https://api.telegram.org"

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the token up (HERALD_<KEY>_TOKEN); default
	// os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key, and the token
	// added to its Secrets.
	HTTP httpx.Options
}

// Client is one Telegram account's publisher: a bot and a chat.
type Client struct {
	account  string
	tokenEnv string // HERALD_<KEY>_TOKEN, for a message that says where the token goes
	chat     string // @channel or a chat id
	base     *url.URL
	token    string
	http     *httpx.Client
}

var (
	_ networks.Publisher = (*Client)(nil)
	_ networks.Verifier  = (*Client)(nil)
)

// New returns the client of a Telegram account: its chat and API from the
// charter, its bot token from HERALD_<KEY>_TOKEN (a NotConfigured error
// when it is not set). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "telegram" {
		return nil, fmt.Errorf("account %s is a %s account, not a Telegram one", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	token, err := networks.Credential(getenv, a, networks.Secret{Field: "TOKEN", What: "bot token",
		Help: "the bot's token (123456789:AA...), from @BotFather's /newbot or /token; make the bot an administrator of the channel allowed to post messages"})
	if err != nil {
		return nil, err
	}
	token = strings.TrimSpace(token)
	chat, err := chatOf(a.Chat)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	base, err := apiURL(a.API)
	if err != nil {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: err}
	}
	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, token)
	opts.HTTP.HTTP = withRetryAfter(opts.HTTP.HTTP)
	return &Client{account: a.Key, tokenEnv: a.EnvName("TOKEN"), chat: chat, base: base, token: token,
		http: httpx.New(opts.HTTP)}, nil
}

// Open makes the client of a Telegram account for the registry
// (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// chatOf reads the account's chat: @channelusername, or a chat id (an
// integer, -100... for a channel or supergroup).
func chatOf(chat string) (string, error) {
	chat = strings.TrimSpace(chat)
	switch {
	case chat == "":
		return "", errors.New("chat is not set: give the account its channel, such as @maison, or a chat id")
	case strings.HasPrefix(chat, "@") && len(chat) > 1 && !strings.ContainsAny(chat[1:], "@/ "):
		return chat, nil
	}
	if _, err := strconv.ParseInt(chat, 10, 64); err == nil {
		return chat, nil
	}
	return "", fmt.Errorf("chat %q is neither @channelusername nor a chat id such as -1001234567890", chat)
}

// apiURL reads the account's api: an https URL, or http on the loopback
// interface (a test server, a local Bot API server); DefaultAPI when empty.
func apiURL(api string) (*url.URL, error) {
	if api == "" {
		api = DefaultAPI
	}
	u, err := url.Parse(strings.TrimRight(api, "/"))
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("api %q is not a URL such as %s", api, DefaultAPI)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	case u.Scheme == "http":
		return nil, fmt.Errorf("api %q: use https (the bot token would travel in clear)", api)
	default:
		return nil, fmt.Errorf("api %q is not an https URL", api)
	}
	return u, nil
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// link is where people see a message: https://t.me/<channel>/<id> for a
// public channel named by @username, "" for a chat named by its id.
func (c *Client) link(id int64) string {
	if name, ok := strings.CutPrefix(c.chat, "@"); ok {
		return "https://t.me/" + name + "/" + strconv.FormatInt(id, 10)
	}
	return ""
}

// endpoint is the URL of a Bot API method: <api>/bot<token>/<method>.
func (c *Client) endpoint(method string) string {
	u := *c.base
	u.Path = strings.TrimRight(u.Path, "/") + "/bot" + c.token + "/" + method
	return u.String()
}

// call sends a method with a JSON body and decodes its result into out.
// A read-only method (get...) may be sent again after a failure; a send
// is not, but after a 429 (see httpx).
func (c *Client) call(ctx context.Context, method string, params map[string]any, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(method), bytes.NewReader(body))
	if err != nil {
		return c.scrubbed(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if strings.HasPrefix(method, "get") {
		req = httpx.MarkIdempotent(req)
	}
	return c.send(req, method, out)
}

// send sends a request and decodes the Bot API's answer,
// {"ok": true, "result": ...}, into out.
func (c *Client) send(req *http.Request, method string, out any) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		OK          bool            `json:"ok"`
		Result      json.RawMessage `json:"result"`
		Description string          `json:"description"`
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(&answer)
	if err == nil && !answer.OK {
		err = fmt.Errorf("ok is false: %s", answer.Description)
	}
	if err == nil {
		err = json.Unmarshal(answer.Result, out)
	}
	if err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s: the answer is not the Bot API's: %v", method, c.scrubbed(err))}
	}
	return nil
}

// scrubbed is err without the token.
func (c *Client) scrubbed(err error) error {
	if c.token == "" || !strings.Contains(err.Error(), c.token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), c.token, "[redacted]"))
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}

// withRetryAfter returns an HTTP client like hc (nil: a 60 s timeout)
// whose 429 answers carry the Bot API's parameters.retry_after as a
// Retry-After header, which httpx honours: the Bot API says how long to
// wait in the body, not in a header.
func withRetryAfter(hc *http.Client) *http.Client {
	out := &http.Client{Timeout: 60 * time.Second}
	if hc != nil {
		copied := *hc
		out = &copied
	}
	base := out.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	out.Transport = retryAfterTransport{base: base}
	return out
}

type retryAfterTransport struct{ base http.RoundTripper }

func (t retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "" {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil // httpx reports the 429 without a wait
	}
	var answer struct {
		Parameters struct {
			RetryAfter int `json:"retry_after"`
		} `json:"parameters"`
	}
	if json.Unmarshal(body, &answer) == nil && answer.Parameters.RetryAfter > 0 {
		resp.Header = resp.Header.Clone()
		resp.Header.Set("Retry-After", strconv.Itoa(answer.Parameters.RetryAfter))
	}
	return resp, nil
}
