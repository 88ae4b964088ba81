package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Error is the error object of a Graph API answer
// (https://developers.facebook.com/docs/graph-api/guides/error-handling),
// which Facebook Pages, Instagram and Threads share.
type Error struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	UserTitle   string `json:"error_user_title"`
	UserMsg     string `json:"error_user_msg"`
	IsTransient bool   `json:"is_transient"`
	FBTraceID   string `json:"fbtrace_id"`
}

// ReadError reads the error object of an answer's body; nil when the body
// holds none.
func ReadError(body []byte) *Error {
	var answer struct {
		Error *Error `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return nil
	}
	return answer.Error
}

// Rate-limit codes every Graph API answers (Graph API, Rate Limiting):
// the application's, a user's, a Page's, and a custom limit of a call.
const (
	CodeAppTooManyCalls  = 4
	CodeUserTooManyCalls = 17
	CodePageTooManyCalls = 32
	CodeCustomRateLimit  = 613
)

// RateLimited reports whether code is one of the rate limits every Graph
// API shares, or one of more (a product's business use case limit:
// Pages' 80001, Instagram's 80002).
func RateLimited(code int, more ...int) bool {
	switch code {
	case CodeAppTooManyCalls, CodeUserTooManyCalls, CodePageTooManyCalls, CodeCustomRateLimit:
		return true
	}
	for _, c := range more {
		if code == c {
			return true
		}
	}
	return false
}

// Client returns an HTTP client like hc (nil: one with a 60 s timeout)
// whose transport gives a Graph API failure the HTTP status that
// statusOf says it means, for httpx to classify (statusOf returns 0 to
// keep the answer's own). Meta answers a rate limit, a refused token or a
// missing permission with HTTP 400 or 403 and a code in its error object:
// a network's statusOf turns them into 429, 401 and 403. A 429 gets a
// Retry-After from Meta's usage headers (RegainAccess) when it has none.
// The body is left as Meta wrote it, for the network's own messages.
func Client(hc *http.Client, statusOf func(*Error) int) *http.Client {
	out := &http.Client{Timeout: 60 * time.Second}
	if hc != nil {
		copied := *hc
		out = &copied
	}
	next := out.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	out.Transport = transport{next: next, statusOf: statusOf}
	return out
}

type transport struct {
	next     http.RoundTripper
	statusOf func(*Error) int
}

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil
	}
	if e := ReadError(body); e != nil {
		if status := t.statusOf(e); status != 0 && status != resp.StatusCode {
			resp.StatusCode = status
			resp.Status = strconv.Itoa(status) + " " + http.StatusText(status)
		}
	}
	if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		if wait := RegainAccess(resp.Header); wait > 0 {
			resp.Header = resp.Header.Clone()
			resp.Header.Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		}
	}
	return resp, nil
}
