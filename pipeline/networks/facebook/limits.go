package facebook

import (
	"net/http"

	"github.com/herald-social/herald/pipeline/networks/internal/graph"
)

// Graph API error codes the Pages client acts on besides the rate limits
// every Graph API shares (Graph API, Handling Errors; Rate Limits).
const (
	codeUnknown        = 1     // API Unknown: possibly a temporary issue
	codeService        = 2     // API Service: temporary issue due to downtime
	codePermission     = 10    // API Permission Denied
	codeTokenExpired   = 190   // Access token has expired (or is invalid)
	codePagesBUC       = 80001 // Pages Business Use Case rate limit
	codeObjectNotFound = 100   // Invalid parameter, with
	subcodeNoObject    = 33    // the object does not exist or cannot be read
)

// withMetaLimits returns an HTTP client like hc (nil: a 60 s timeout)
// whose transport gives Graph API failures the HTTP status of what they
// mean, for httpx to classify (graph.Client): a rate limit is a 429 with
// Retry-After from Meta's usage headers, an expired or invalid token a
// 401, a permission denied a 403, a temporary issue a 503, an object
// that does not exist a 404. The body is left as Meta wrote it: its
// message is what the journal says.
func withMetaLimits(hc *http.Client) *http.Client { return graph.Client(hc, statusOf) }

// statusOf is the HTTP status a Graph API error means on a Page.
func statusOf(e *graph.Error) int {
	switch code := e.Code; {
	case graph.RateLimited(code, codePagesBUC):
		return http.StatusTooManyRequests
	case code == codeTokenExpired:
		return http.StatusUnauthorized
	case code == codePermission || (code >= 200 && code <= 299):
		return http.StatusForbidden
	case code == codeUnknown || code == codeService:
		return http.StatusServiceUnavailable
	case code == codeObjectNotFound && e.Subcode == subcodeNoObject:
		return http.StatusNotFound
	}
	return 0
}
