package facebook

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/herald-social/herald/pipeline/networks/internal/graph"
)

// graphError is the error object of a Graph API answer
// (https://developers.facebook.com/docs/graph-api/guides/error-handling).
type graphError struct {
	Message      string `json:"message"`
	Type         string `json:"type"`
	Code         int    `json:"code"`
	ErrorSubcode int    `json:"error_subcode"`
	FBTraceID    string `json:"fbtrace_id"`
}

// Graph API error codes Herald acts on (Graph API, Handling Errors; Rate
// Limits).
const (
	codeUnknown        = 1     // API Unknown: possibly a temporary issue
	codeService        = 2     // API Service: temporary issue due to downtime
	codeTooManyCalls   = 4     // API Too Many Calls (application)
	codePermission     = 10    // API Permission Denied
	codeUserTooMany    = 17    // API User Too Many Calls
	codePageTooMany    = 32    // Page-level throttling
	codeTokenExpired   = 190   // Access token has expired (or is invalid)
	codeRateCustom     = 613   // calls to this api have exceeded the rate limit
	codePagesBUC       = 80001 // Pages Business Use Case rate limit
	codeObjectNotFound = 100   // Invalid parameter, with
	subcodeNoObject    = 33    // the object does not exist or cannot be read
)

// rateLimited reports whether a Graph API error code is a rate limit.
func rateLimited(code int) bool {
	switch code {
	case codeTooManyCalls, codeUserTooMany, codePageTooMany, codeRateCustom, codePagesBUC:
		return true
	}
	return false
}

// withMetaLimits returns an HTTP client like hc (nil: a 60 s timeout)
// whose transport gives Graph API failures the HTTP status of what they
// mean, for httpx to classify: a rate limit is a 429 with Retry-After
// from Meta's usage headers, an expired or invalid token a 401, a
// permission denied a 403, a temporary issue a 503, an object that
// does not exist a 404. The body is left as
// Meta wrote it: its message is what the journal says.
func withMetaLimits(hc *http.Client) *http.Client {
	out := &http.Client{Timeout: 60 * time.Second}
	if hc != nil {
		copied := *hc
		out = &copied
	}
	next := out.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	out.Transport = metaTransport{next: next}
	return out
}

type metaTransport struct{ next http.RoundTripper }

func (t metaTransport) RoundTrip(req *http.Request) (*http.Response, error) {
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
	var answer struct {
		Error *graphError `json:"error"`
	}
	if json.Unmarshal(body, &answer) != nil || answer.Error == nil {
		return resp, nil
	}
	status := resp.StatusCode
	switch code := answer.Error.Code; {
	case rateLimited(code):
		status = http.StatusTooManyRequests
	case code == codeTokenExpired:
		status = http.StatusUnauthorized
	case code == codePermission || (code >= 200 && code <= 299):
		status = http.StatusForbidden
	case code == codeUnknown || code == codeService:
		status = http.StatusServiceUnavailable
	case code == codeObjectNotFound && answer.Error.ErrorSubcode == subcodeNoObject:
		status = http.StatusNotFound
	}
	if status == resp.StatusCode {
		return resp, nil
	}
	resp.StatusCode = status
	resp.Status = strconv.Itoa(status) + " " + http.StatusText(status)
	if status == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
		if wait := graph.RegainAccess(resp.Header); wait > 0 {
			resp.Header = resp.Header.Clone()
			resp.Header.Set("Retry-After", strconv.Itoa(int(wait/time.Second)))
		}
	}
	return resp, nil
}
