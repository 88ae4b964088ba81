// Package webhooktest is a Standard Webhooks receiver for tests: an
// httptest.Server that checks each delivery as
// https://www.standardwebhooks.com defines it, with its own code (not the
// sender's): the webhook-id, webhook-timestamp and webhook-signature
// headers, the HMAC-SHA256 of "id.timestamp.body" under its secret, a
// timestamp at most 5 minutes old; and, as SPEC.md defines Herald's
// payload, the method, the content type and every field of the body (an
// unknown or a missing field is a rejection). It dedupes deliveries by
// webhook-id as receivers do, serves the failures a test queues (Fail),
// and fails the test at cleanup when a queued reply was never used or a
// delivery was rejected without the test taking the rejection
// (Rejections).
package webhooktest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Tolerance is how old, or how far ahead, a webhook-timestamp may be.
const Tolerance = 5 * time.Minute

// Receiver is a fake webhook receiver.
type Receiver struct {
	*httptest.Server
	t testing.TB

	// Secret is the signing secret the receiver checks: whsec_ and a
	// base64 key.
	Secret string
	// Path and Query are the path and query deliveries must be posted
	// to.
	Path, Query string
	// Now is the receiver's clock, for the timestamp tolerance; default
	// time.Now.
	Now func() time.Time

	mu         sync.Mutex
	replies    []Reply
	requests   []Request
	deliveries []Delivery
	counts     map[string]int // webhook-id → deliveries accepted
	rejections []string
}

// Reply is an answer a test queues: each request that passes the checks
// takes the next one instead of a 204, and is not a delivery.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
	// Hangup closes the connection without an answer, after the receiver
	// read the request: the sender cannot know whether it was delivered.
	Hangup bool
}

// Request is a request the receiver got, whatever became of it.
type Request struct {
	ID     string // webhook-id
	Status int    // what the receiver answered; 0 when it hung up
}

// Delivery is a delivery the receiver accepted (answered 2xx).
type Delivery struct {
	ID        string // webhook-id
	Timestamp int64  // webhook-timestamp
	Body      []byte
	Payload   Payload
}

// Payload is the body of a delivery.
type Payload struct {
	Type      string `json:"type"`
	Timestamp string `json:"timestamp"`
	Data      struct {
		Post     string   `json:"post"`
		Account  string   `json:"account"`
		Date     string   `json:"date"`
		Title    string   `json:"title"`
		Campaign string   `json:"campaign"`
		Tags     []string `json:"tags"`
		Parts    []string `json:"parts"`
		Media    []Medium `json:"media"`
	} `json:"data"`
}

// Medium is an entry of data.media.
type Medium struct {
	Src    string `json:"src"`
	Alt    string `json:"alt"`
	Type   string `json:"type"`
	SHA256 string `json:"sha256"`
	URL    string `json:"url,omitempty"`
}

// New starts a receiver for the test, closed at its end, with a fixed
// secret.
func New(t testing.TB) *Receiver {
	key := []byte("herald-webhooktest-key-0123456789abcdef")
	r := &Receiver{t: t, Secret: "whsec_" + base64.StdEncoding.EncodeToString(key), Path: "/hooks/herald",
		counts: map[string]int{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		r.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.replies) > 0 {
			t.Errorf("webhooktest: %d queued replies were never used: %+v", len(r.replies), r.replies)
		}
		if len(r.rejections) > 0 {
			t.Errorf("webhooktest: deliveries rejected:\n%s", strings.Join(r.rejections, "\n"))
		}
	})
	return r
}

// Endpoint is the URL deliveries go to.
func (r *Receiver) Endpoint() string {
	if r.Query != "" {
		return r.URL + r.Path + "?" + r.Query
	}
	return r.URL + r.Path
}

// Fail queues replies, answered in order to the next valid requests.
func (r *Receiver) Fail(replies ...Reply) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, replies...)
}

// Requests returns every request received, in order.
func (r *Receiver) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.requests)
}

// Deliveries returns the accepted deliveries, duplicates included.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.deliveries)
}

// Counts returns how many times each webhook-id was delivered.
func (r *Receiver) Counts() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.counts)
}

// Unique returns the deliveries deduped by webhook-id (the first of
// each), as a receiver processes them.
func (r *Receiver) Unique() []Delivery {
	var out []Delivery
	seen := map[string]bool{}
	for _, d := range r.Deliveries() {
		if !seen[d.ID] {
			seen[d.ID] = true
			out = append(out, d)
		}
	}
	return out
}

// Rejections returns and forgets why deliveries were rejected: a test
// that expects a rejection takes it, any other fails the test at cleanup.
func (r *Receiver) Rejections() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.rejections
	r.rejections = nil
	return out
}

