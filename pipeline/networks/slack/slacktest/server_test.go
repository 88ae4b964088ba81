package slacktest

import (
	"encoding/json"
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
// allow, answers it as Slack would, and serves a well-made one.
func TestStrict(t *testing.T) {
	tests := []struct {
		name, method, path, contentType, body string
		noAuth                                bool
		wantFailure, wantError                string // "" for none
	}{
		{name: "a message", method: "POST", path: "/api/chat.postMessage", contentType: "application/json; charset=utf-8",
			body: `{"channel":"C0HERALD01","text":"Bonjour","metadata":{"event_type":"herald_post","event_payload":{"part":0}}}`},
		{name: "an unknown argument", method: "POST", path: "/api/chat.postMessage", contentType: "application/json; charset=utf-8",
			body: `{"channel":"C0HERALD01","text":"Bonjour","as_robot":true}`, wantFailure: `argument "as_robot"`, wantError: "invalid_arguments"},
		{name: "metadata with an unknown field", method: "POST", path: "/api/chat.postMessage", contentType: "application/json; charset=utf-8",
			body:        `{"channel":"C0HERALD01","text":"Bonjour","metadata":{"event_type":"x","event_payload":{},"key":1}}`,
			wantFailure: "metadata", wantError: "invalid_metadata_format"},
		{name: "a form to a JSON method", method: "POST", path: "/api/chat.postMessage", contentType: "application/x-www-form-urlencoded",
			body: "channel=C0HERALD01&text=Bonjour", wantFailure: "want application/json; charset=utf-8", wantError: "invalid_arguments"},
		{name: "JSON without charset", method: "POST", path: "/api/files.completeUploadExternal", contentType: "application/json",
			body: `{"files":[]}`, wantFailure: "want application/json; charset=utf-8", wantError: "invalid_arguments"},
		{name: "JSON to a form method", method: "POST", path: "/api/files.getUploadURLExternal", contentType: "application/json; charset=utf-8",
			body: `{"filename":"a.png","length":3}`, wantFailure: "want application/x-www-form-urlencoded", wantError: "invalid_arguments"},
		{name: "a POST to a read method", method: "POST", path: "/api/conversations.history", contentType: "application/x-www-form-urlencoded",
			body: "channel=C0HERALD01", wantFailure: "HTTP POST, want GET", wantError: "invalid_arguments"},
		{name: "a missing argument", method: "GET", path: "/api/conversations.replies?channel=C0HERALD01",
			wantFailure: `required argument "ts"`, wantError: "invalid_arguments"},
		{name: "the token as an argument", method: "GET", path: "/api/auth.test?token=xoxb-1",
			wantFailure: "Authorization header", wantError: "invalid_arguments"},
		{name: "no token", method: "GET", path: "/api/auth.test", noAuth: true, wantFailure: "want Bearer", wantError: "not_authed"},
		{name: "an unknown method", method: "GET", path: "/api/chat.scheduleMessage", wantFailure: "not a method", wantError: "unknown_method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := New(rec)
			defer s.Close()
			req, _ := http.NewRequest(tt.method, s.URL+tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if !tt.noAuth {
				req.Header.Set("Authorization", "Bearer "+s.Token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			data, _ := io.ReadAll(resp.Body)
			var env struct {
				OK    bool   `json:"ok"`
				Error string `json:"error"`
			}
			if err := json.Unmarshal(data, &env); err != nil || resp.StatusCode != 200 || env.OK != (tt.wantError == "") || env.Error != tt.wantError {
				t.Errorf("answer %d %s, want ok %v error %q", resp.StatusCode, data, tt.wantError == "", tt.wantError)
			}
			fails := rec.failures()
			switch {
			case tt.wantFailure == "" && len(fails) > 0:
				t.Errorf("failures %q, want none", fails)
			case tt.wantFailure != "" && (len(fails) == 0 || !strings.Contains(strings.Join(fails, "\n"), tt.wantFailure)):
				t.Errorf("failures %q, want one about %q", fails, tt.wantFailure)
			}
		})
	}
}

// TestUnusedReply: a queued reply that no request took fails the test at
// its end.
func TestUnusedReply(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.Queue("chat.postMessage", Reply{Status: 429, Header: map[string]string{"Retry-After": "1"}})
	for _, f := range rec.cleanups {
		f()
	}
	if fails := rec.failures(); len(fails) != 1 || !strings.Contains(fails[0], "chat.postMessage were never used") {
		t.Errorf("failures %q, want one about the unused reply", fails)
	}
}
