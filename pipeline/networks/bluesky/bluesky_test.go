package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bluesky-social/indigo/atproto/syntax"
	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// pngOf is a PNG image of w×h pixels.
func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// newClient is a client of the account "bluesky" on the fake PDS (and
// AppView appview, "" for the PDS), with retries that do not wait.
func newClient(t *testing.T, pds, appview string, cards CardOptions) *Client {
	t.Helper()
	a := &load.Account{Key: "bluesky", Network: "bluesky", Handle: blueskytest.Handle, PDS: pds, AppView: cmpOr(appview, pds)}
	env := map[string]string{"HERALD_BLUESKY_PASSWORD": blueskytest.Password}
	c, err := New(a, Options{
		Getenv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Retry:  httpx.Options{Sleep: func(context.Context, time.Duration) error { return nil }, Rand: func() float64 { return 0 }},
		Cards:  cards,
		Log:    testLog{t},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// noCards is a card fetcher that fails the test if it resolves a name.
func noCards(t *testing.T) CardOptions {
	return CardOptions{LookupIP: func(_ context.Context, host string) ([]netip.Addr, error) {
		t.Errorf("a link card was fetched from %s", host)
		return nil, errors.New("no cards here")
	}}
}

const (
	part1 = "Joyeux Noël @alice.test et @nobody.test ! https://example.org/avent #Avent2026"
	part2 = "Suite du fil, sans lien."
)

func thread(t *testing.T) networks.Publication {
	return networks.Publication{
		PostID:  "posts/2026/12/avent-1",
		Account: "bluesky",
		Parts: []networks.Part{
			{Text: part1, Media: []networks.Medium{{Path: "media/avent-1.png", Alt: "Une boîte de l'Avent", MIME: "image/png"}}},
			{Text: part2},
		},
		Files:  fstest.MapFS{"media/avent-1.png": {Data: pngOf(t, 3, 2)}},
		Digest: "sha256:00", IdempotencyKey: "k", Lang: "fr-FR",
		When: time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600)),
		At:   time.Date(2026, 12, 1, 9, 2, 30, 0, time.FixedZone("CET", 3600)),
	}
}

// span is the byte range of sub in s, found by hand (not by Detect).
func span(s, sub string) string {
	i := strings.Index(s, sub)
	return fmt.Sprintf(`{"byteStart":%d,"byteEnd":%d}`, i, i+len(sub))
}

func TestPublishThread(t *testing.T) {
	f := blueskytest.NewPDS(t)
	c := newClient(t, f.URL(), "", noCards(t))
	p := thread(t)
	res, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	rkeys := []string{RecordKey("bluesky", p.PostID, 0), RecordKey("bluesky", p.PostID, 1)}
	want := networks.Result{
		IDs:  []string{blueskytest.AtURI(rkeys[0]), blueskytest.AtURI(rkeys[1])},
		URLs: []string{"https://bsky.app/profile/maison.example.com/post/" + rkeys[0], "https://bsky.app/profile/maison.example.com/post/" + rkeys[1]},
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}

	if n := len(f.Calls("com.atproto.server.createSession")); n != 1 {
		t.Errorf("createSession called %d times, want once", n)
	}
	login := f.Calls("com.atproto.server.createSession")[0]
	if diff := cmp.Diff(decode(t, []byte(`{"identifier":"maison.example.com","password":"`+blueskytest.Password+`"}`)), decode(t, login.Body)); diff != "" {
		t.Errorf("createSession body (-want +got):\n%s", diff)
	}
	var resolved []string
	for _, r := range f.Calls("com.atproto.identity.resolveHandle") {
		resolved = append(resolved, r.Query)
	}
	if diff := cmp.Diff([]string{"handle=alice.test", "handle=nobody.test"}, resolved); diff != "" {
		t.Errorf("resolveHandle queries (-want +got):\n%s", diff)
	}
	uploads := f.Calls("com.atproto.repo.uploadBlob")
	if len(uploads) != 1 || uploads[0].ContentType != "image/png" || !bytes.Equal(uploads[0].Body, p.Files.(fstest.MapFS)["media/avent-1.png"].Data) {
		t.Fatalf("uploadBlob: %d calls, want one with the PNG's bytes as image/png", len(uploads))
	}
	if uploads[0].Auth != "Bearer access-jwt-1" {
		t.Errorf("uploadBlob Authorization %q", uploads[0].Auth)
	}

	creates := f.Calls("com.atproto.repo.createRecord")
	if len(creates) != 2 {
		t.Fatalf("createRecord called %d times, want 2", len(creates))
	}
	size := len(p.Files.(fstest.MapFS)["media/avent-1.png"].Data)
	want1 := `{"repo":"` + blueskytest.DID + `","collection":"app.bsky.feed.post","rkey":"` + rkeys[0] + `","record":{
		"$type":"app.bsky.feed.post","text":` + quote(part1) + `,"createdAt":"2026-12-01T08:02:30.000Z","langs":["fr"],
		"facets":[
			{"index":` + span(part1, "@alice.test") + `,"features":[{"$type":"app.bsky.richtext.facet#mention","did":"did:plc:alice00000000000000000a"}]},
			{"index":` + span(part1, "https://example.org/avent") + `,"features":[{"$type":"app.bsky.richtext.facet#link","uri":"https://example.org/avent"}]},
			{"index":` + span(part1, "#Avent2026") + `,"features":[{"$type":"app.bsky.richtext.facet#tag","tag":"Avent2026"}]}],
		"embed":{"$type":"app.bsky.embed.images","images":[{"alt":"Une boîte de l'Avent","aspectRatio":{"width":3,"height":2},
			"image":{"$type":"blob","ref":{"$link":"` + blueskytest.BlobCIDs[0] + `"},"mimeType":"image/png","size":` + fmt.Sprint(size) + `}}]}}}`
	if diff := cmp.Diff(decode(t, []byte(want1)), decode(t, creates[0].Body)); diff != "" {
		t.Errorf("first createRecord body (-want +got):\n%s", diff)
	}
	ref := `{"uri":"` + blueskytest.AtURI(rkeys[0]) + `","cid":"` + blueskytest.RecordCIDs[0] + `"}`
	want2 := `{"repo":"` + blueskytest.DID + `","collection":"app.bsky.feed.post","rkey":"` + rkeys[1] + `","record":{
		"$type":"app.bsky.feed.post","text":` + quote(part2) + `,"createdAt":"2026-12-01T08:02:30.000Z","langs":["fr"],
		"reply":{"root":` + ref + `,"parent":` + ref + `}}}`
	if diff := cmp.Diff(decode(t, []byte(want2)), decode(t, creates[1].Body)); diff != "" {
		t.Errorf("second createRecord body (-want +got):\n%s", diff)
	}

	// The engine calls Publish again (a retry after a lost answer): the
	// records are found under their keys, nothing is written twice.
	again, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("second Publish (-want +got):\n%s", diff)
	}
	if n := len(f.Calls("com.atproto.repo.createRecord")); n != 2 {
		t.Errorf("createRecord called %d times after a second Publish, want still 2", n)
	}
	if n := len(f.Calls("com.atproto.server.createSession")); n != 1 {
		t.Errorf("createSession called %d times in the run, want once", n)
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestThreadOfThree(t *testing.T) {
	f := blueskytest.NewPDS(t)
	c := newClient(t, f.URL(), "", noCards(t))
	p := networks.Publication{PostID: "p", Parts: []networks.Part{{Text: "un"}, {Text: "deux"}, {Text: "trois"}},
		When: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	creates := f.Calls("com.atproto.repo.createRecord")
	var third struct {
		Record struct {
			CreatedAt string
			Langs     []string
			Reply     struct{ Root, Parent struct{ URI, CID string } }
		}
	}
	if err := json.Unmarshal(creates[2].Body, &third); err != nil {
		t.Fatal(err)
	}
	r := third.Record
	if r.Reply.Root.URI != blueskytest.AtURI(RecordKey("bluesky", "p", 0)) || r.Reply.Parent.URI != blueskytest.AtURI(RecordKey("bluesky", "p", 1)) ||
		r.Reply.Root.CID != blueskytest.RecordCIDs[0] || r.Reply.Parent.CID != blueskytest.RecordCIDs[1] {
		t.Errorf("third part's reply = %+v, want root part 1 and parent part 2", r.Reply)
	}
	if r.CreatedAt != "2026-01-02T03:04:05.000Z" || r.Langs != nil {
		t.Errorf("createdAt %q (the post's date without At), langs %v (none without Lang)", r.CreatedAt, r.Langs)
	}
}

func TestLookupAndResume(t *testing.T) {
	f := blueskytest.NewPDS(t)
	c := newClient(t, f.URL(), "", noCards(t))
	p := networks.Publication{PostID: "posts/fil", Parts: []networks.Part{{Text: "un"}, {Text: "deux"}}, When: time.Now()}
	ctx := context.Background()

	if _, found, err := c.Lookup(ctx, p); err != nil || found {
		t.Fatalf("Lookup before any write: found %v, %v", found, err)
	}

	// An earlier run wrote the first part and died.
	f.PutRecord(RecordKey("bluesky", "posts/fil", 0), blueskytest.Record{CID: blueskytest.RecordCIDs[3], Value: json.RawMessage(`{"$type":"app.bsky.feed.post","text":"un","createdAt":"2026-01-01T00:00:00.000Z"}`)})
	if r, found, err := c.Lookup(ctx, p); err != nil || found || len(r.IDs) != 1 {
		t.Fatalf("Lookup with one part of two: found %v, %d ids, %v; want not found, the part that exists", found, len(r.IDs), err)
	}
	res, err := c.Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	creates := f.Calls("com.atproto.repo.createRecord")
	if len(creates) != 1 {
		t.Fatalf("createRecord called %d times, want once: the first part exists", len(creates))
	}
	var in struct {
		Rkey   string
		Record struct {
			Reply struct{ Root, Parent struct{ URI, CID string } }
		}
	}
	json.Unmarshal(creates[0].Body, &in)
	if in.Rkey != RecordKey("bluesky", "posts/fil", 1) || in.Record.Reply.Root.CID != blueskytest.RecordCIDs[3] || in.Record.Reply.Parent.CID != blueskytest.RecordCIDs[3] {
		t.Errorf("the second part was written as %s replying to %+v; want key %s replying to the existing first part", in.Rkey, in.Record.Reply, RecordKey("bluesky", "posts/fil", 1))
	}
	r, found, err := c.Lookup(ctx, p)
	if err != nil || !found {
		t.Fatalf("Lookup after the thread is complete: %v, %v", found, err)
	}
	if diff := cmp.Diff(res, r); diff != "" {
		t.Errorf("Lookup (-Publish +Lookup):\n%s", diff)
	}
}

func TestLostAnswer(t *testing.T) {
	f := blueskytest.NewPDS(t)
	c := newClient(t, f.URL(), "", noCards(t))
	f.LoseNextAnswer() // the record is written, the answer is a 502
	p := networks.Publication{PostID: "p", Parts: []networks.Part{{Text: "un"}, {Text: "deux"}}, When: time.Now()}
	res, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Records()) != 2 || len(res.IDs) != 2 {
		t.Errorf("%d records, %d ids; want 2 of each", len(f.Records()), len(res.IDs))
	}
}

func TestSessionRefresh(t *testing.T) {
	f := blueskytest.NewPDS(t)
	c := newClient(t, f.URL(), "", noCards(t))
	ctx := context.Background()
	if _, err := c.Publish(ctx, networks.Publication{PostID: "a", Parts: []networks.Part{{Text: "un"}}, When: time.Now()}); err != nil {
		t.Fatal(err)
	}
	f.ExpireNext()
	if _, err := c.Publish(ctx, networks.Publication{PostID: "b", Parts: []networks.Part{{Text: "deux"}}, When: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if n := len(f.Calls("com.atproto.server.createSession")); n != 1 {
		t.Errorf("createSession called %d times, want once per run", n)
	}
	refreshes := f.Calls("com.atproto.server.refreshSession")
	if len(refreshes) != 1 || refreshes[0].Auth != "Bearer refresh-jwt-1" {
		t.Fatalf("refreshSession: %+v; want one call with the refresh JWT", refreshes)
	}
	gets := f.Calls("com.atproto.repo.getRecord")
	last := gets[len(gets)-1]
	if last.Auth != "Bearer access-jwt-2" {
		t.Errorf("the call after the refresh has Authorization %q, want the new access JWT", last.Auth)
	}
	if n := len(f.Calls("com.atproto.repo.createRecord")); n != 2 {
		t.Errorf("createRecord called %d times, want 2", n)
	}
}

func TestErrors(t *testing.T) {
	now := time.Now()
	tests := []struct {
		name    string
		nsid    string
		fail    failure
		kind    networks.Kind
		after   time.Duration
		message string
	}{
		{"rate limited until the reset", "com.atproto.repo.createRecord",
			failure{429, http.Header{"Ratelimit-Reset": {fmt.Sprint(now.Add(2 * time.Hour).Unix())}}, `{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}`},
			networks.RateLimited, 2 * time.Hour, "RateLimitExceeded: Rate Limit Exceeded"},
		{"invalid record", "com.atproto.repo.createRecord",
			failure{400, nil, `{"error":"InvalidRequest","message":"Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"}`},
			networks.Permanent, 0, "InvalidRequest: Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes"},
		{"wrong password, echoed", "com.atproto.server.createSession",
			failure{401, nil, `{"error":"AuthenticationRequired","message":"Invalid identifier or password ` + blueskytest.Password + `"}`},
			networks.Permanent, 0, "HERALD_BLUESKY_PASSWORD"},
		{"server down", "com.atproto.repo.getRecord",
			failure{502, nil, `{}`}, networks.Transient, 0, "Bad Gateway"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := blueskytest.NewPDS(t)
			f.SpareFailures() // how many the client takes depends on the kind
			for range 5 {     // as often as httpx tries
				f.Fail(tt.nsid, tt.fail.status, tt.fail.header, tt.fail.payload)
			}
			c := newClient(t, f.URL(), "", noCards(t))
			_, err := c.Publish(context.Background(), networks.Publication{PostID: "p", Parts: []networks.Part{{Text: "x"}}, When: now})
			if err == nil {
				t.Fatal("Publish succeeded")
			}
			var ne *networks.Error
			if !errors.As(err, &ne) || ne.Kind != tt.kind {
				t.Fatalf("error %v: kind %v, want %v", err, networks.KindOf(err), tt.kind)
			}
			if tt.after != 0 && (ne.RetryAfter < tt.after-time.Minute || ne.RetryAfter > tt.after) {
				t.Errorf("RetryAfter %s, want about %s", ne.RetryAfter, tt.after)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.message) {
				t.Errorf("message %q does not say %q", msg, tt.message)
			}
			if strings.Contains(msg, blueskytest.Password) || strings.Contains(msg, "access-jwt") || strings.Contains(msg, "refresh-jwt") {
				t.Errorf("message %q holds a credential", msg)
			}
		})
	}
}

func TestNotConfigured(t *testing.T) {
	a := &load.Account{Key: "bluesky-pro", Network: "bluesky", Handle: blueskytest.Handle}
	_, err := New(a, Options{Getenv: func(string) (string, bool) { return "", false }})
	var ne *networks.Error
	if !errors.As(err, &ne) || ne.Kind != networks.NotConfigured || ne.Env != "HERALD_BLUESKY_PRO_PASSWORD" {
		t.Fatalf("New without a password: %v", err)
	}
	// A Public client is made without the password, and says the same
	// when asked to publish, before any call (the PDS is unreachable).
	a.PDS = "http://127.0.0.1:1"
	c, err := New(a, Options{Getenv: func(string) (string, bool) { return "", false }, Public: true})
	if err != nil {
		t.Fatalf("New without a password, Public: %v", err)
	}
	_, err = c.Publish(t.Context(), networks.Publication{PostID: "posts/a", Account: a.Key, Parts: []networks.Part{{Text: "Bonjour."}}})
	if !errors.As(err, &ne) || ne.Kind != networks.NotConfigured || ne.Env != "HERALD_BLUESKY_PRO_PASSWORD" {
		t.Fatalf("Publish of a Public client without a password: %v, want NotConfigured", err)
	}
	getenv := func(string) (string, bool) { return "x", true }
	for _, a := range []*load.Account{
		{Key: "b", Network: "bluesky", Handle: "not a handle"},
		{Key: "b", Network: "bluesky", Handle: blueskytest.Handle, PDS: "ftp://pds.example"},
	} {
		if _, err := New(a, Options{Getenv: getenv}); networks.KindOf(err) != networks.Permanent {
			t.Errorf("New(%+v) = %v, want a permanent error", a, err)
		}
	}
}

func TestRecordKey(t *testing.T) {
	// These keys name published posts: a change of the derivation would
	// publish every post again. Never change them.
	golden := map[string]string{
		RecordKey("bluesky", "posts/2026/12/avent-1", 0): "2tt73qdvpgazc",
		RecordKey("bluesky", "posts/2026/12/avent-1", 1): "2oydwzfu76tzc",
	}
	for got, want := range golden {
		if got != want {
			t.Errorf("RecordKey = %s, want %s: the derivation changed", got, want)
		}
	}
	seen := map[string]bool{}
	for _, k := range []string{
		RecordKey("bluesky", "posts/2026/12/avent-1", 0), RecordKey("bluesky", "posts/2026/12/avent-1", 1),
		RecordKey("bluesky-pro", "posts/2026/12/avent-1", 0), RecordKey("bluesky", "posts/2026/12/avent-2", 0),
		RecordKey("bluesky", "posts/2026/12/avent-1", 10),
	} {
		tid, err := syntax.ParseTID(k)
		if err != nil {
			t.Errorf("%q is not a TID: %v", k, err)
			continue
		}
		if tid.ClockID() != clockID {
			t.Errorf("%s has clock id %d, want %d", k, tid.ClockID(), clockID)
		}
		if tid.Time().Year() >= 2006 {
			t.Errorf("%s is of %s, want a time before 2005-09", k, tid.Time())
		}
		if seen[k] {
			t.Errorf("%s given twice", k)
		}
		seen[k] = true
	}
}

// failure is an answer a test queues on the PDS (blueskytest.PDS.Fail).
type failure struct {
	status  int
	header  http.Header
	payload string
}

// decode is a JSON value as a generic tree, for cmp.Diff against what the
// lexicon defines.
func decode(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}
