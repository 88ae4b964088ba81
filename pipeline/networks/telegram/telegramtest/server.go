// Package telegramtest is a Telegram Bot API server for tests: an
// httptest.Server that implements the methods Herald calls (getMe,
// getChat, getChatMember, sendMessage, sendPhoto, sendMediaGroup,
// sendPoll) as https://core.telegram.org/bots/api defines them, and fails
// the test on any request those docs do not allow: a path that is not
// /bot<token>/<method>, a method Herald does not call, a field the method
// does not take, a malformed reply_parameters, media or options. It keeps
// the messages it was sent, answers with the failures a test queues
// (Fail), and fails the test at its end when a queued reply was never
// used.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Server is a fake Bot API server with one bot and the chats it knows.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the bot token the server accepts; another is a 401.
	Token string
	// BotID and BotUsername describe the token's bot (getMe).
	BotID       int64
	BotUsername string

	mu       sync.Mutex
	chats    []*Chat
	messages []Message
	failures map[string][]Reply
	requests []Request
}

// Chat is a chat the bot knows.
type Chat struct {
	ID       int64
	Type     string // channel, supergroup, group, private
	Title    string
	Username string // without @; "" for a private channel or group
	// Status is the bot's status in the chat (getChatMember): creator,
	// administrator, member, restricted, left, kicked.
	Status string
	// CanPostMessages is an administrator's right to post in a channel.
	CanPostMessages bool
	nextID          int64
}

// Message is a message the bot sent.
type Message struct {
	ChatID    int64
	ID        int64
	Method    string // the method that sent it
	Text      string // the text, or the caption
	ParseMode string
	ReplyTo   int64 // reply_parameters.message_id, 0 when none
	// Photo is the uploaded file's name and content; "" for a text.
	PhotoName, Photo string
	MediaGroup       bool
	GroupID          string // media_group_id of a media group's messages
	Poll             *Poll
}

// Poll is a poll as sendPoll received it.
type Poll struct {
	Question    string
	Options     []string
	OpenPeriod  int // seconds, 0 when not sent
	Multiple    bool
	IsAnonymous *bool
}

// Reply is a failure a test queues for a method: the Bot API's error
// object {"ok": false, "error_code", "description", "parameters"}. The
// zero Reply lets its request be served.
type Reply struct {
	Status      int
	Description string
	RetryAfter  int // parameters.retry_after, 0 for none
}

// Request is what the server received.
type Request struct {
	Method string            // the Bot API method: sendMessage
	Fields map[string]string // every field, a JSON value as its JSON text (a string as itself)
	Files  map[string]string // multipart file field → its file name
}

// New starts a server for the test, closed at its end, with a bot and a
// public channel @maison where the bot is an administrator that may post.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "7012345678:AAHtest-token-Zq9", BotID: 7012345678, BotUsername: "maison_bot",
		failures: map[string][]Reply{}}
	s.AddChat(&Chat{ID: -1001234567890, Type: "channel", Title: "Maison", Username: "maison",
		Status: "administrator", CanPostMessages: true})
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for method, q := range s.failures {
			if len(q) > 0 {
				t.Errorf("telegramtest: %d queued replies to %s were never used", len(q), method)
			}
		}
	})
	return s
}

// AddChat makes a chat known to the bot.
func (s *Server) AddChat(c *Chat) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.nextID = 100
	s.chats = append(s.chats, c)
}

// Fail queues replies for a method ("sendMessage"): each request of the
// method takes the next, instead of being served.
func (s *Server) Fail(method string, replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[method] = append(s.failures[method], replies...)
}

// Messages returns the messages sent, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("telegramtest: "+format, args...)
}

// chat finds a chat by its chat_id: a number, or @username. Call with mu.
func (s *Server) chat(id string) *Chat {
	for _, c := range s.chats {
		if (strings.HasPrefix(id, "@") && c.Username != "" && strings.EqualFold(id[1:], c.Username)) ||
			id == fmt.Sprint(c.ID) {
			return c
		}
	}
	return nil
}

// writeJSON answers {"ok": true, "result": v}.
func writeOK(w http.ResponseWriter, v any) {
	writeBody(w, http.StatusOK, map[string]any{"ok": true, "result": v})
}

// writeError answers the Bot API's error object.
func writeError(w http.ResponseWriter, r Reply) {
	body := map[string]any{"ok": false, "error_code": r.Status, "description": r.Description}
	if r.RetryAfter > 0 {
		body["parameters"] = map[string]any{"retry_after": r.RetryAfter}
	}
	writeBody(w, r.Status, body)
}

func writeBody(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
