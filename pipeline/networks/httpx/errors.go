package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/networks"
)

// ServerError is what a server answered to a request that failed.
type ServerError struct {
	Method string // the request's method
	Path   string // the request's path, without its query
	Status int
	// Code is the server's machine-readable error where it gives one
	// (XRPC's "error": ExpiredToken, InvalidRequest), else "".
	Code string
	// Message is what the server said, or the status text when it said
	// nothing readable.
	Message string
}

func (e *ServerError) Error() string { return e.Method + " " + e.Path + ": " + e.Message }

// maxErrorBody is how much of an error's body is read for its message.
const maxErrorBody = 64 << 10

// statusError reads and closes the body of a failed response and
// classifies it (networks.HTTPError), with how long the server asks to
// wait.
func (c *Client) statusError(req *http.Request, resp *http.Response, secrets []string) *networks.Error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	// The path may hold a credential (Telegram's /bot<token>/method).
	se := &ServerError{Method: req.Method, Path: scrub(req.URL.Path, secrets), Status: resp.StatusCode}
	se.Code, se.Message = messageOf(resp.Header.Get("Content-Type"), body)
	if se.Message == "" {
		se.Message = http.StatusText(resp.StatusCode)
	}
	se.Message = scrub(se.Message, secrets)
	se.Code = scrub(se.Code, secrets)
	e := networks.HTTPError(c.opts.Account, resp, c.opts.Now(), se.Message)
	e.Err = se
	if wait := serverWait(resp.Header, c.opts.Now()); wait > 0 && e.Kind == networks.RateLimited {
		e.RetryAfter = wait
	}
	return e
}

// messageOf reads what a server said in an error's body: the JSON fields
// Mastodon (`error`), XRPC (`error`, `message`), OAuth
// (`error_description`) and Telegram's Bot API (`description`) use, else
// a short plain-text body.
func messageOf(contentType string, body []byte) (code, msg string) {
	var fields struct {
		Error            any    `json:"error"`
		Message          string `json:"message"`
		ErrorDescription string `json:"error_description"`
		Description      string `json:"description"`
	}
	if json.Unmarshal(body, &fields) == nil {
		errText, _ := fields.Error.(string)
		if m, ok := fields.Error.(map[string]any); ok { // {"error": {"message": ...}}
			errText, _ = m["message"].(string)
		}
		detail := fields.Message
		if detail == "" {
			detail = fields.ErrorDescription
		}
		if detail == "" {
			detail = fields.Description
		}
		if errText != "" && !strings.ContainsAny(errText, " \t") {
			code = errText
		}
		switch {
		case errText != "" && detail != "":
			return code, short(errText + ": " + detail)
		case detail != "":
			return code, short(detail)
		case errText != "":
			return code, short(errText)
		}
		return "", ""
	}
	mediaType, _, _ := mime.ParseMediaType(contentType)
	if mediaType == "text/plain" || mediaType == "" {
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		if utf8.ValidString(line) {
			return "", short(line)
		}
	}
	return "", "" // an HTML error page says nothing a person reading the journal needs
}

// short cuts a message to 300 bytes, at a rune boundary.
func short(s string) string {
	s = strings.TrimSpace(s)
	if len(s) <= 300 {
		return s
	}
	cut := 300
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// transportError is a request that got no answer: Transient, saying
// whether it may have reached the server.
func (c *Client) transportError(req *http.Request, err error, secrets []string) *networks.Error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err // its URL may hold a query with a credential
	}
	what := "no answer"
	if maySent(err) {
		what = "no answer (the request may have reached the server)"
	}
	msg := scrub(fmt.Sprintf("%s %s: %s: %v", req.Method, req.URL.Path, what, err), secrets)
	return &networks.Error{Kind: networks.Transient, Account: c.opts.Account, Err: &transportErr{msg: msg, err: err}}
}

// transportErr keeps the cause for errors.Is (context.Canceled) with a
// scrubbed message.
type transportErr struct {
	msg string
	err error
}

func (e *transportErr) Error() string { return e.msg }
func (e *transportErr) Unwrap() error { return e.err }

// maySent reports whether a request that failed with err may have reached
// the server: anything but a failure to resolve or to connect.
func maySent(err error) bool {
	if _, ok := errors.AsType[*net.DNSError](err); ok {
		return false
	}
	if op, ok := errors.AsType[*net.OpError](err); ok && op.Op == "dial" {
		return false
	}
	return true
}

// secretsOf are the values to scrub from what is said of req: the
// Authorization header's credential, credentials in its query, and the
// client's Secrets.
func (c *Client) secretsOf(req *http.Request) []string {
	secrets := append([]string(nil), c.opts.Secrets...)
	if auth := req.Header.Get("Authorization"); auth != "" {
		secrets = append(secrets, auth)
		if _, cred, ok := strings.Cut(auth, " "); ok {
			secrets = append(secrets, strings.TrimSpace(cred))
		}
	}
	for key, values := range req.URL.Query() {
		switch strings.ToLower(key) {
		case "access_token", "token", "password", "key", "secret":
			secrets = append(secrets, values...)
		}
	}
	return secrets
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

// serverWait is how long the server asks to wait before the next request:
// the longest of Retry-After (RFC 9110: seconds or an HTTP date),
// X-RateLimit-Reset (Mastodon: an ISO 8601 time) and RateLimit-Reset
// (IETF draft: seconds; Bluesky: a Unix time). 0 when none says.
func serverWait(h http.Header, now time.Time) time.Duration {
	var wait time.Duration
	for _, name := range []string{"Retry-After", "X-RateLimit-Reset", "RateLimit-Reset"} {
		if d := untilReset(h.Get(name), now); d > wait {
			wait = d
		}
	}
	return wait
}

// unixEpochFloor tells a Unix time from a number of seconds to wait: no
// server asks to wait 30 years.
const unixEpochFloor = 1_000_000_000

// untilReset reads one header's value: a number of seconds, a Unix time,
// an HTTP date or an ISO 8601 time.
func untilReset(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var at time.Time
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < unixEpochFloor {
			return max(0, time.Duration(n*float64(time.Second)))
		}
		at = time.Unix(0, int64(n*float64(time.Second)))
	} else if t, err := http.ParseTime(v); err == nil {
		at = t
	} else if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		at = t
	} else {
		return 0
	}
	return max(0, at.Sub(now))
}
