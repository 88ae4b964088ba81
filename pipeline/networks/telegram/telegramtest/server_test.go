package telegramtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/herald-social/herald/pipeline/networks/telegram/telegramtest"
)

// recorder is a testing.TB that keeps the failures a server reports and
// its cleanups, for a test of the server's own strictness.
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

func (r *recorder) finish() []string {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
	return r.errs
}

// TestStrict: the server fails the test on what the Bot API does not take
// or Herald does not send, and on a queued reply never used.
func TestStrict(t *testing.T) {
	tests := []struct {
		name, method, body string
		queue              bool // a reply to sendPoll is queued and never used
		want               string
	}{
		{name: "unknown field", method: "sendMessage", body: `{"chat_id":"@maison","text":"x","parse_mode":"HTML","disable_web_page_preview":true}`,
			want: `field "disable_web_page_preview" is not one of`},
		{name: "Markdown", method: "sendMessage", body: `{"chat_id":"@maison","text":"*x*","parse_mode":"MarkdownV2"}`,
			want: `parse_mode "MarkdownV2", want HTML`},
		{name: "reply_parameters not an object", method: "sendMessage", body: `{"chat_id":"@maison","text":"x","parse_mode":"HTML","reply_parameters":100}`,
			want: "reply_parameters"},
		{name: "poll options as strings", method: "sendPoll", body: `{"chat_id":"@maison","question":"q","options":["a","b"]}`,
			want: "not a JSON array of InputPollOption"},
		{name: "a method Herald does not call", method: "forwardMessage", body: `{}`, want: "not a method Herald calls"},
		{name: "a queued reply never used", method: "getMe", body: `{}`, queue: true, want: "1 queued replies to sendPoll were never used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			srv := telegramtest.New(rec)
			if tt.queue {
				srv.Fail("sendPoll", telegramtest.Reply{Status: 500, Description: "Internal Server Error"})
			}
			resp, err := http.Post(srv.URL+"/bot"+srv.Token+"/"+tt.method, "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			errs := rec.finish()
			if len(errs) != 1 || !strings.Contains(errs[0], tt.want) {
				t.Errorf("failures %q, want one saying %q", errs, tt.want)
			}
		})
	}
}
