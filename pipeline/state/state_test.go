package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var paris = time.FixedZone("CET", 3600)

func at(hour, minute int) time.Time { return time.Date(2026, 12, 1, hour, minute, 0, 0, paris) }

const digestA = "sha256:6c1ba58d0a0a4c5b5e2d1f3e8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"

// sample is a state file with an account in each status.
func sample() *File {
	f := &File{}
	mastodon := f.Account("mastodon")
	mastodon.Begin("run-1", "herald-96d39cf9320eb712a5d87f3204ebd1a6", digestA, at(9, 0), 10*time.Minute)
	mastodon.Publish([]string{"113500000000000001", "113500000000000002"},
		[]string{"https://piaille.fr/@maison/113500000000000001", "https://piaille.fr/@maison/113500000000000002"}, at(9, 0))
	mastodon.AddSample(at(21, 0), Counts{Likes: Count(12), Reposts: Count(3), Replies: Count(1), Quotes: Count(0)})
	mastodon.AddSample(at(15, 0), Counts{Likes: Count(4), Reposts: Count(1), Replies: Count(0), Quotes: Count(0)})

	bluesky := f.Account("bluesky")
	bluesky.Begin("run-2", "herald-03d052e034223663153e6a862f71e8b0", digestA, at(9, 1), 10*time.Minute)

	x := f.Account("x")
	x.Begin("run-1", "herald-99c66c7bb23b1d82291894bd09270410", digestA, at(9, 0), 10*time.Minute)
	x.Fail("rate-limited", errors.New("account x: rate limited, retry after 15m0s: HTTP 429: Too Many Requests"), at(9, 0))

	f.Account("linkedin").Miss("due at 2026-12-01 09:00, found at 16:30: later than max_lateness (6h)")
	return f
}

func TestGolden(t *testing.T) {
	got, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	goldenFile := filepath.Join("testdata", "avent-1.json")
	golden.Check(t, goldenFile, got)
	if !json.Valid(got) {
		t.Errorf("Encode wrote invalid JSON")
	}

	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := Decode(goldenFile, want)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(sample(), decoded, timeEqual, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Decode(golden) (-want +got):\n%s", diff)
	}
	again, err := Encode(decoded)
	if err != nil || string(again) != string(want) {
		t.Errorf("Encode(Decode(goldenFile)) differs from the goldenFile file: %v\n%s", err, again)
	}
}

var timeEqual = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

