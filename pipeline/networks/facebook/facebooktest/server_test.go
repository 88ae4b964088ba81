package facebooktest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that keeps the failures the server reports,
// and the cleanups it registers for the test to run.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }

func (r *recorder) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// TestStrict: the server fails the test on each request the docs do not
// allow, answers it with a Graph API error, and serves a well-made one.
func TestStrict(t *testing.T) {
	const form = "application/x-www-form-urlencoded"
	tests := []struct {
		name, method, path, contentType, body string
		auth                                  string // "" for the server's token
		wantFailure                           string // "" for none
		wantStatus                            int
		wantBody                              string
	}{
		{name: "a post", method: "POST", path: "/feed", contentType: form, body: "message=Bonjour", wantStatus: 200, wantBody: `"id":"102030405060708_`},
		{name: "an unknown parameter", method: "POST", path: "/feed", contentType: form, body: "message=Bonjour&privacy=x",
			wantFailure: `parameter "privacy"`, wantStatus: 400, wantBody: `"code":100`},
		{name: "JSON to the feed", method: "POST", path: "/feed", contentType: "application/json", body: `{"message":"Bonjour"}`,
			wantFailure: "want application/x-www-form-urlencoded", wantStatus: 400},
		{name: "the token in the query", method: "GET", path: "/posts?fields=id&access_token=EAAG", wantFailure: "Authorization header", wantStatus: 400},
		{name: "a field Herald does not read", method: "GET", path: "/posts?fields=id,story", wantFailure: `field "story"`, wantStatus: 400},
		{name: "a GET of the feed", method: "GET", path: "/feed", wantFailure: "HTTP GET, want POST", wantStatus: 400},
		{name: "a photo without its file", method: "POST", path: "/photos", contentType: form, body: "published=false",
			wantFailure: "want multipart/form-data", wantStatus: 400},
		{name: "an unknown path", method: "GET", path: "/insights", wantFailure: "not an endpoint", wantStatus: 400},
		{name: "no token", method: "GET", path: "/posts", auth: "none", wantFailure: "want Bearer", wantStatus: 400, wantBody: `"code":104`},
		{name: "a wrong token", method: "GET", path: "/posts", auth: "Bearer EAAGwrong", wantStatus: 400, wantBody: `"code":190`},
		{name: "a post that does not exist", method: "GET", path: "_42?fields=shares", wantStatus: 400, wantBody: `"error_subcode":33`},
		{name: "a deprecated metric", method: "GET", path: "_42/insights?metric=post_impressions&period=lifetime",
			wantFailure: "post_impressions was deprecated", wantStatus: 400, wantBody: `"code":100`},
		{name: "a video as a form", method: "POST", path: "/videos", contentType: form, body: "upload_phase=start&file_size=10",
			wantFailure: "want multipart/form-data", wantStatus: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := New(rec)
			defer func() {
				for _, f := range rec.cleanups {
					f()
				}
			}()
			req, err := http.NewRequest(tt.method, s.API()+"/"+s.Page+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			switch tt.auth {
			case "":
				req.Header.Set("Authorization", "Bearer "+s.Token)
			case "none":
			default:
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || !strings.Contains(string(body), tt.wantBody) {
				t.Errorf("answer %d %s, want %d with %s", resp.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
			failures := rec.failures()
			switch {
			case tt.wantFailure == "" && len(failures) > 0:
				t.Errorf("failures %q, want none", failures)
			case tt.wantFailure != "" && (len(failures) != 1 || !strings.Contains(failures[0], tt.wantFailure)):
				t.Errorf("failures %q, want one saying %q", failures, tt.wantFailure)
			}
		})
	}
}

// TestQueuedNeverUsed: a reply queued and never used fails the test.
func TestQueuedNeverUsed(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.Queue("feed", RateLimit(s.Page, 1))
	for _, f := range rec.cleanups {
		f()
	}
	if f := rec.failures(); len(f) != 1 || !strings.Contains(f[0], "never used") {
		t.Errorf("failures %q, want one about the queued reply", f)
	}
}
