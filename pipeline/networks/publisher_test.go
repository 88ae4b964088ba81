package networks

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
)

func TestHTTPError(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		kind       Kind
		after      time.Duration
		message    string
	}{
		{"bad request", 400, "", Permanent, 0, "account mastodon: HTTP 400: text too long"},
		{"unauthorized", 401, "", Permanent, 0, "account mastodon: HTTP 401: text too long"},
		{"rate limited in seconds", 429, "30", RateLimited, 30 * time.Second, "account mastodon: rate limited, retry after 30s: HTTP 429: text too long"},
		{"rate limited until a date", 429, now.Add(2 * time.Minute).Format(http.TimeFormat), RateLimited, 2 * time.Minute, "account mastodon: rate limited, retry after 2m0s: HTTP 429: text too long"},
		{"rate limited, no header", 429, "", RateLimited, 0, "account mastodon: rate limited: HTTP 429: text too long"},
		{"timeout", 408, "", Transient, 0, "account mastodon: HTTP 408: text too long"},
		{"server error", 502, "", Transient, 0, "account mastodon: HTTP 502: text too long"},
		{"unavailable", 503, "5", Transient, 5 * time.Second, "account mastodon: HTTP 503: text too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{}}
			if tt.retryAfter != "" {
				resp.Header.Set("Retry-After", tt.retryAfter)
			}
			var err error = HTTPError("mastodon", resp, now, "text too long")
			if got := KindOf(fmt.Errorf("publish: %w", err)); got != tt.kind {
				t.Errorf("kind = %s, want %s", got, tt.kind)
			}
			if e := err.(*Error); e.RetryAfter != tt.after {
				t.Errorf("RetryAfter = %s, want %s", e.RetryAfter, tt.after)
			}
			if err.Error() != tt.message {
				t.Errorf("message = %q, want %q", err.Error(), tt.message)
			}
			if Retryable(err) != (tt.kind != Permanent) {
				t.Errorf("Retryable = %v", Retryable(err))
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	if k := KindOf(nil); k != 0 {
		t.Errorf("KindOf(nil) = %s", k)
	}
	if k := KindOf(errors.New("connection reset")); k != Transient {
		t.Errorf("a plain error is %s, want transient: it may have gone through", k)
	}
	unsupported := &Error{Kind: Unsupported, Account: "feed", Err: ErrUnsupported}
	if !errors.Is(unsupported, ErrUnsupported) || KindOf(ErrUnsupported) != Unsupported {
		t.Errorf("Unsupported errors are not ErrUnsupported")
	}
	if !errors.Is(&Error{Kind: Unsupported}, ErrUnsupported) {
		t.Errorf("an Unsupported *Error without Err is not ErrUnsupported")
	}
}

func TestCredential(t *testing.T) {
	a := &load.Account{Key: "mastodon-pro", Network: "mastodon"}
	env := map[string]string{"HERALD_MASTODON_PRO_TOKEN": "s3cret", "HERALD_MASTODON_PRO_EMPTY": " "}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	if v, err := Credential(getenv, a, Secret{Field: "TOKEN", What: "access token"}); err != nil || v != "s3cret" {
		t.Errorf("Credential = %q, %v", v, err)
	}
	for _, field := range []string{"PASSWORD", "EMPTY"} {
		_, err := Credential(getenv, a, Secret{Field: field, What: "app password"})
		if KindOf(err) != NotConfigured {
			t.Fatalf("%s: kind = %s, want not-configured", field, KindOf(err))
		}
		want := "account mastodon-pro: not configured: set HERALD_MASTODON_PRO_" + field
		if msg := err.Error(); !strings.HasPrefix(msg, want) || strings.Contains(msg, "s3cret") {
			t.Errorf("message = %q, want it to start with %q", msg, want)
		}
		if e := err.(*Error); e.Env != "HERALD_MASTODON_PRO_"+field {
			t.Errorf("Env = %q", e.Env)
		}
	}
}

func TestJoinName(t *testing.T) {
	tests := []struct {
		dir, name, want string
		bad             bool
	}{
		{"outbox", "posts/2026/11/x.json", "outbox/posts/2026/11/x.json", false},
		{"./out/", "x.txt", "out/x.txt", false},
		{"public/feed.xml", "", "public/feed.xml", false},
		{".", "x.json", "x.json", false},
		{"out", "../x.json", "", true},
		{"out", "a/../../x.json", "", true},
		{"out", "/x.json", "", true},
		{"../out", "x.json", "", true},
		{"/tmp/out", "x.json", "", true},
		{`out\x`, "x.json", "", true},
		{"", "x.json", "", true},
		{".", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.dir+"+"+tt.name, func(t *testing.T) {
			got, err := JoinName(tt.dir, tt.name)
			if tt.bad {
				if !errors.Is(err, ErrBadName) {
					t.Errorf("JoinName = %q, %v; want ErrBadName", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("JoinName = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDirStore(t *testing.T) {
	root := t.TempDir()
	s := DirStore{Root: root}
	if _, err := s.ReadFile("out/a.json"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile of a missing file: %v, want fs.ErrNotExist", err)
	}
	for _, content := range []string{"first\n", "second\n"} {
		if err := s.WriteFile("out/deep/a.json", []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := s.ReadFile("out/deep/a.json")
		if err != nil || string(got) != content {
			t.Fatalf("ReadFile = %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(root, "out", "deep"))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only a.json: a temporary file was left", len(entries))
	}
	if err := s.WriteFile("../escape", nil); !errors.Is(err, ErrBadName) {
		t.Errorf("WriteFile outside the root: %v, want ErrBadName", err)
	}
}
