package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/networks"
)

const token = "s3cr3t-token-value"

var start = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// answer is one response of the test server; hangup closes the connection
// without answering.
type answer struct {
	status int
	header map[string]string
	body   string
	hangup bool
}

// server answers each request with the next answer (the last one over and
// over) and checks that every request is the one the client was asked to
// send, with its body whole.
func server(t *testing.T, wantMethod, wantBody string, answers []answer) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var mu sync.Mutex
	n := 0
	var count atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := answers[min(n, len(answers)-1)]
		n++
		mu.Unlock()
		count.Add(1)
		body, _ := io.ReadAll(r.Body)
		if r.Method != wantMethod || r.URL.Path != "/api/v1/statuses" || string(body) != wantBody {
			t.Errorf("request %s %s %q, want %s /api/v1/statuses %q", r.Method, r.URL.Path, body, wantMethod, wantBody)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+token {
			t.Errorf("Authorization = %q", got)
		}
		if a.hangup {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		if strings.HasPrefix(a.body, "{") {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	return srv, &count
}

func TestDo(t *testing.T) {
	iso := func(d time.Duration) string { return start.Add(d).Format("2006-01-02T15:04:05.000000Z") }
	tooMany := `{"error":"Too many requests"}`
	tests := []struct {
		name    string
		method  string
		key     string // Idempotency-Key
		answers []answer
		budget  time.Duration
		max     time.Duration // MaxDelay
		// what the call must come to
		requests int
		slept    []time.Duration
		kind     networks.Kind // 0: success
		status   int
		after    time.Duration
		message  string
	}{
		{name: "success", method: "GET", answers: []answer{{status: 200, body: "{}"}}, requests: 1},
		{name: "5xx retried with backoff", method: "GET",
			answers:  []answer{{status: 502}, {status: 500, body: `{"error":"oops"}`}, {status: 200, body: "{}"}},
			requests: 3, slept: []time.Duration{500 * time.Millisecond, time.Second}},
		{name: "backoff is capped", method: "GET", max: 2 * time.Second,
			answers:  []answer{{status: 500, body: `{"error":"Internal error"}`}},
			requests: 5, slept: []time.Duration{500 * time.Millisecond, time.Second, time.Second, time.Second},
			kind: networks.Transient, status: 500, message: "account mastodon: HTTP 500: GET /api/v1/statuses: Internal error"},
		{name: "5xx until the budget is spent", method: "GET", budget: 1200 * time.Millisecond,
			answers:  []answer{{status: 504}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond},
			kind: networks.Transient, status: 504, message: "HTTP 504: GET /api/v1/statuses: Gateway Timeout"},
		{name: "a 5xx waits the backoff, not the rate-limit window's reset", method: "GET",
			answers:  []answer{{status: 502, header: map[string]string{"X-RateLimit-Reset": iso(3 * time.Minute), "RateLimit-Reset": "180"}}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond}},
		{name: "a POST is not sent again after a 500: it may have been processed", method: "POST",
			answers:  []answer{{status: 500, body: `{"error":"Something went wrong"}`}, {status: 200, body: "{}"}},
			requests: 1, kind: networks.Transient, status: 500, message: "Something went wrong"},
		{name: "a POST with an Idempotency-Key is sent again after a 502", method: "POST", key: "herald-1",
			answers:  []answer{{status: 502}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond}},
		{name: "503 means not processed: a POST is sent again, after Retry-After", method: "POST",
			answers:  []answer{{status: 503, header: map[string]string{"Retry-After": "4"}}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{4 * time.Second}},
		{name: "408 means not processed", method: "POST",
			answers:  []answer{{status: 408}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond}},
		{name: "429 Retry-After in seconds", method: "POST",
			answers:  []answer{{status: 429, header: map[string]string{"Retry-After": "3"}, body: tooMany}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{3 * time.Second}},
		{name: "429 Retry-After as an HTTP date", method: "GET",
			answers:  []answer{{status: 429, header: map[string]string{"Retry-After": start.Add(10 * time.Second).Format(http.TimeFormat)}}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{10 * time.Second}},
		{name: "429 X-RateLimit-Reset (Mastodon, ISO 8601)", method: "POST",
			answers: []answer{{status: 429, body: tooMany, header: map[string]string{
				"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": iso(20 * time.Second)}},
				{status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{20 * time.Second}},
		{name: "429 RateLimit-Reset in seconds", method: "POST",
			answers:  []answer{{status: 429, header: map[string]string{"RateLimit-Reset": "7"}}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{7 * time.Second}},
		{name: "429 RateLimit-Reset as a Unix time (Bluesky)", method: "POST",
			answers:  []answer{{status: 429, header: map[string]string{"RateLimit-Reset": "1796115609"}}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{9 * time.Second}},
		{name: "429 without a header: backoff", method: "POST",
			answers:  []answer{{status: 429}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond}},
		{name: "429 past the budget: RateLimited with the wait", method: "POST",
			answers: []answer{{status: 429, body: tooMany, header: map[string]string{
				"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": iso(10 * time.Minute)}}},
			requests: 1, kind: networks.RateLimited, status: 429, after: 10 * time.Minute,
			message: "account mastodon: rate limited, retry after 10m0s: HTTP 429: POST /api/v1/statuses: Too many requests"},
		{name: "422 is not retried, with the server's message", method: "POST",
			answers:  []answer{{status: 422, body: `{"error":"Validation failed: Text character limit of 500 exceeded"}`}},
			requests: 1, kind: networks.Permanent, status: 422,
			message: "account mastodon: HTTP 422: POST /api/v1/statuses: Validation failed: Text character limit of 500 exceeded"},
		{name: "a server that repeats the token does not get it into the error", method: "GET",
			answers:  []answer{{status: 401, body: `{"error":"The access token ` + token + ` is invalid"}`}},
			requests: 1, kind: networks.Permanent, status: 401, message: "The access token [redacted] is invalid"},
		{name: "XRPC error and message", method: "POST",
			answers:  []answer{{status: 400, body: `{"error":"InvalidRequest","message":"Record/text must not be longer than 300 graphemes"}`}},
			requests: 1, kind: networks.Permanent, status: 400, message: "InvalidRequest: Record/text must not be longer than 300 graphemes"},
		{name: "plain-text error body", method: "GET",
			answers:  []answer{{status: 403, body: "forbidden by policy\nmore"}},
			requests: 1, kind: networks.Permanent, status: 403, message: "HTTP 403: GET /api/v1/statuses: forbidden by policy"},
		{name: "HTML error page: the status text", method: "GET",
			answers:  []answer{{status: 404, header: map[string]string{"Content-Type": "text/html"}, body: "<html><body>" + token + "</body></html>"}},
			requests: 1, kind: networks.Permanent, status: 404, message: "HTTP 404: GET /api/v1/statuses: Not Found"},
		{name: "dropped connection on a GET: retried", method: "GET",
			answers:  []answer{{hangup: true}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond}},
		{name: "dropped connection on a POST without key: not sent again", method: "POST",
			answers:  []answer{{hangup: true}, {status: 200, body: "{}"}},
			requests: 1, kind: networks.Transient, message: "POST /api/v1/statuses: no answer (the request may have reached the server)"},
		{name: "dropped connection on a POST with a key: sent again", method: "POST", key: "herald-1",
			answers:  []answer{{hangup: true}, {status: 200, body: "{}"}},
			requests: 2, slept: []time.Duration{500 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := ""
			if tt.method == "POST" {
				body = "status=Bonjour&visibility=public"
			}
			srv, n := server(t, tt.method, body, tt.answers)
			clk := fakeclock.New(start)
			c := New(Options{Account: "mastodon", Budget: tt.budget, MaxDelay: tt.max,
				HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
				Now:  clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 }})
			req, err := http.NewRequestWithContext(context.Background(), tt.method, srv.URL+"/api/v1/statuses?access_token="+token, strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if body == "" {
				req.Body, req.GetBody = nil, nil
			}
			req.Header.Set("Authorization", "Bearer "+token)
			if tt.key != "" {
				req.Header.Set("Idempotency-Key", tt.key)
			}
			resp, err := c.Do(req)
			srv.Close() // every handler has returned
			if got := int(n.Load()); got != tt.requests {
				t.Errorf("the server got %d requests, want %d", got, tt.requests)
			}
			if diff := cmp.Diff(tt.slept, clk.Slept()); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if tt.kind == 0 {
				if err != nil {
					t.Fatalf("Do: %v", err)
				}
				resp.Body.Close()
				return
			}
			if err == nil {
				resp.Body.Close()
				t.Fatalf("Do succeeded, want a %s error", tt.kind)
			}
			e, ok := errors.AsType[*networks.Error](err)
			if !ok {
				t.Fatalf("error %T %v is not a *networks.Error", err, err)
			}
			if e.Kind != tt.kind || e.Status != tt.status || e.RetryAfter != tt.after {
				t.Errorf("error kind %s, status %d, retry after %s; want %s, %d, %s", e.Kind, e.Status, e.RetryAfter, tt.kind, tt.status, tt.after)
			}
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q, want it to hold %q", err, tt.message)
			}
			if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "access_token") {
				t.Errorf("error %q holds the token", err)
			}
			if tt.status != 0 {
				if se, ok := errors.AsType[*ServerError](err); !ok || se.Status != tt.status {
					t.Errorf("error %v does not wrap a *ServerError with status %d", err, tt.status)
				}
			}
		})
	}
}

func TestConnectionRefusedIsRetriedEvenForAPost(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens: the request never reaches a server
	clk := fakeclock.New(start)
	c := New(Options{Account: "mastodon", Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 }})
	req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/statuses", strings.NewReader("status=x"))
	req.Header.Set("Authorization", "Bearer "+token)
	_, err = c.Do(req)
	if networks.KindOf(err) != networks.Transient {
		t.Fatalf("error %v, want transient", err)
	}
	if len(clk.Slept()) != 4 {
		t.Errorf("waited %v, want 4 waits for 5 attempts", clk.Slept())
	}
	if msg := err.Error(); !strings.Contains(msg, "POST /api/v1/statuses: no answer: ") || strings.Contains(msg, "may have reached") {
		t.Errorf("error %q", msg)
	}
}

func TestIdempotent(t *testing.T) {
	post := func() *http.Request { r, _ := http.NewRequest("POST", "https://x.example/", nil); return r }
	keyed := post()
	keyed.Header.Set("Idempotency-Key", "k")
	get, _ := http.NewRequest("GET", "https://x.example/", nil)
	for name, tt := range map[string]struct {
		req  *http.Request
		want bool
	}{
		"GET": {get, true}, "POST": {post(), false}, "POST with a key": {keyed, true},
		"POST marked": {MarkIdempotent(post()), true},
	} {
		if got := idempotent(tt.req); got != tt.want {
			t.Errorf("%s: idempotent = %v, want %v", name, got, tt.want)
		}
	}
}

func TestServerWait(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"Retry-After seconds", map[string]string{"Retry-After": "120"}, 2 * time.Minute},
		{"Retry-After date", map[string]string{"Retry-After": "Tue, 01 Dec 2026 09:01:00 GMT"}, time.Minute},
		{"Retry-After in the past", map[string]string{"Retry-After": "Tue, 01 Dec 2026 08:00:00 GMT"}, 0},
		{"Mastodon reset", map[string]string{"X-RateLimit-Reset": "2026-12-01T09:05:00.019685Z"}, 5*time.Minute + 19685*time.Microsecond},
		{"Mastodon reset with an offset", map[string]string{"X-RateLimit-Reset": "2026-12-01T10:00:30+01:00"}, 30 * time.Second},
		{"RateLimit-Reset seconds", map[string]string{"RateLimit-Reset": "42"}, 42 * time.Second},
		{"the longest wins", map[string]string{"Retry-After": "5", "X-RateLimit-Reset": "2026-12-01T09:00:30Z"}, 30 * time.Second},
		{"garbage", map[string]string{"Retry-After": "soon"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := serverWait(h, start); got != tt.want {
				t.Errorf("serverWait = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestWaitKeepsToTheBudget(t *testing.T) {
	clk := fakeclock.New(start)
	c := New(Options{Budget: 3 * time.Second, Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 }})
	ctx := context.Background()
	for attempt := 0; attempt < 2; attempt++ {
		if err := c.Wait(ctx, attempt); err != nil {
			t.Fatalf("Wait(%d): %v", attempt, err)
		}
	}
	// 0.5 s + 1 s spent; the next wait (2 s) would end past 3 s.
	if err := c.Wait(ctx, 2); !errors.Is(err, ErrBudget) {
		t.Errorf("Wait past the budget: %v, want ErrBudget", err)
	}
	if diff := cmp.Diff([]time.Duration{500 * time.Millisecond, time.Second}, clk.Slept()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestBodyIsSentWholeOnEachAttempt(t *testing.T) {
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if len(bodies) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	clk := fakeclock.New(start)
	c := New(Options{Now: clk.Now, Sleep: clk.Sleep})
	payload := bytes.Repeat([]byte("x"), 100_000)
	req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(payload))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(bodies) != 2 || bodies[0] != string(payload) || bodies[1] != string(payload) {
		t.Errorf("the server got %d bodies, not the whole payload each time", len(bodies))
	}
}

func TestAcceptStatus(t *testing.T) {
	conflict := answer{status: 409, body: `{"error":"already_exists","jobId":"j1"}`}
	for name, tt := range map[string]struct {
		accept []int
		ok     bool
	}{
		"accepted": {[]int{409}, true},
		"another":  {[]int{400}, false},
		"none":     {nil, false},
	} {
		t.Run(name, func(t *testing.T) {
			srv, count := server(t, "POST", "v", []answer{conflict})
			clk := fakeclock.New(start)
			c := New(Options{Account: "bluesky", Now: clk.Now, Sleep: clk.Sleep})
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/statuses", strings.NewReader("v"))
			req.Header.Set("Authorization", "Bearer "+token)
			if tt.accept != nil {
				req = AcceptStatus(req, tt.accept...)
			}
			resp, err := c.Do(req)
			if !tt.ok {
				if networks.KindOf(err) != networks.Permanent {
					t.Fatalf("Do = %v, want a permanent error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 409 || string(body) != conflict.body || count.Load() != 1 {
				t.Errorf("Do = %d %q after %d requests, want the 409 and its body after one", resp.StatusCode, body, count.Load())
			}
		})
	}
}

// TestTokenInPathIsScrubbed: a credential in the URL path (Telegram's
// /bot<token>/method) appears neither in the error nor in the retry log,
// and the Bot API's description is the error's message.
func TestTokenInPathIsScrubbed(t *testing.T) {
	answers := []answer{
		{status: http.StatusInternalServerError, body: `{"ok":false,"error_code":500,"description":"Internal Server Error"}`},
		{status: http.StatusBadRequest, body: `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`},
	}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/bot"+token+"/getChat" {
			t.Errorf("path %q", r.URL.Path)
		}
		a := answers[min(int(n.Add(1))-1, len(answers)-1)]
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	clk := fakeclock.New(start)
	var log bytes.Buffer
	c := New(Options{Account: "tg", Now: clk.Now, Sleep: clk.Sleep, Rand: func() float64 { return 0.5 }, Secrets: []string{token}, Log: &log})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/bot"+token+"/getChat", nil)
	_, err := c.Do(req)
	if networks.KindOf(err) != networks.Permanent {
		t.Fatalf("Do = %v, want a permanent error", err)
	}
	if want := "account tg: HTTP 400: GET /bot[redacted]/getChat: Bad Request: chat not found"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
	if strings.Contains(log.String(), token) || !strings.Contains(log.String(), "/bot[redacted]/getChat") {
		t.Errorf("log = %q, want the path without the token", log.String())
	}
}
