// Package webhook delivers each publication to a receiver of the brand's
// own, as one signed JSON POST (SPEC.md, "Webhook (contract)"):
//
//	{"type": "herald.post", "timestamp": "<RFC 3339>", "data": {"post",
//	 "account", "date", "title", "campaign", "tags", "parts", "media":
//	 [{"src", "alt", "type", "sha256", "url"}]}}
//
// signed as Standard Webhooks define it (https://www.standardwebhooks.com):
// headers webhook-id, webhook-timestamp (Unix seconds) and
// webhook-signature ("v1," and the base64 HMAC-SHA256 of
// "id.timestamp.body" under the key that follows "whsec_" in
// HERALD_<KEY>_SECRET). The URL is the charter's url, or HERALD_<KEY>_URL
// when the URL itself is a secret; neither the secret nor such a URL ever
// appears in an error, a log line or doctor's message (only its host).
//
// Exactly once: webhook-id is the publication's idempotency key, the same
// on every retry and in every run, and Standard Webhooks receivers dedupe
// deliveries by it. A receiver cannot be asked what it received, so
// Lookup always answers not found and the engine delivers the publication
// again, with the same webhook-id, after a crash or a transient failure:
// the receiver's dedupe is what keeps it to one. A 2xx answer is a
// delivery; 408, 429 and 5xx are retried within the run's budget
// (Retry-After honoured), any other 4xx is a Permanent failure. A retry
// within a run resends the same signed request: the run's budget (2
// minutes by default) stays within the 5-minute tolerance receivers give
// webhook-timestamp. Redirects are not followed: the signed request goes
// to the URL configured, or fails.
//
// The HMAC is written by hand (crypto/hmac): the Standard Webhooks Go
// library is a folder of a multi-language repository, and signing is
// three lines of the standard library.
package webhook

