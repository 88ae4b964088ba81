package threadstest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the failures the server reports.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestRefuses: what the docs do not allow fails the test.
func TestRefuses(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	form := func(v url.Values) *strings.Reader { return strings.NewReader(v.Encode()) }
	tests := []struct {
		name, method, path, ctype string
		body                      *strings.Reader
		says                      string
	}{
		{"no token", "GET", "/v1.0/me?fields=id", "", nil, "no access_token"},
		{"unknown field", "GET", "/v1.0/me?fields=id,email&access_token=" + s.Token, "", nil, `fields "email"`},
		{"unknown parameter", "GET", "/v1.0/" + s.User + "/threads?q=x&access_token=" + s.Token, "", nil, `parameter "q"`},
		{"json body", "POST", "/v1.0/" + s.User + "/threads", "application/json", strings.NewReader(`{"media_type":"TEXT"}`), "Content-Type"},
		{"query on a POST", "POST", "/v1.0/" + s.User + "/threads?media_type=TEXT", "application/x-www-form-urlencoded", form(url.Values{"access_token": {s.Token}}), "query of a POST"},
		{"alt text on text", "POST", "/v1.0/" + s.User + "/threads", "application/x-www-form-urlencoded",
			form(url.Values{"access_token": {s.Token}, "media_type": {"TEXT"}, "text": {"x"}, "alt_text": {"y"}}), "TEXT container"},
		{"unknown path", "GET", "/v1.0/someone/threads?access_token=" + s.Token, "", nil, "not an endpoint"},
		{"publish unread", "POST", "/v1.0/" + s.User + "/threads_publish", "application/x-www-form-urlencoded",
			form(url.Values{"access_token": {s.Token}, "creation_id": {"1"}}), "no container"},
	}
	for _, tt := range tests {
		rec.errors = nil
		var req *http.Request
		if tt.body != nil {
			req, _ = http.NewRequest(tt.method, s.URL+tt.path, tt.body)
		} else {
			req, _ = http.NewRequest(tt.method, s.URL+tt.path, nil)
		}
		if tt.ctype != "" {
			req.Header.Set("Content-Type", tt.ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 || len(rec.errors) == 0 || !strings.Contains(strings.Join(rec.errors, "; "), tt.says) {
			t.Errorf("%s: HTTP %d, failures %q; want 400 and a failure saying %q", tt.name, resp.StatusCode, rec.errors, tt.says)
		}
	}
}

// TestUnusedReplyFails: a queued reply never used fails the test.
func TestUnusedReplyFails(t *testing.T) {
	rec := &recorder{TB: t}
	t.Run("inner", func(t *testing.T) {
		rec.TB = t
		s := New(rec)
		s.Queue("me", Reply{Status: 500})
	})
	if len(rec.errors) != 1 || !strings.Contains(rec.errors[0], "never used") {
		t.Errorf("failures %q, want one about the queued reply", rec.errors)
	}
}
