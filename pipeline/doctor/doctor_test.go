package doctor_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/doctor"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
)

var now = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

// calendar writes a calendar whose charter has the accounts given (YAML
// lines below accounts:), and the other files, into a new folder.
func calendar(t *testing.T, accounts string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["charter.yaml"] = "brand: Maison Exemple\ntimezone: Europe/Paris\naccounts:\n" + accounts +
		"editorial_line:\n  produit: {description: Nos créations}\n"
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// run runs doctor on dir with env as the environment, retrying without
// waiting.
func run(t *testing.T, dir string, env map[string]string) *doctor.Report {
	t.Helper()
	rep, err := doctor.Run(context.Background(), doctor.Options{
		Dir:    dir,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return now },
		HTTP:   httpx.Options{Sleep: func(context.Context, time.Duration) error { return nil }, Rand: func() float64 { return 0 }},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// accountCheck returns the first check of an account.
func accountCheck(t *testing.T, rep *doctor.Report, key string) doctor.Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Account == key {
			return c
		}
	}
	t.Fatalf("no check of account %s in %+v", key, rep.Checks)
	return doctor.Check{}
}

// noSecret fails the test if any output of rep holds one of secrets.
func noSecret(t *testing.T, rep *doctor.Report, secrets ...string) {
	t.Helper()
	var b bytes.Buffer
	doctor.WriteText(&b, rep, nil)
	doctor.WriteJSON(&b, rep)
	doctor.WriteMarkdown(&b, rep, nil)
	for _, s := range secrets {
		if strings.Contains(b.String(), s) {
			t.Errorf("the output holds the secret %q:\n%s", s, b.String())
		}
	}
}

func TestMastodon(t *testing.T) {
	type want struct {
		status  doctor.Status
		message string // a part of the message; SERVER is the fake's host
	}
	for _, tc := range []struct {
		name     string
		token    func(srv *mastodontest.Server) string // "" leaves it unset
		failures []mastodontest.Reply
		requests int
		want     want
	}{
		{
			name: "ok", token: func(s *mastodontest.Server) string { return s.Token }, requests: 1,
			want: want{doctor.OK, "SERVER accepts the token of @maison@SERVER (GET /api/v1/accounts/verify_credentials)"},
		},
		{
			name: "rejected", token: func(*mastodontest.Server) string { return "a-revoked-token-9x" }, requests: 1,
			want: want{doctor.Error, "rejected: HTTP 401: GET /api/v1/accounts/verify_credentials: The access token is invalid: make a new access token on SERVER (Preferences > Development) and set it in HERALD_SOCIAL_MAISON_TOKEN"},
		},
		{
			name: "forbidden", token: func(s *mastodontest.Server) string { return s.Token }, requests: 1,
			failures: []mastodontest.Reply{{Status: 403, Body: `{"error":"This action is outside the authorized scopes"}`}},
			want:     want{doctor.Error, "rejected: HTTP 403: GET /api/v1/accounts/verify_credentials: This action is outside the authorized scopes"},
		},
		{
			name: "missing", token: func(*mastodontest.Server) string { return "" }, requests: 0,
			want: want{doctor.Warning, "not configured: set HERALD_SOCIAL_MAISON_TOKEN (an access token with the scopes read:accounts read:statuses write:media write:statuses) in the herald environment's secrets; until then herald publish skips the posts that name it while they are due, then reports them missed (past cadence.max_lateness, 6h), which fails the run"},
		},
		{
			name: "unreachable", token: func(s *mastodontest.Server) string { return s.Token }, requests: 3,
			failures: []mastodontest.Reply{{Status: 503}, {Status: 502}, {Status: 504}},
			want:     want{doctor.Warning, "could not reach SERVER, the token was not checked: HTTP 504: GET /api/v1/accounts/verify_credentials: Gateway Timeout"},
		},
		{
			// Go's transport sends a GET again on a connection dropped
			// before any answer: how many requests arrive is its business.
			name: "connection dropped", token: func(s *mastodontest.Server) string { return s.Token }, requests: -1,
			failures: []mastodontest.Reply{{Hangup: true}, {Hangup: true}, {Hangup: true}, {Hangup: true}, {Hangup: true}, {Hangup: true}},
			want:     want{doctor.Warning, "could not reach SERVER, the token was not checked: GET /api/v1/accounts/verify_credentials: no answer"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mastodontest.New(t)
			srv.SpareReplies = tc.requests < 0
			srv.Fail("GET /api/v1/accounts/verify_credentials", tc.failures...)
			dir := calendar(t, "  social.maison: {network: mastodon, server: "+srv.URL+"}\n", map[string]string{})
			env := map[string]string{}
			token := tc.token(srv)
			if token != "" {
				env["HERALD_SOCIAL_MAISON_TOKEN"] = token
			}
			rep := run(t, dir, env)
			c := accountCheck(t, rep, "social.maison")
			u, _ := url.Parse(srv.URL)
			wantMsg := strings.ReplaceAll(tc.want.message, "SERVER", u.Host)
			if c.Status != tc.want.status || !strings.HasPrefix(c.Message, wantMsg) {
				t.Errorf("check = %s %q, want %s %q...", c.Status, c.Message, tc.want.status, wantMsg)
			}
			if c.Network != "mastodon" || c.Calendar != "." {
				t.Errorf("check of network %q in calendar %q, want mastodon in .", c.Network, c.Calendar)
			}
			if got := rep.Failed(); got != (tc.want.status == doctor.Error) {
				t.Errorf("Failed() = %v with a check %s", got, c.Status)
			}
			reqs := srv.Requests()
			if tc.requests >= 0 && len(reqs) != tc.requests {
				t.Fatalf("%d requests, want %d: %v", len(reqs), tc.requests, srv.Routes())
			}
			for _, r := range reqs {
				if r.Method != http.MethodGet || r.Path != "/api/v1/accounts/verify_credentials" || r.Query != "" ||
					r.Header.Get("Authorization") != "Bearer "+token {
					t.Errorf("request %s %s?%s with Authorization %q, want GET /api/v1/accounts/verify_credentials with the token",
						r.Method, r.Path, r.Query, r.Header.Get("Authorization"))
				}
			}
			noSecret(t, rep, srv.Token, "a-revoked-token-9x")
		})
	}
}

// password is the app password of the test PDS's account.
const password = "abcd-efgh-ijkl-mnop"

func TestBluesky(t *testing.T) {
	for _, tc := range []struct {
		name     string
		password string // "" leaves it unset
		expires  time.Duration
		failWith []int
		requests int
		status   doctor.Status
		message  string // its start; PDS is the fake's host
	}{
		{name: "ok", password: password, expires: 2 * time.Hour, requests: 1, status: doctor.OK,
			message: "logged in as @maison.example.com on PDS: session lasts 2 hours: publish logs in once per run, nothing to do"},
		{name: "a short session", password: password, expires: 20 * time.Minute, requests: 1, status: doctor.OK,
			message: "logged in as @maison.example.com on PDS: session lasts 20 minutes: "},
		{name: "an expired session", password: password, expires: -time.Minute, requests: 1, status: doctor.Warning,
			message: "logged in as @maison.example.com on PDS, but the session's access token expired at 2026-12-01T07:59:00Z: is this machine's clock right?"},
		{name: "rejected", password: "the-main-password", requests: 1, status: doctor.Error,
			message: "rejected: HTTP 401: POST /xrpc/com.atproto.server.createSession: AuthenticationRequired: Invalid identifier or password [redacted] (log in as maison.example.com with the app password in HERALD_BLUESKY_PASSWORD: check both)"},
		{name: "missing", requests: 0, status: doctor.Warning,
			message: "not configured: set HERALD_BLUESKY_PASSWORD (an app password of maison.example.com, from Settings > Privacy and security > App passwords) in the herald environment's secrets; "},
		{name: "unreachable", password: password, failWith: []int{502, 502, 502}, requests: 3, status: doctor.Warning,
			message: "could not reach PDS, the app password was not checked: HTTP 502: POST /xrpc/com.atproto.server.createSession: InternalServerError: try later"},
		{name: "reachable on the second try", password: password, expires: 2 * time.Hour, failWith: []int{503}, requests: 2, status: doctor.OK,
			message: "logged in as @maison.example.com on PDS: session lasts 2 hours"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pds := blueskytest.NewPDS(t)
			pds.SetPassword(password)
			pds.SetSessionExpires(now.Add(tc.expires))
			for _, status := range tc.failWith {
				pds.Fail("com.atproto.server.createSession", status, nil, `{"error":"InternalServerError","message":"try later"}`)
			}
			dir := calendar(t, "  bluesky: {network: bluesky, handle: "+blueskytest.Handle+", pds: "+pds.URL()+"}\n", map[string]string{})
			env := map[string]string{}
			if tc.password != "" {
				env["HERALD_BLUESKY_PASSWORD"] = tc.password
			}
			rep := run(t, dir, env)
			c := accountCheck(t, rep, "bluesky")
			u, _ := url.Parse(pds.URL())
			want := strings.ReplaceAll(tc.message, "PDS", u.Host)
			if c.Status != tc.status || !strings.HasPrefix(c.Message, want) {
				t.Errorf("check = %s %q, want %s %q...", c.Status, c.Message, tc.status, want)
			}
			if n := len(pds.Requests()); n != tc.requests {
				t.Errorf("%d requests, want %d", n, tc.requests)
			}
			noSecret(t, rep, password, "the-main-password", "eyJ0eXAi")
		})
	}
}