import (
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// Options configure a Client. The zero value is the default of each field.
type Options struct {
	// Getenv looks the secret and the URL up (HERALD_<KEY>_SECRET,
	// HERALD_<KEY>_URL); default os.LookupEnv.
	Getenv func(string) (string, bool)
	// HTTP configures the requests: HTTP client, time budget, clock,
	// jitter, log. Its Account is set to the account's key.
	HTTP httpx.Options
	// MediaURL is the charter's media_url: each medium's url in the
	// payload is its path under it; "" leaves url out.
	MediaURL string
}

// Client delivers one webhook account's publications.
type Client struct {
	account   string
	target    *url.URL
	host      string // what messages say of the URL
	secretURL bool   // the URL came from HERALD_<KEY>_URL
	secretEnv string // HERALD_<KEY>_SECRET
	urlEnv    string // HERALD_<KEY>_URL
	key       []byte // the HMAC key, decoded from after whsec_
	mediaURL  string
	http      *httpx.Client
	now       func() time.Time
}

var (
	_ networks.Publisher = (*Client)(nil)
	_ networks.Verifier  = (*Client)(nil)
)

// Open makes the client of a webhook account for the registry
// (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env), MediaURL: env.MediaURL})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// New returns the client of a webhook account: its URL from
// HERALD_<KEY>_URL, else the charter's url (NotConfigured when neither is
// set), its key from HERALD_<KEY>_SECRET (NotConfigured when it is not set
// or not a whsec_ key). It makes no call.
func New(a *load.Account, opts Options) (*Client, error) {
	if a.Network != "webhook" {
		return nil, fmt.Errorf("account %s is a %s account, not a webhook", a.Key, a.Network)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.LookupEnv
	}
	secretEnv, urlEnv := a.EnvName("SECRET"), a.EnvName("URL")
	raw, secretURL := getenv(urlEnv)
	raw = strings.TrimSpace(raw)
	secretURL = secretURL && raw != ""
	if !secretURL {
		raw = a.URL
	}
	if raw == "" {
		return nil, &networks.Error{Kind: networks.NotConfigured, Account: a.Key, Env: urlEnv,
			Help: "the URL the receiver listens on, https://...; or give the account url: in the charter when it is not a secret",
			Err:  fmt.Errorf("webhook account %q has no url: set url: in the charter or %s", a.Key, urlEnv)}
	}
	target, err := targetURL(raw)
	if err != nil {
		if secretURL { // say what is wrong, never the URL
			return nil, &networks.Error{Kind: networks.NotConfigured, Account: a.Key, Env: urlEnv,
				Help: "the URL the receiver listens on, https://...", Err: fmt.Errorf("%s: %v", urlEnv, err)}
		}
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key, Err: fmt.Errorf("url %q: %v", raw, err)}
	}
	secret, err := networks.Credential(getenv, a, networks.Secret{Field: "SECRET", What: "signing secret",
		Help: "the receiver's Standard Webhooks signing secret: whsec_ followed by the base64 key"})
	if err != nil {
		return nil, err
	}
	secret = strings.TrimSpace(secret)
	key, err := signingKey(secret)
	if err != nil {
		return nil, &networks.Error{Kind: networks.NotConfigured, Account: a.Key, Env: secretEnv,
			Help: "the receiver's Standard Webhooks signing secret: whsec_ followed by the base64 key",
			Err:  fmt.Errorf("%s: %v", secretEnv, err)}
	}

	opts.HTTP.Account = a.Key
	opts.HTTP.Secrets = append(opts.HTTP.Secrets, secret, strings.TrimPrefix(secret, secretPrefix))
	if secretURL {
		opts.HTTP.Secrets = append(opts.HTTP.Secrets, raw, target.String())
		if p := strings.Trim(target.EscapedPath(), "/"); p != "" {
			opts.HTTP.Secrets = append(opts.HTTP.Secrets, p)
		}
		if target.RawQuery != "" {
			opts.HTTP.Secrets = append(opts.HTTP.Secrets, target.RawQuery)
		}
	}
	if opts.HTTP.Log != nil {
		opts.HTTP.Log = scrubber{w: opts.HTTP.Log, secrets: opts.HTTP.Secrets}
	}
	opts.HTTP.HTTP = noRedirects(opts.HTTP.HTTP)
	now := opts.HTTP.Now
	if now == nil {
		now = time.Now
	}
	return &Client{account: a.Key, target: target, host: target.Host, secretURL: secretURL,
		secretEnv: secretEnv, urlEnv: urlEnv, key: key, mediaURL: opts.MediaURL,
		http: httpx.New(opts.HTTP), now: now}, nil
}

const secretPrefix = "whsec_"

// signingKey decodes a Standard Webhooks secret: whsec_ and the base64
// key.
func signingKey(secret string) ([]byte, error) {
	b64, ok := strings.CutPrefix(secret, secretPrefix)
	if !ok {
		return nil, fmt.Errorf("the secret does not start with %s: give the receiver's Standard Webhooks secret", secretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("what follows %s is not a base64 key", secretPrefix)
	}
	return key, nil
}

// targetURL reads the receiver's URL: https, or http on the loopback
// interface (a test server, a local receiver). Its error never holds it.
func targetURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Fragment != "" {
		return nil, fmt.Errorf("not a URL such as https://hooks.example.com/herald")
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	case u.Scheme == "http":
		return nil, fmt.Errorf("use https: the payload and its signature would travel in clear")
	default:
		return nil, fmt.Errorf("not an https URL")
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

// noRedirects returns a copy of hc (nil: the default, with a 60 s
// timeout) that answers a redirect with the redirect itself: a signed POST
// is not sent anywhere else.
func noRedirects(hc *http.Client) *http.Client {
	c := http.Client{Timeout: 60 * time.Second}
	if hc != nil {
		c = *hc
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// scrubber removes the secrets from the log lines httpx writes (they name
// the request's path, which a secret URL holds).
type scrubber struct {
	w       io.Writer
	secrets []string
}

func (s scrubber) Write(p []byte) (int, error) {
	line := string(p)
	for _, secret := range s.secrets {
		if len(secret) >= 4 {
			line = strings.ReplaceAll(line, secret, "[redacted]")
		}
	}
	if _, err := io.WriteString(s.w, line); err != nil {
		return 0, err
	}
	return len(p), nil
}
