package webhook_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/webhook"
	"github.com/herald-social/herald/pipeline/networks/webhook/webhooktest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

const threadPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [webhook]
tags: [produit, coulisses]
campaign: noel-2026
title: Jour 1
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte, & ses 24 cases
---
Le calendrier de l'Avent commence : https://maison-exemple.fr/avent/2026/jour-1 #NoelMaison

---

Rendez-vous demain à 9 h.
`

const image = channeltest.PNG + "image data"

// fixture is a receiver, a calendar with one post and a clock.
type fixture struct {
	rcv     *webhooktest.Receiver
	clk     *fakeclock.Clock
	root    string
	account *load.Account
	env     map[string]string
	log     bytes.Buffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := fakeclock.New(nine.Add(2 * time.Minute))
	rcv := webhooktest.New(t)
	rcv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{"posts/avent-1.md": threadPost, "media/avent-1.png": image})
	return &fixture{rcv: rcv, clk: clk, root: root,
		account: &load.Account{Key: "hooks", Network: "webhook", URL: rcv.Endpoint()},
		env:     map[string]string{"HERALD_HOOKS_SECRET": rcv.Secret}}
}

func (f *fixture) client(t *testing.T, mediaURL string) *webhook.Client {
	t.Helper()
	c, err := webhook.New(f.account, webhook.Options{
		Getenv:   func(k string) (string, bool) { v, ok := f.env[k]; return v, ok },
		MediaURL: mediaURL,
		HTTP: httpx.Options{Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 }, Log: &f.log,
			HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) publication(t *testing.T) networks.Publication {
	return channeltest.Publication(t, f.root, "posts/avent-1.md", f.account, f.clk.Now())
}

// TestPublishPayload: a post with a thread and an image with alt text is
// one delivery of exactly the payload SPEC.md defines, signed, with the
// publication's key as webhook-id.
func TestPublishPayload(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	res, err := f.client(t, "https://cdn.example.com/maison/").Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(networks.Result{IDs: []string{p.IdempotencyKey}}, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	sum := sha256.Sum256([]byte(image))
	want := `{"type":"herald.post","timestamp":"2026-12-01T08:02:00Z","data":{` +
		`"post":"posts/avent-1","account":"hooks","date":"2026-12-01T09:00:00+01:00","title":"Jour 1",` +
		`"campaign":"noel-2026","tags":["produit","coulisses"],` +
		`"parts":["Le calendrier de l'Avent commence : https://maison-exemple.fr/avent/2026/jour-1 #NoelMaison","Rendez-vous demain à 9 h."],` +
		`"media":[{"src":"media/avent-1.png","alt":"Une boîte de l'Avent ouverte, & ses 24 cases","type":"image/png",` +
		`"sha256":"` + hex.EncodeToString(sum[:]) + `","url":"https://cdn.example.com/maison/media/avent-1.png"}]}}`
	got := f.rcv.Deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries, want 1", len(got))
	}
	if diff := cmp.Diff(want, string(got[0].Body)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if got[0].ID != p.IdempotencyKey || got[0].Timestamp != f.clk.Now().Unix() {
		t.Errorf("webhook-id %q, webhook-timestamp %d; want %q, %d", got[0].ID, got[0].Timestamp, p.IdempotencyKey, f.clk.Now().Unix())
	}
}

// TestPublishWithoutMediaURL: without the charter's media_url, or with
// one that names a {commit} (unknown before the results commit), a medium
// has no url; a post without title, campaign or media has them empty.
func TestPublishWithoutMediaURL(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t)
	p.Title, p.Campaign, p.Tags = "", "", nil
	if _, err := f.client(t, "https://raw.example.com/maison/{commit}/").Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	p.Parts[0].Media = nil
	p.IdempotencyKey += "-2"
	if _, err := f.client(t, "").Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	d := f.rcv.Deliveries()
	if len(d) != 2 {
		t.Fatalf("%d deliveries, want 2", len(d))
	}
	if m := d[0].Payload.Data.Media; len(m) != 1 || m[0].URL != "" || bytes.Contains(d[0].Body, []byte(`"url"`)) {
		t.Errorf("media %+v, want one without url", m)
	}
	for _, want := range []string{`"title":""`, `"campaign":""`, `"tags":[]`} {
		if !bytes.Contains(d[0].Body, []byte(want)) {
			t.Errorf("body %s has no %s", d[0].Body, want)
		}
	}
	if !bytes.Contains(d[1].Body, []byte(`"media":[]`)) {
		t.Errorf("body %s has no empty media list", d[1].Body)
	}
}

// TestRetries: after a 503, a 429 with Retry-After, a connection closed
// without an answer and a 502 (the default 5 attempts), the delivery is sent again within
// the run with the same webhook-id; the receiver counts one delivery.
func TestRetries(t *testing.T) {
	f := newFixture(t)
	f.rcv.Fail(webhooktest.Reply{Status: 503, Body: `{"error":"unavailable"}`},
		webhooktest.Reply{Status: 429, Header: map[string]string{"Retry-After": "7"}},
		webhooktest.Reply{Hangup: true}, webhooktest.Reply{Status: 502})
	p := f.publication(t)
	res, err := f.client(t, "").Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	key := p.IdempotencyKey
	var want []webhooktest.Request
	for _, status := range []int{503, 429, 0, 502, 204} { // 502 and the hang-up: a POST the receiver dedupes is resent
		want = append(want, webhooktest.Request{ID: key, Status: status})
	}
	if diff := cmp.Diff(want, f.rcv.Requests()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{p.IdempotencyKey: 1}, f.rcv.Counts()); diff != "" || len(res.IDs) != 1 {
		t.Errorf("deliveries per webhook-id (-want +got):\n%s", diff)
	}
	if slept := f.clk.Slept(); len(slept) != 4 || slept[1] != 7*time.Second {
		t.Errorf("waits %v, want a backoff, the 7 s of Retry-After, then backoffs", slept)
	}
}

// TestPermanentFailure: a 400 is a Permanent failure with the receiver's
// status and message, and no secret: neither the signing secret nor the
// URL of HERALD_<KEY>_URL, in the error or the log.
func TestPermanentFailure(t *testing.T) {
	f := newFixture(t)
	secretURL := f.rcv.Endpoint() + "?token=Zq8sTv2Lp"
	f.account.URL = ""
	f.env["HERALD_HOOKS_URL"] = secretURL
	f.rcv.Fail(webhooktest.Reply{Status: 503}, webhooktest.Reply{Status: 400, Body: `{"error":"unknown account hooks"}`})
	f.rcv.Query = "token=Zq8sTv2Lp"
	_, err := f.client(t, "").Publish(context.Background(), f.publication(t))
	ne, ok := errors.AsType[*networks.Error](err)
	if !ok || ne.Kind != networks.Permanent || ne.Status != 400 || !strings.Contains(err.Error(), "unknown account hooks") {
		t.Fatalf("Publish = %v, want a permanent failure with HTTP 400 and the receiver's message", err)
	}
	u, _ := url.Parse(secretURL)
	key := strings.TrimPrefix(f.rcv.Secret, "whsec_")
	for _, secret := range []string{f.rcv.Secret, key, secretURL, "Zq8sTv2Lp", u.Path} {
		if strings.Contains(err.Error(), secret) || strings.Contains(f.log.String(), secret) {
			t.Errorf("error %q or log %q holds %q", err, f.log.String(), secret)
		}
	}
	if f.log.Len() == 0 {
		t.Errorf("the retry after the 503 was not logged")
	}
}

// TestOldTimestampRejected: a delivery whose webhook-timestamp is more
// than 5 minutes off the receiver's clock is refused (400), so a
// permanent failure.
func TestOldTimestampRejected(t *testing.T) {
	f := newFixture(t)
	f.rcv.Now = func() time.Time { return f.clk.Now().Add(webhooktest.Tolerance + time.Second) }
	_, err := f.client(t, "").Publish(context.Background(), f.publication(t))
	if networks.KindOf(err) != networks.Permanent {
		t.Errorf("Publish = %v, want a permanent failure", err)
	}
	if r := f.rcv.Rejections(); len(r) != 1 || !strings.Contains(r[0], "webhook-timestamp") {
		t.Errorf("rejections %q, want one for the timestamp", r)
	}
}

// TestReceiverChecksTheStandardVector: the receiver's own verification
// accepts the example of the Standard Webhooks libraries' tests, and
// refuses it signed with another key or with an unknown field.
func TestReceiverChecksTheStandardVector(t *testing.T) {
	rcv := webhooktest.New(t)
	rcv.Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	rcv.Now = func() time.Time { return time.Unix(1614265330, 0) }
	send := func(sig, body string) int {
		req, _ := http.NewRequest(http.MethodPost, rcv.Endpoint(), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek")
		req.Header.Set("webhook-timestamp", "1614265330")
		req.Header.Set("webhook-signature", sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// The vector's body is not Herald's payload: the signature passes,
	// the shape does not.
	if code := send("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", `{"test": 2432232314}`); code != 400 {
		t.Errorf("the vector answered %d", code)
	}
	if r := rcv.Rejections(); len(r) != 1 || !strings.Contains(r[0], "body") {
		t.Errorf("rejections %q, want the body's shape (the signature is the vector's)", r)
	}
	if code := send("v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", `{"test": 2432232314}`); code != 400 {
		t.Errorf("a wrong signature answered %d", code)
	}
	if r := rcv.Rejections(); len(r) != 1 || !strings.Contains(r[0], "signature") {
		t.Errorf("rejections %q, want the signature", r)
	}
}

// TestReceiverRefusesAnotherShape: a body with a field more, or one less,
// is refused.
func TestReceiverRefusesAnotherShape(t *testing.T) {
	f := newFixture(t)
	f.client(t, "").Publish(context.Background(), f.publication(t))
	d := f.rcv.Deliveries()
	if len(d) != 1 {
		t.Fatalf("%d deliveries", len(d))
	}
	for name, change := range map[string]func(data map[string]any){
		"unknown": func(data map[string]any) { data["extra"] = 1 },
		"missing": func(data map[string]any) { delete(data, "campaign") },
		"medium":  func(data map[string]any) { delete(data["media"].([]any)[0].(map[string]any), "sha256") },
		"null":    func(data map[string]any) { data["tags"] = nil },
	} {
		t.Run(name, func(t *testing.T) {
			var m map[string]any
			if err := json.Unmarshal(d[0].Body, &m); err != nil {
				t.Fatal(err)
			}
			change(m["data"].(map[string]any))
			body, _ := json.Marshal(m)
			resendSigned(t, f, body)
			if r := f.rcv.Rejections(); len(r) != 1 || !strings.Contains(r[0], "body") {
				t.Errorf("rejections %q, want the body", r)
			}
		})
	}
	if n := len(f.rcv.Deliveries()); n != 1 {
		t.Errorf("%d deliveries, want the first alone", n)
	}
}

// resendSigned sends body as a delivery, signed by the receiver's own
// Standard Webhooks code, at the fixture's clock.
func resendSigned(t *testing.T, f *fixture, body []byte) {
	t.Helper()
	ts := f.clk.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, f.rcv.Endpoint(), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("webhook-id", "msg_1")
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", webhooktest.Sign(f.rcv.Secret, "msg_1", ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}