// TestLinkedInExpiry: LinkedIn says when a token expires only when it is
// made, so doctor reads HERALD_<KEY>_TOKEN_EXPIRES, beside the client's
// own check of the token (against linkedintest, never the real API).
func TestLinkedInExpiry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		expires string // HERALD_LINKEDIN_TOKEN_EXPIRES
		want    []doctor.Check
	}{
		{name: "no expiry set", want: nil},
		{name: "far", expires: "2027-01-20T10:00:00Z",
			want: []doctor.Check{{Status: doctor.OK, Message: "the LinkedIn token expires on 2027-01-20 11:00 CET, in 50d2h (HERALD_LINKEDIN_TOKEN_EXPIRES says)"}}},
		{name: "soon, a date", expires: "2026-12-10",
			want: []doctor.Check{{Status: doctor.Warning, Message: "the LinkedIn token expires on 2026-12-10 00:00 CET, in 8d15h: make a new token (they last 60 days), and set it in HERALD_LINKEDIN_TOKEN and its expiry in HERALD_LINKEDIN_TOKEN_EXPIRES"}}},
		{name: "expired", expires: "2026-11-30T09:00:00+01:00",
			want: []doctor.Check{{Status: doctor.Warning, Message: "the LinkedIn token expired on 2026-11-30 09:00 CET: make a new token (they last 60 days), and set it in HERALD_LINKEDIN_TOKEN and its expiry in HERALD_LINKEDIN_TOKEN_EXPIRES"}}},
		{name: "not a date", expires: "next month",
			want: []doctor.Check{{Status: doctor.Warning, Message: `HERALD_LINKEDIN_TOKEN_EXPIRES is "next month", not a date: use RFC 3339 (2027-01-31T12:00:00Z) or YYYY-MM-DD`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := linkedintest.New(t)
			accounts := fmt.Sprintf("  linkedin: {network: linkedin, author: %q, version: %q, api: %s}\n", srv.Author, srv.Version, srv.URL)
			dir := calendar(t, accounts, map[string]string{})
			rep := run(t, dir, map[string]string{"HERALD_LINKEDIN_TOKEN_EXPIRES": tc.expires, "HERALD_LINKEDIN_TOKEN": srv.Token})
			checks := rep.Checks[:len(rep.Checks)-1] // the last is the workflow's
			if len(checks) == 0 || checks[0].Status != doctor.OK || !strings.HasPrefix(checks[0].Message, "LinkedIn accepts the token for the page Maison Exemple") {
				t.Errorf("the token's check: %+v, want LinkedIn accepting it", checks)
			}
			var want []doctor.Check
			for _, c := range tc.want {
				c.Calendar, c.Account, c.Network = ".", "linkedin", "linkedin"
				want = append(want, c)
			}
			if diff := cmp.Diff(want, checks[min(1, len(checks)):], cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("expiry checks (-want +got):\n%s", diff)
			}
			if rep.Failed() {
				t.Error("Failed() with warnings only")
			}
			noSecret(t, rep, srv.Token)
		})
	}
}

