// Package slacktest is a Slack Web API server for tests: an
// httptest.Server that implements the methods Herald calls as
// docs.slack.dev describes them (chat.postMessage, chat.getPermalink,
// conversations.history, .replies and .info, files.getUploadURLExternal
// and .completeUploadExternal with the upload URL they hand out,
// reactions.get, auth.test) and fails the test on any request those docs
// do not allow: a missing bearer token, a wrong HTTP method or content
// type, an argument the method does not take. It keeps the channel's
// messages with their metadata and threads, and answers with the replies
// a test queues (Queue); a queued reply never used fails the test at its
// end.
package slacktest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/networks/internal/replies"
)

// Server is a fake Slack workspace with one bot and one channel.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the bot token the server accepts.
	Token string
	// Channel is the channel's id, ChannelName its name; Member says
	// whether the bot is in it (conversations.info's is_member).
	Channel, ChannelName string
	Member               bool
	// Team, TeamID, BotUser and BotUserID are what auth.test says.
	Team, TeamID, BotUser, BotUserID string
	// Now dates the messages; default time.Now.
	Now func() time.Time

	mu       sync.Mutex
	messages []*Message
	files    map[string]*File
	queued   replies.Queue[Reply]
	requests []Request
	next     int
}

// Message is a message of the channel.
type Message struct {
	TS, ThreadTS string // ThreadTS is "" for a message outside any thread
	Text         string
	User         string
	// Metadata is what chat.postMessage received as metadata, nil when
	// the message has none.
	Metadata  *Metadata
	FileIDs   []string
	Reactions map[string]int // emoji name → count
}

// Metadata is a message's metadata as the Web API takes it.
type Metadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

// File is a file uploaded through files.getUploadURLExternal.
type File struct {
	ID, Filename, AltTxt, Title string
	Length                      int
	Data                        []byte // what was POSTed to the upload URL
	ContentType                 string // of that POST
	Shared                      bool   // files.completeUploadExternal was called
}

// Reply is an answer a test queues for a method ("chat.postMessage", or
// "upload" for the upload URL); the zero Reply lets its request be
// served.
type Reply struct {
	Status int // default 200
	Header map[string]string
	Body   string
}

// Request is what the server received.
type Request struct {
	Method, Path string // HTTP method, and the API method ("chat.postMessage") or "upload"
	Header       http.Header
	Args         map[string]any // query, form or JSON arguments
}

// New starts a server for the test, closed at its end; at its end too, a
// queued reply never used fails the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "xoxb-1234-5678-testTOKENslack", Channel: "C0HERALD01", ChannelName: "annonces",
		Member: true, Team: "Maison Exemple", TeamID: "T0MAISON1", BotUser: "herald", BotUserID: "U0HERALD1",
		files: map[string]*File{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.queued.Report(t, "slacktest: %d queued replies for %s were never used")
	})
	return s
}

// API is the base URL of the Web API, for an account's api: field.
func (s *Server) API() string { return s.URL + "/api" }

// Queue queues replies for a method: each request of it takes the next.
func (s *Server) Queue(method string, replies ...Reply) {
	s.queued.Add(method, replies...)
}

// Messages returns copies of the channel's messages, threads included,
// oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = *m
		out[i].FileIDs = slices.Clone(m.FileIDs)
	}
	return out
}

// File returns a copy of an uploaded file.
func (s *Server) File(id string) (File, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.files[id]
	if !ok {
		return File{}, false
	}
	return *f, true
}

// AddMessage adds a message as if posted earlier, and returns its ts.
func (s *Server) AddMessage(m Message) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.TS = s.newTS()
	if m.User == "" {
		m.User = "U0SOMEONE1"
	}
	s.messages = append(s.messages, &m)
	return m.TS
}

// React adds count reactions of an emoji to a message.
func (s *Server) React(ts, emoji string, count int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.message(ts); m != nil {
		if m.Reactions == nil {
			m.Reactions = map[string]int{}
		}
		m.Reactions[emoji] += count
	}
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Methods returns the API method of each request, in order.
func (s *Server) Methods() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Path)
	}
	return out
}

// newTS is a message timestamp as Slack writes them: Unix seconds, a
// dot, six digits unique in the channel.
func (s *Server) newTS() string {
	s.next++
	now := time.Now()
	if s.Now != nil {
		now = s.Now()
	}
	return fmt.Sprintf("%d.%06d", now.Unix(), s.next)
}

func (s *Server) message(ts string) *Message {
	for _, m := range s.messages {
		if m.TS == ts {
			return m
		}
	}
	return nil
}

// errorf fails the test for a request the docs do not allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("slacktest: "+format, args...)
}
