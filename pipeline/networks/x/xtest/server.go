// Package xtest is an X API v2 server for tests: an httptest.Server that
// implements the endpoints Herald calls as X's OpenAPI description and
// docs define them (POST /2/tweets; POST /2/media/upload, its
// initialize, append and finalize steps and its GET status; POST
// /2/media/metadata; GET /2/users/me, /2/users/{id}/tweets, /2/tweets)
// and fails the test on any request they do not allow: a missing or
// wrongly signed OAuth 1.0a Authorization (verified here by hand from RFC
// 5849), a wrong method or content type, a parameter or field the
// endpoint does not take. It keeps the account's posts and media, refuses
// a duplicate text as X does (403), and serves the replies a test queues
// (Queue: a 429 with X's rate-limit headers, a 5xx); a queued reply never
// used fails the test at its end.
package xtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/networks/internal/replies"
)

// Server is a fake X with one app and one account.
type Server struct {
	*httptest.Server
	t testing.TB

	// The OAuth 1.0a credentials the server accepts.
	ConsumerKey, ConsumerSecret, AccessToken, AccessSecret string
	// UserID, Username and Followers are the account's.
	UserID, Username string
	Followers        int64
	// ProcessingPolls is how many status reads a chunked medium stays
	// in_progress after finalize; default 0 (pending at finalize, then
	// succeeded).
	ProcessingPolls int
	// Now is the clock (post dates, rate-limit resets, oauth_timestamp);
	// default time.Now.
	Now func() time.Time

	mu       sync.Mutex
	posts    []*Post
	media    map[string]*Medium
	queued   replies.Queue[Reply]
	requests []Request
	nonces   map[string]bool
	next     int64
}

// Post is a post of the account.
type Post struct {
	ID, Text       string
	InReplyTo      string // the post it replies to, "" for none
	ConversationID string
	MediaIDs       []string
	Poll           *Poll
	CreatedAt      time.Time
	// Metrics are its public_metrics, as X names them.
	Likes, Reposts, Replies, Quotes, Impressions int64
}

// Poll is a post's poll.
type Poll struct {
	Options         []string
	DurationMinutes int
}

// Medium is an uploaded medium.
type Medium struct {
	ID, Category, Type, Alt string
	Data                    []byte
	Chunked                 bool // initialize, append, finalize
	Finalized               bool
	statusReads, total      int
}

// Reply is an answer a test queues for a route ("POST /2/tweets",
// "GET /2/users/me"...); the zero Reply lets its request be served.
type Reply struct {
	Status int // default 200
	Header map[string]string
	Body   string
}

// RateLimited is X's 429: its rate-limit headers, the window resetting
// after wait.
func (s *Server) RateLimited(wait time.Duration) Reply {
	return Reply{Status: http.StatusTooManyRequests, Header: map[string]string{
		"x-rate-limit-limit": "100", "x-rate-limit-remaining": "0",
		"x-rate-limit-reset": strconv.FormatInt(s.now().Add(wait).Unix(), 10)},
		Body: `{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}`}
}

// Request is what the server received.
type Request struct {
	Route  string // "POST /2/tweets"
	Header http.Header
	Query  map[string][]string
	Body   map[string]any // a JSON body, or a multipart body's fields
}

// New starts a server for the test, closed at its end; at its end too, a
// queued reply never used fails the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, ConsumerKey: "xvz1evFS4wEEPTGEFPHBog", ConsumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
		AccessToken: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", AccessSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
		UserID: "1850000000000000001", Username: "maisonexemple", Followers: 1234,
		media: map[string]*Medium{}, nonces: map[string]bool{}, next: 1860000000000000000}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.queued.Report(t, "xtest: %d queued replies for %s were never used")
	})
	return s
}

// API is the base URL for an account's api: field.
func (s *Server) API() string { return s.URL }

// Env returns the HERALD_<KEY>_<FIELD> credentials of an account key.
func (s *Server) Env(key string) map[string]string {
	return map[string]string{"HERALD_" + key + "_API_KEY": s.ConsumerKey, "HERALD_" + key + "_API_SECRET": s.ConsumerSecret,
		"HERALD_" + key + "_ACCESS_TOKEN": s.AccessToken, "HERALD_" + key + "_ACCESS_SECRET": s.AccessSecret}
}

// Queue queues replies for a route: each request of it takes the next.
func (s *Server) Queue(route string, replies ...Reply) {
	s.queued.Add(route, replies...)
}

// Posts returns copies of the account's posts, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = *p
		out[i].MediaIDs = slices.Clone(p.MediaIDs)
	}
	return out
}

// Medium returns a copy of an uploaded medium.
func (s *Server) Medium(id string) (Medium, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Medium{}, false
	}
	return *m, true
}

// AddPost adds a post as if made earlier (a reply when InReplyTo is
// set), and returns its id.
func (s *Server) AddPost(p Post) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.add(&p).ID
}

// SetMetrics sets a post's public metrics.
func (s *Server) SetMetrics(id string, likes, reposts, replies, quotes, impressions int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.post(id); p != nil {
		p.Likes, p.Reposts, p.Replies, p.Quotes, p.Impressions = likes, reposts, replies, quotes, impressions
	}
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Routes returns the route of each request, in order.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Route)
	}
	return out
}

func (s *Server) add(p *Post) *Post {
	s.next += 1000
	p.ID = strconv.FormatInt(s.next, 10)
	if p.CreatedAt.IsZero() {
		p.CreatedAt = s.now()
	}
	p.ConversationID = p.ID
	if parent := s.post(p.InReplyTo); parent != nil {
		p.ConversationID = parent.ConversationID
	}
	s.posts = append(s.posts, p)
	return p
}

func (s *Server) post(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// errorf fails the test for a request X's description does not allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("xtest: "+format, args...)
}

func (s *Server) newID() string {
	s.next++
	return fmt.Sprint(s.next)
}