func TestChannels(t *testing.T) {
	for _, tc := range []struct {
		name    string
		account string
		files   map[string]string
		setup   func(t *testing.T, dir string)
		status  doctor.Status
		message string
	}{
		{name: "feed", account: "{network: feed, path: public/feed.xml}", status: doctor.OK,
			message: "writes public/feed.xml in the calendar, keeping its newest 100 entries (max_entries), committed with the journal; needs no credentials"},
		{name: "feed written before", account: "{network: feed, path: ./public//feed.xml, max_entries: 20}", files: map[string]string{"public/feed.xml": "<feed/>"}, status: doctor.OK,
			message: "writes public/feed.xml in the calendar, keeping its newest 20 entries (max_entries), committed with the journal; needs no credentials"},
		{name: "outbox", account: "{network: outbox, dir: outbox}", status: doctor.OK,
			message: "writes into outbox/ in the calendar, committed with the journal; needs no credentials"},
		{name: "a file where a folder goes", account: "{network: outbox, dir: outbox/posts}", files: map[string]string{"outbox": "not a folder"}, status: doctor.Error,
			message: "outbox is a file, where herald needs a folder to write outbox/posts"},
		{name: "a folder where the feed goes", account: "{network: feed, path: public}", files: map[string]string{"public/index.html": ""}, status: doctor.Error,
			message: "public is not a file: the feed is written there"},
		{name: "read-only", account: "{network: feed, path: public/feed.xml}", files: map[string]string{"public/.keep": ""}, status: doctor.Error,
			setup: func(t *testing.T, dir string) {
				os.Chmod(filepath.Join(dir, "public"), 0o555)
				t.Cleanup(func() { os.Chmod(filepath.Join(dir, "public"), 0o755) })
			},
			message: "public/ is read-only: herald writes public/feed.xml there"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := tc.files
			if files == nil {
				files = map[string]string{}
			}
			dir := calendar(t, "  channel: "+tc.account+"\n", files)
			if tc.setup != nil {
				tc.setup(t, dir)
			}
			c := accountCheck(t, run(t, dir, nil), "channel")
			if c.Status != tc.status || !strings.HasPrefix(c.Message, tc.message) {
				t.Errorf("check = %s %q, want %s %q", c.Status, c.Message, tc.status, tc.message)
			}
		})
	}
}