func (r *Receiver) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	id := req.Header.Get("webhook-id")
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		r.reject(w, id, http.StatusBadRequest, "reading the body: %v", err)
		return
	}
	ts, why := r.check(req, body)
	if why != "" {
		r.reject(w, id, http.StatusBadRequest, "%s", why)
		return
	}
	p, why := decode(body)
	if why != "" {
		r.reject(w, id, http.StatusBadRequest, "body: %s\n%s", why, body)
		return
	}
	r.mu.Lock()
	if len(r.replies) > 0 {
		reply := r.replies[0]
		r.replies = r.replies[1:]
		r.requests = append(r.requests, Request{ID: id, Status: reply.Status})
		r.mu.Unlock()
		if reply.Hangup {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				r.t.Errorf("webhooktest: hang up: %v", err)
				return
			}
			conn.Close()
			return
		}
		for k, v := range reply.Header {
			w.Header().Set(k, v)
		}
		if reply.Body != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(reply.Status)
		io.WriteString(w, reply.Body)
		return
	}
	r.requests = append(r.requests, Request{ID: id, Status: http.StatusNoContent})
	r.deliveries = append(r.deliveries, Delivery{ID: id, Timestamp: ts, Body: body, Payload: p})
	r.counts[id]++
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// reject answers status and records why.
func (r *Receiver) reject(w http.ResponseWriter, id string, status int, format string, args ...any) {
	why := fmt.Sprintf(format, args...)
	r.mu.Lock()
	r.requests = append(r.requests, Request{ID: id, Status: status})
	r.rejections = append(r.rejections, why)
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": "invalid_delivery", "message": why})
}

// check verifies the request as Standard Webhooks define it, and returns
// its timestamp, or why it is refused.
func (r *Receiver) check(req *http.Request, body []byte) (int64, string) {
	if req.Method != http.MethodPost {
		return 0, "method " + req.Method + ", want POST"
	}
	if req.URL.Path != r.Path || req.URL.RawQuery != r.Query {
		return 0, "path " + req.URL.Path + "?" + req.URL.RawQuery + ", want " + r.Path + "?" + r.Query
	}
	if ct := req.Header.Get("Content-Type"); ct != "application/json" {
		return 0, "Content-Type " + ct + ", want application/json"
	}
	id, tsText, sigs := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
	if id == "" || tsText == "" || sigs == "" {
		return 0, "missing webhook-id, webhook-timestamp or webhook-signature"
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return 0, "webhook-timestamp " + tsText + " is not Unix seconds"
	}
	if d := r.now().Sub(time.Unix(ts, 0)); d > Tolerance || d < -Tolerance {
		return 0, fmt.Sprintf("webhook-timestamp is %s off the receiver's clock (tolerance %s)", d, Tolerance)
	}
	_, want, _ := strings.Cut(Sign(r.Secret, id, ts, body), ",")
	wantMAC, _ := base64.StdEncoding.DecodeString(want)
	for _, sig := range strings.Fields(sigs) { // space-separated signatures
		version, b64, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		if got, err := base64.StdEncoding.Strict().DecodeString(b64); err == nil && hmac.Equal(got, wantMAC) {
			return ts, ""
		}
	}
	return 0, "no v1 signature matches: " + sigs
}

// Sign is the receiver's own Standard Webhooks signature of a delivery:
// "v1," and the base64 HMAC-SHA256 of "id.timestamp.body" under the key
// that follows whsec_ in secret. Tests use it to send deliveries of
// their own.
func Sign(secret, id string, timestamp int64, body []byte) string {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "v1,invalid-secret"
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// decode parses the payload strictly: every field SPEC.md names, no
// other, of the right type; url is the only optional one.
func decode(body []byte) (Payload, string) {
	var p Payload
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, err.Error()
	}
	if dec.More() {
		return p, "more than one JSON value"
	}
	var shape struct {
		Data struct {
			Media []map[string]json.RawMessage `json:"media"`
		} `json:"data"`
	}
	var top map[string]json.RawMessage
	var d map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || json.Unmarshal(top["data"], &d) != nil || json.Unmarshal(body, &shape) != nil {
		return p, "not objects"
	}
	if why := keys("payload", top, "type", "timestamp", "data"); why != "" {
		return p, why
	}
	if why := keys("data", d, "post", "account", "date", "title", "campaign", "tags", "parts", "media"); why != "" {
		return p, why
	}
	for _, field := range []string{"tags", "parts", "media"} {
		if string(d[field]) == "null" {
			return p, "data." + field + " is null, want a list"
		}
	}
	for i, m := range shape.Data.Media {
		delete(m, "url")
		if why := keys(fmt.Sprintf("media[%d]", i), m, "src", "alt", "type", "sha256"); why != "" {
			return p, why
		}
	}
	if p.Type != "herald.post" {
		return p, "type " + p.Type + ", want herald.post"
	}
	for _, ts := range []string{p.Timestamp, p.Data.Date} {
		if _, err := time.Parse(time.RFC3339, ts); err != nil {
			return p, "not RFC 3339: " + ts
		}
	}
	return p, ""
}

// keys says what is missing from, or unknown in, an object.
func keys(what string, m map[string]json.RawMessage, want ...string) string {
	for _, k := range want {
		if _, ok := m[k]; !ok {
			return what + ": missing " + k
		}
	}
	for k := range m {
		if !slices.Contains(want, k) {
			return what + ": unknown field " + k
		}
	}
	return ""
}
