// Package discordtest is a Discord API for tests: an httptest.Server that
// implements the endpoints Herald uses as Discord's documentation and
// OpenAPI description define them (Create Message, Get Channel Message,
// List Messages, Get Channel, Get Current User, Execute Webhook, Get
// Webhook with Token) and fails the test on any request they do not
// allow: a missing `Bot` token, a missing User-Agent, a wrong method or
// content type, a JSON field Discord does not know (answered, as Discord
// does, 400 with code 50035 "Invalid Form Body"). It keeps what it was
// sent, honours nonce and enforce_nonce as Discord does (a second create
// with a nonce answers with the first message, until Forget), and
// answers with the replies a test queues (Fail), failing the test at its
// end for a queued reply never used.
package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Server is a fake Discord API with one bot, one channel and one webhook
// of that channel.
type Server struct {
	*httptest.Server
	t testing.TB

	// BotToken is the token the server accepts; UserID and Username are
	// its bot's.
	BotToken, UserID, Username string
	// GuildID, ChannelID and ChannelName are the channel's.
	GuildID, ChannelID, ChannelName string
	// WebhookID and WebhookToken are the channel's webhook's; WebhookName
	// its name.
	WebhookID, WebhookToken, WebhookName string
	// Now dates the messages and the rate limits' resets; default time.Now.
	Now func() time.Time

	mu       sync.Mutex
	messages []*Message
	nonces   map[string]string // author id + nonce → message id
	failures map[string][]Reply
	requests []Request
	nextID   int64
}

// Message is a message of the channel.
type Message struct {
	ID, Content, AuthorID, WebhookID string
	Nonce                            string // "" when the create had none
	ReplyTo                          string // message_reference.message_id
	Attachments                      []Attachment
	Poll                             *Poll
	Reactions                        []int64 // each reaction's count
	CreatedAt                        time.Time
}

// Attachment is a file of a message, as multipart/form-data sent it.
type Attachment struct {
	ID, Filename, Description, ContentType string
	Data                                   []byte
}

// Poll is a message's poll, as the create sent it.
type Poll struct {
	Question         string
	Answers          []string
	Duration         int // hours
	AllowMultiselect bool
}

// Reply is an answer a test queues for a route ("POST
// /channels/:channel/messages"); the zero Reply lets its request be
// served.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
	// RateLimit makes the reply a 429 as Discord sends it: the body
	// {"message", "retry_after", "global"} and the headers Retry-After,
	// X-RateLimit-* (and X-RateLimit-Global for a global limit).
	RateLimit *RateLimit
	// After makes the server do what was asked first, then answer with
	// this reply: the answer is lost, the work is done.
	After bool
}

// RateLimit is a 429: how many seconds to wait, and whether the limit is
// the bot's global one rather than the route's.
type RateLimit struct {
	RetryAfter float64
	Global     bool
}

// Request is what the server received.
type Request struct {
	Method, Path, Query string
	Header              http.Header
	// JSON is the request's JSON body, or its payload_json.
	JSON map[string]any
}

// New starts a server for the test, closed at its end; the test fails
// then if a queued reply was never used.
func New(t testing.TB) *Server {
	s := &Server{t: t, BotToken: "MTEwMDAw.bot-token.Qk2vB7xZ", UserID: "1100000000000000001", Username: "herald",
		GuildID: "1300000000000000001", ChannelID: "1200000000000000001", ChannelName: "annonces",
		WebhookID: "1400000000000000001", WebhookToken: "wh-T0ken_s3cret-9fQ", WebhookName: "Maison",
		nonces: map[string]string{}, failures: map[string][]Reply{}, nextID: 1500000000000000000}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for route, q := range s.failures {
			if len(q) > 0 {
				t.Errorf("discordtest: %d replies queued for %s were never used", len(q), route)
			}
		}
	})
	return s
}

// API is the base URL to give an account's api: field.
func (s *Server) API() string { return s.URL + "/api/v10" }

// WebhookURL is the webhook's URL, as Discord's Copy Webhook URL gives it.
func (s *Server) WebhookURL() string {
	return s.URL + "/api/webhooks/" + s.WebhookID + "/" + s.WebhookToken
}

// Fail queues replies for a route, "METHOD /path" with :channel, :id and
// :token for the ids ("POST /webhooks/:id/:token"): each request of the
// route takes the next.
func (s *Server) Fail(route string, replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[route] = append(s.failures[route], replies...)
}

// Forget drops the nonces, as Discord does after a few minutes.
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.nonces)
}

// Messages returns copies of the channel's messages, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = *m
	}
	return out
}

// AddMessage adds a message as if posted earlier (by the bot when
// AuthorID is empty), and returns its id.
func (s *Server) AddMessage(m Message) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.ID = s.newID()
	if m.AuthorID == "" {
		m.AuthorID = s.UserID
	}
	if m.CreatedAt.IsZero() {
		m.CreatedAt = s.now()
	}
	s.messages = append(s.messages, &m)
	return m.ID
}

// React sets a message's reactions: each one's count.
func (s *Server) React(id string, counts ...int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.message(id); m != nil {
		m.Reactions = counts
	}
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Routes returns the route of each request received, in order.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

func (s *Server) newID() string {
	s.nextID++
	return strconv.FormatInt(s.nextID, 10)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) message(id string) *Message {
	for _, m := range s.messages {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// errorf fails the test for a request Discord's documentation does not
// allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("discordtest: "+format, args...)
}

// rateHeaders are the headers Discord sets on every answer of a route.
func (s *Server) rateHeaders(w http.ResponseWriter, remaining int, resetAfter float64) {
	reset := float64(s.now().UnixMilli())/1000 + resetAfter
	w.Header().Set("X-RateLimit-Limit", "5")
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatFloat(reset, 'f', 3, 64))
	w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(resetAfter, 'f', 3, 64))
	w.Header().Set("X-RateLimit-Bucket", "d721dea6054f6322373d361f98e5c38b")
}

// reply writes a queued reply.
func (s *Server) reply(w http.ResponseWriter, r *Reply) {
	if rl := r.RateLimit; rl != nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(rl.RetryAfter+0.999)))
		if rl.Global {
			w.Header().Set("X-RateLimit-Global", "true")
			w.Header().Set("X-RateLimit-Scope", "global")
		} else {
			s.rateHeaders(w, 0, rl.RetryAfter)
			w.Header().Set("X-RateLimit-Scope", "user")
		}
		writeJSON(w, http.StatusTooManyRequests, map[string]any{
			"message": "You are being rate limited.", "retry_after": rl.RetryAfter, "global": rl.Global})
		return
	}
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if len(r.Body) > 0 && r.Body[0] == '{' {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(r.Status)
	fmt.Fprint(w, r.Body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// apiError is Discord's error body.
func apiError(code int, message string) map[string]any {
	return map[string]any{"code": code, "message": message}
}