// TestChannelOutsideTheCalendar: a channel writing outside the calendar,
// by its path or through a link, is a charter error (check's
// charter.path), so doctor stops as publish does, before any check.
func TestChannelOutsideTheCalendar(t *testing.T) {
	for name, setup := range map[string]func(t *testing.T) string{
		"a path": func(t *testing.T) string {
			return calendar(t, "  channel: {network: outbox, dir: ../elsewhere}\n", map[string]string{})
		},
		"a link": func(t *testing.T) string {
			dir := calendar(t, "  channel: {network: outbox, dir: outbox/posts}\n", map[string]string{})
			if err := os.Symlink(t.TempDir(), filepath.Join(dir, "outbox")); err != nil {
				t.Skip(err)
			}
			return dir
		},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := doctor.Run(context.Background(), doctor.Options{Dir: setup(t), Getenv: func(string) string { return "" }})
			if _, ok := errors.AsType[*load.UsageError](err); !ok {
				t.Errorf("err = %v, want the charter's errors (a usage error)", err)
			}
		})
	}
}

func TestCharterWithErrors(t *testing.T) {
	dir := calendar(t, "  x: {network: x}\n", map[string]string{})
	os.WriteFile(filepath.Join(dir, "charter.yaml"), []byte("brand: Cassé\ntimezone: Europe/Pariss\naccounts:\n  x: {network: x}\n"), 0o644)
	_, err := doctor.Run(context.Background(), doctor.Options{Dir: dir, Getenv: func(string) string { return "" }})
	var usage *load.UsageError
	if !errors.As(err, &usage) {
		t.Fatalf("err = %v, want a usage error", err)
	}
}
