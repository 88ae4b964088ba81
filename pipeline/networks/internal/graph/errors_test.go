package graph

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestClient: a Graph API failure gets the status the network's statusOf
// gives its code, a 429 the Retry-After of Meta's usage headers, and the
// body stays as Meta wrote it; other answers pass as they are.
func TestClient(t *testing.T) {
	const rateBody = `{"error":{"message":"There have been too many calls","type":"OAuthException","code":80001,"fbtrace_id":"x"}}`
	tests := []struct {
		name         string
		status       int
		header, body string
		wantStatus   int
		wantRetry    string
	}{
		{"a rate limit answered 400", 400, `{"1":[{"estimated_time_to_regain_access":2}]}`, rateBody, 429, "120"},
		{"a token refused", 400, "", `{"error":{"message":"Session has expired","code":190,"error_subcode":463}}`, 401, ""},
		{"a code the network keeps", 400, "", `{"error":{"message":"Invalid parameter","code":100}}`, 400, ""},
		{"a 429 without a code", 429, `{"1":[{"estimated_time_to_regain_access":1}]}`, `{"error":{"message":"slow down"}}`, 429, "60"},
		{"not an error object", 502, "", "Bad Gateway", 502, ""},
		{"a success", 200, "", `{"id":"1"}`, 200, ""},
	}
	statusOf := func(e *Error) int {
		switch {
		case RateLimited(e.Code, 80001):
			return http.StatusTooManyRequests
		case e.Code == 190:
			return http.StatusUnauthorized
		}
		return 0
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.header != "" {
					w.Header().Set("X-Business-Use-Case-Usage", tt.header)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			resp, err := Client(nil, statusOf).Get(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || resp.Header.Get("Retry-After") != tt.wantRetry || string(body) != tt.body {
				t.Errorf("answer %d, Retry-After %q, body %s; want %d, %q, %s", resp.StatusCode, resp.Header.Get("Retry-After"), body, tt.wantStatus, tt.wantRetry, tt.body)
			}
		})
	}
}
