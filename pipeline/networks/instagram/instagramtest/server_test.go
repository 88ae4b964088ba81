package instagramtest

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

// TestStrict: the server fails the test on each request the reference
// does not allow, answers it with a Graph API error, and serves a
// well-made one.
func TestStrict(t *testing.T) {
	const user, token = "17841400000000001", "access_token=EAAGtestTOKENinstagram1234"
	tests := []struct {
		name, method, path, contentType, body string
		wantFailure                           string // "" for none
		wantStatus                            int
	}{
		{name: "an image container", method: "POST", path: "/v24.0/" + user + "/media", contentType: "application/x-www-form-urlencoded",
			body: "image_url=https%3A%2F%2Fcdn.example.com%2Fa.jpg&alt_text=A&caption=Hi&" + token, wantStatus: 200},
		{name: "an unknown parameter", method: "POST", path: "/v24.0/" + user + "/media", contentType: "application/x-www-form-urlencoded",
			body: "image_url=https%3A%2F%2Fcdn.example.com%2Fa.jpg&title=Hi&" + token, wantFailure: `parameter "title"`, wantStatus: 400},
		{name: "alt text on a reel", method: "POST", path: "/v24.0/" + user + "/media", contentType: "application/x-www-form-urlencoded",
			body: "video_url=https%3A%2F%2Fcdn.example.com%2Fa.mp4&media_type=REELS&alt_text=A&" + token, wantFailure: "neither image_url nor alt_text", wantStatus: 400},
		{name: "JSON", method: "POST", path: "/v24.0/" + user + "/media", contentType: "application/json",
			body: `{"image_url":"https://cdn.example.com/a.jpg"}`, wantFailure: "want application/x-www-form-urlencoded", wantStatus: 400},
		{name: "no token", method: "GET", path: "/v24.0/" + user + "?fields=username", wantFailure: "no access_token", wantStatus: 400},
		{name: "an unknown field", method: "GET", path: "/v24.0/" + user + "?fields=username,email&" + token, wantFailure: `field "email"`, wantStatus: 400},
		{name: "a deprecated metric", method: "GET", path: "/v24.0/179/insights?metric=impressions&" + token, wantFailure: `metric "impressions"`, wantStatus: 400},
		{name: "publishing nothing", method: "POST", path: "/v24.0/" + user + "/media_publish", contentType: "application/x-www-form-urlencoded",
			body: token, wantFailure: `required parameter "creation_id"`, wantStatus: 400},
		{name: "a GET of media_publish", method: "GET", path: "/v24.0/" + user + "/media_publish?creation_id=1&" + token, wantFailure: "HTTP GET, want POST", wantStatus: 400},
		{name: "another version", method: "GET", path: "/v19.0/" + user + "?" + token, wantFailure: "not a Graph API path", wantStatus: 400},
		{name: "a wrong token", method: "GET", path: "/v24.0/" + user + "?fields=username&access_token=EAAGother", wantStatus: 400},
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
			req, _ := http.NewRequest(tt.method, s.URL+tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d (%s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			fails := rec.failures()
			switch {
			case tt.wantFailure == "" && len(fails) > 0:
				t.Errorf("failures %q, want none", fails)
			case tt.wantFailure != "" && (len(fails) == 0 || !strings.Contains(strings.Join(fails, "\n"), tt.wantFailure)):
				t.Errorf("failures %q, want one saying %q", fails, tt.wantFailure)
			}
		})
	}
}

// TestUnusedReply: a queued reply never used fails the test at its end.
func TestUnusedReply(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.Queue("media_publish", Reply{Status: 500})
	for _, f := range rec.cleanups {
		f()
	}
	if fails := rec.failures(); len(fails) != 1 || !strings.Contains(fails[0], "never used") {
		t.Errorf("failures %q, want one about the unused reply", fails)
	}
}
