package xtest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/dghubble/oauth1"

	"github.com/herald-social/herald/pipeline/networks/x/xtest"
)

// recorder is a test whose failures are recorded, to check that the
// server fails the test on what X does not allow.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestServerRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, method, path, ctype, body string
		signed                          bool
		want                            string
	}{
		{"unknown field", "POST", "/2/tweets", "application/json", `{"text":"a","nonce":"b"}`, true, `field "nonce"`},
		{"form body", "POST", "/2/tweets", "application/x-www-form-urlencoded", `text=a`, true, "want application/json"},
		{"tweet.fields", "GET", "/2/tweets?ids=1&tweet.fields=public_metrics", "", "", true, `"tweet.fields"`},
		{"unknown post field", "GET", "/2/tweets?ids=1&post.fields=retweet_count", "", "", true, `post.fields "retweet_count"`},
		{"no signature", "GET", "/2/users/me", "", "", false, "not OAuth 1.0a"},
		{"wrong method", "GET", "/2/media/metadata", "", "", true, "not an endpoint"},
		{"poll of five", "POST", "/2/tweets", "application/json", `{"text":"a","poll":{"options":["a","b","c","d","e"],"duration_minutes":60}}`, true, "poll"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			srv := xtest.New(rec)
			client := http.DefaultClient
			if tc.signed {
				client = oauth1.NewConfig(srv.ConsumerKey, srv.ConsumerSecret).Client(context.Background(), oauth1.NewToken(srv.AccessToken, srv.AccessSecret))
			}
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode < 400 {
				t.Errorf("HTTP %d", resp.StatusCode)
			}
			rec.mu.Lock()
			defer rec.mu.Unlock()
			if len(rec.errs) == 0 || !strings.Contains(strings.Join(rec.errs, "\n"), tc.want) {
				t.Errorf("the server's failures %q do not say %q", rec.errs, tc.want)
			}
			if len(srv.Posts()) != 0 {
				t.Error("a post was made")
			}
		})
	}
}

func TestServerQueuedReplyNeverUsed(t *testing.T) {
	rec := &recorder{TB: t}
	t.Run("inner", func(inner *testing.T) {
		rec.TB = inner
		srv := xtest.New(rec)
		srv.Queue("POST /2/tweets", srv.RateLimited(0))
	})
	if len(rec.errs) != 1 || !strings.Contains(rec.errs[0], "never used") {
		t.Errorf("failures %q, want one for the queued reply", rec.errs)
	}
}
