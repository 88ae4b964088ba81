package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder is a test that keeps what the server reports, to check that
// the server refuses what Discord refuses.
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

func (r *recorder) close() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func (r *recorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// send posts a JSON body to the channel's messages with the bot's token.
func send(t *testing.T, s *Server, auth, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.API()+"/channels/"+s.ChannelID+"/messages", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "DiscordBot (https://example.com, 1)")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var answer map[string]any
	json.Unmarshal(data, &answer)
	return resp.StatusCode, answer
}

func TestServerIsStrict(t *testing.T) {
	tests := []struct {
		name   string
		auth   string // "" is the bot's
		body   string
		status int
		code   float64 // Discord's error code, 0 for a message
		errs   []string
	}{
		{name: "a message", body: `{"content": "Bonjour", "nonce": "n1", "enforce_nonce": true}`, status: 200},
		{name: "an unknown field", body: `{"content": "Bonjour", "nonce": "n1", "enforce_nonce": true, "lang": "fr"}`,
			status: 400, code: 50035, errs: []string{`unknown field "lang"`}},
		{name: "a webhook's field", body: `{"content": "Bonjour", "nonce": "n1", "enforce_nonce": true, "username": "x"}`,
			status: 400, code: 50035, errs: []string{"fields of Execute Webhook only"}},
		{name: "a nonce too long", body: `{"content": "Bonjour", "nonce": "12345678901234567890123456", "enforce_nonce": true}`,
			status: 400, code: 50035},
		{name: "without nonce", body: `{"content": "Bonjour"}`, status: 200, errs: []string{"without nonce and enforce_nonce"}},
		{name: "a poll of 11 answers", body: `{"nonce": "n1", "enforce_nonce": true, "poll": {"question": {"text": "?"}, "answers": [` +
			strings.TrimSuffix(strings.Repeat(`{"poll_media": {"text": "a"}},`, 11), ",") + `]}}`, status: 400, code: 50035},
		{name: "a reply to nothing", body: `{"content": "x", "nonce": "n1", "enforce_nonce": true, "message_reference": {"message_id": "1"}}`,
			status: 400, code: 50035},
		{name: "empty", body: `{"nonce": "n1", "enforce_nonce": true}`, status: 400, code: 50006},
		{name: "a bearer token", auth: "Bearer x", body: `{"content": "x", "nonce": "n1", "enforce_nonce": true}`,
			status: 401, errs: []string{"want Bot and the token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := New(rec)
			defer rec.close()
			auth := tt.auth
			if auth == "" {
				auth = "Bot " + s.BotToken
			}
			status, answer := send(t, s, auth, tt.body)
			if status != tt.status || (tt.code != 0 && answer["code"] != tt.code) {
				t.Errorf("answer %d %v, want %d with code %v", status, answer, tt.status, tt.code)
			}
			errs := rec.errors()
			if len(errs) != len(tt.errs) {
				t.Fatalf("the server reported %q, want %d reports", errs, len(tt.errs))
			}
			for i, e := range errs {
				if !strings.Contains(e, tt.errs[i]) {
					t.Errorf("report %q, want %q", e, tt.errs[i])
				}
			}
		})
	}
}

func TestServerNonce(t *testing.T) {
	s := New(t)
	body := `{"content": "Bonjour", "nonce": "n1", "enforce_nonce": true}`
	_, first := send(t, s, "Bot "+s.BotToken, body)
	_, second := send(t, s, "Bot "+s.BotToken, body)
	if first["id"] == nil || first["id"] != second["id"] || len(s.Messages()) != 1 || second["nonce"] != "n1" {
		t.Errorf("creates answered %v then %v; want the same message, made once", first["id"], second["id"])
	}
	s.Forget()
	_, third := send(t, s, "Bot "+s.BotToken, body)
	if third["id"] == first["id"] || len(s.Messages()) != 2 {
		t.Errorf("after Forget, a create answered %v; want a new message", third["id"])
	}
}

func TestServerReportsUnusedRepliesAndUnknownRoutes(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.Fail("POST /channels/:channel/messages", Reply{Status: 500})
	req, _ := http.NewRequest(http.MethodGet, s.API()+"/guilds/1", nil)
	req.Header.Set("Authorization", "Bot "+s.BotToken)
	req.Header.Set("User-Agent", "DiscordBot (https://example.com, 1)")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	rec.close()
	want := []string{"discordtest: GET /guilds/1: not an endpoint Herald uses",
		"discordtest: 1 replies queued for POST /channels/:channel/messages were never used"}
	if diff := cmp.Diff(want, rec.errors()); diff != "" {
		t.Errorf("reports (-want +got):\n%s", diff)
	}
}