func TestSPECContract(t *testing.T) {
	// What SPEC.md promises about a state file, read as any program would.
	data, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Accounts map[string]map[string]any `json:"accounts"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for key, a := range doc.Accounts {
		for _, field := range []string{"status", "ids", "stats"} {
			if _, ok := a[field]; !ok {
				t.Errorf("accounts.%s has no %s", key, field)
			}
		}
		if _, ok := a["ids"].([]any); !ok {
			t.Errorf("accounts.%s.ids is %v, want an array", key, a["ids"])
		}
	}
	stats := doc.Accounts["mastodon"]["stats"].([]any)
	first := stats[0].(map[string]any)
	if first["at"] != "2026-12-01T15:00:00+01:00" || first["likes"] != 4.0 || first["quotes"] != 0.0 {
		t.Errorf("first sample = %v, want the 15:00 one, with its zero quotes", first)
	}
	if _, ok := first["views"]; ok {
		t.Errorf("a count the network does not give is written: %v", first)
	}
}

func TestEncodeIsStable(t *testing.T) {
	first, _ := Encode(sample())
	for range 20 {
		again, _ := Encode(sample())
		if string(again) != string(first) {
			t.Fatal("two encodings of the same file differ")
		}
	}
	if !strings.HasSuffix(string(first), "}\n") {
		t.Errorf("no final newline")
	}
	empty, err := Encode(&File{})
	if err != nil || string(empty) != "{\n  \"accounts\": {}\n}\n" {
		t.Errorf("Encode(empty) = %q, %v", empty, err)
	}
	html, _ := Encode(&File{Accounts: map[string]*Account{"a&b": {Status: Failed, Reason: "<html> & co"}}})
	if !strings.Contains(string(html), `"<html> & co"`) {
		t.Errorf("Encode escapes HTML characters:\n%s", html)
	}
}

func TestUnknownFieldsAreKept(t *testing.T) {
	in := `{
  "accounts": {
    "mastodon": {
      "status": "published",
      "ids": [
        "1"
      ],
      "stats": [],
      "thread_root": {
        "id": "1",
        "cid": "bafy"
      }
    }
  },
  "version": 2
}
`
	f, err := Decode("state/x.json", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	f.Account("mastodon").AddSample(at(10, 0), Counts{Likes: Count(1)})
	out, err := Encode(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "accounts": {
    "mastodon": {
      "status": "published",
      "ids": [
        "1"
      ],
      "stats": [
        {
          "at": "2026-12-01T10:00:00+01:00",
          "likes": 1
        }
      ],
      "thread_root": {
        "id": "1",
        "cid": "bafy"
      }
    }
  },
  "version": 2
}
`
	if diff := cmp.Diff(want, string(out)); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", "state/p.json: the file is empty"},
		{"not an object", "[]", "state/p.json:1:1: is an array, want an object"},
		{"cut short", `{"accounts": {"x": {"status": "published"`, "state/p.json:1:42: the file ends in the middle of the JSON: it was cut short"},
		{"syntax", "{\n  \"accounts\": {,}\n}", "state/p.json:2:16: invalid character ','"},
		{"trailing data", "{\"accounts\": {}}\n{}", "state/p.json:2:1: there is more after the object: a state file is one JSON object"},
		{"accounts not an object", `{"accounts": ["x"]}`, "state/p.json:1:14: accounts: is an array, want an object"},
		{"account not an object", `{"accounts": {"x": "published"}}`, "state/p.json:1:20: accounts.x: is a string, want an object"},
		{"unknown status", "{\"accounts\": {\n  \"x\": {\"status\": \"posted\", \"ids\": []}}}", `state/p.json:2:19: accounts.x.status: is "posted", want "publishing", "published", "failed" or "missed"`},
		{"no status", `{"accounts": {"x": {"ids": []}}}`, `state/p.json:1:20: accounts.x: has no status: want "publishing", "published", "failed" or "missed"`},
		{"id not a string", "{\"accounts\": {\"x\": {\"status\": \"published\",\n \"ids\": [\"1\", 2]}}}", "state/p.json:2:15: accounts.x.ids: a number, want a string"},
		{"bad time", `{"accounts": {"x": {"status": "publishing", "publishing_since": "yesterday"}}}`, `state/p.json:1:65: accounts.x.publishing_since: "yesterday" is not a time as RFC 3339 writes it (2026-12-01T09:00:00+01:00)`},
		{"bad lease", `{"accounts": {"x": {"status": "publishing", "lease": "0s"}}}`, `state/p.json:1:54: accounts.x.lease: is "0s", want a positive duration such as "10m0s"`},
		{"bad digest", `{"accounts": {"x": {"status": "published", "digest": "md5:abc"}}}`, `state/p.json:1:54: accounts.x.digest: is "md5:abc", want sha256: and 64 lowercase hex digits`},
		{"count not a number", `{"accounts": {"x": {"status": "published", "stats": [{"at": "2026-12-01T10:00:00Z", "likes": "12"}]}}}`, "state/p.json:1:97: accounts.x.stats: a string in likes, want a number"},
		{"invalid UTF-8 in an unknown field", "{\"accounts\": {},\n  \"later\": {\"a\": \"\xb3\"}}", "state/p.json:2:19: invalid UTF-8 here: a state file is UTF-8 text"},
		{"samples out of order", `{"accounts": {"x": {"status": "published", "stats": [{"at": "2026-12-02T10:00:00Z"}, {"at": "2026-12-01T10:00:00Z"}]}}}`, "state/p.json:1:53: accounts.x.stats: sample 2 (2026-12-01T10:00:00Z) is older than the one before it: samples go oldest first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode("state/p.json", []byte(tt.in))
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("Decode = %v, want a *DecodeError", err)
			}
			got, _, _ := strings.Cut(err.Error(), " (herald writes this file")
			if got != tt.want {
				t.Errorf("error = %q\nwant    %q", got, tt.want)
			}
			if !strings.Contains(err.Error(), "git checkout <commit> -- state/p.json") {
				t.Errorf("the error does not say how to restore the file: %v", err)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	data, _ := Encode(sample())
	calendar := fstest.MapFS{
		"state/posts/2026/12/avent-1.json": {Data: data},
		"state/posts/broken.json":          {Data: []byte("{")},
	}
	f, err := Load(calendar, "posts/2026/12/avent-1")
	if err != nil || f.Accounts["mastodon"].Status != Published {
		t.Fatalf("Load = %+v, %v", f, err)
	}
	f, err = Load(calendar, "posts/new")
	if err != nil || len(f.Accounts) != 0 {
		t.Errorf("Load of a post without state = %+v, %v; want an empty file", f, err)
	}
	if _, err := Load(calendar, "posts/broken"); err == nil || !strings.HasPrefix(err.Error(), "state/posts/broken.json:1:2: ") {
		t.Errorf("Load of a broken file = %v", err)
	}
	if _, err := Load(calendar, "../escape"); err == nil {
		t.Errorf("Load(../escape) = %v, want ErrBadName", err)
	}
}

func TestTransitions(t *testing.T) {
	var a Account
	a.Begin("run-1", "herald-k", digestA, at(9, 0), 10*time.Minute)
	if !a.LeaseExpired(10*time.Minute, at(9, 10)) || a.LeaseExpired(10*time.Minute, at(9, 9)) {
		t.Errorf("a 10 min lease taken at 09:00 expires at 09:10")
	}
	a.Fail("transient", errors.New("connection reset"), at(9, 1))
	if a.Status != Failed || a.Reason != "connection reset" || a.Run != "" || !a.PublishingSince.IsZero() {
		t.Errorf("after Fail: %+v", a)
	}
	if a.Attempts[0].Kind != "transient" {
		t.Errorf("the attempt's kind is %q, want transient", a.Attempts[0].Kind)
	}
	if a.LeaseExpired(0, at(23, 0)) {
		t.Errorf("a failed publication has no lease to expire")
	}
	a.Begin("run-2", "herald-k", digestA, at(10, 0), 10*time.Minute)
	a.Publish([]string{"1"}, nil, at(10, 0))
	if a.Status != Published || a.Reason != "" || len(a.Attempts) != 1 || !a.PublishedAt.Equal(at(10, 0)) {
		t.Errorf("after Publish: %+v", a)
	}
}

func TestPath(t *testing.T) {
	if p, err := Path("posts/2026/11/x"); err != nil || p != "state/posts/2026/11/x.json" {
		t.Errorf("Path = %q, %v", p, err)
	}
	for _, id := range []string{"", "../x", "/x", "a//b", `a\b`, "a/.", "news/../launch", "accounts/feed", "accounts"} {
		if p, err := Path(id); err == nil {
			t.Errorf("Path(%q) = %q, want an error", id, p)
		}
	}
}

// An intent keeps the lease its run chose: another run's shorter lease
// does not end it, and an intent from before leases were recorded falls
// back to what the caller says.
func TestLeaseBelongsToTheIntent(t *testing.T) {
	var a Account
	a.Begin("run-1", "herald-k", digestA, at(9, 0), time.Hour)
	if a.Lease != "1h0m0s" {
		t.Fatalf("Lease = %q, want 1h0m0s", a.Lease)
	}
	if a.LeaseExpired(time.Minute, at(9, 30)) {
		t.Errorf("a 1h intent taken at 09:00 expired at 09:30 for a run with a 1 min lease")
	}
	if !a.LeaseExpired(time.Minute, at(10, 0)) {
		t.Errorf("a 1h intent taken at 09:00 has not expired at 10:00")
	}
	data, err := Encode(&File{Accounts: map[string]*Account{"x": &a}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"lease": "1h0m0s"`) {
		t.Errorf("the state file does not record the lease:\n%s", data)
	}
	back, err := Decode("state/p.json", data)
	if err != nil || back.Accounts["x"].LeaseOf(time.Minute) != time.Hour {
		t.Errorf("decoded lease = %v, %v; want 1h", back.Accounts["x"].LeaseOf(time.Minute), err)
	}
	var old Account
	old.Begin("run-0", "herald-k", digestA, at(9, 0), 0)
	old.Lease = ""
	if old.LeaseOf(10*time.Minute) != 10*time.Minute || old.LeaseExpired(10*time.Minute, at(9, 9)) {
		t.Errorf("an intent without a lease does not fall back to the caller's")
	}
	a.Publish([]string{"1"}, nil, at(9, 5))
	if a.Lease != "" {
		t.Errorf("a publication keeps its intent's lease %q", a.Lease)
	}
}

// A state file larger than MaxFileSize, or a folder where the file should
// be, is refused without being read, naming the file and how to restore it.
func TestLoadRefusesWhatIsNoStateFile(t *testing.T) {
	big := append([]byte(`{"accounts": {}, "x": "`), bytes.Repeat([]byte("a"), MaxFileSize)...)
	calendar := fstest.MapFS{
		"state/posts/big.json":          {Data: append(big, '"', '}')},
		"state/posts/folder.json/x.txt": {Data: []byte("x")},
	}
	for id, want := range map[string]string{
		"posts/big":    "state/posts/big.json: 4.0 MiB, more than the 4 MiB a state file may hold",
		"posts/folder": "state/posts/folder.json: is a folder, not a state file",
	} {
		_, err := Load(calendar, id)
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Load(%s) = %v, want %q", id, err, want)
			continue
		}
		name, _ := Path(id)
		if !strings.Contains(err.Error(), "git checkout <commit> -- "+name) {
			t.Errorf("Load(%s): the error does not say how to restore the file: %v", id, err)
		}
	}
}
