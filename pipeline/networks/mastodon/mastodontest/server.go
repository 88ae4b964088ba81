// Package mastodontest is a Mastodon server for tests: an httptest.Server
// that implements the client API endpoints Herald uses as
// docs.joinmastodon.org defines them (statuses, media, accounts,
// instance) and fails the test on any request those docs do not allow:
// a missing bearer token, a wrong method or content type, an unknown
// field. It keeps what it was sent, honours Idempotency-Key as Mastodon
// does (until Forget), processes media asynchronously when told to, and
// answers with the failures a test queues (Fail).
package mastodontest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Server is a fake Mastodon server with one account.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the access token the server accepts.
	Token string
	// AccountID, Acct and FollowersCount describe the token's account.
	AccountID      string
	Acct           string
	FollowersCount int64
	// MaxCharacters, MaxMedia and DescriptionLimit are the instance's
	// limits, which it enforces (422) and GET /api/v2/instance says.
	MaxCharacters, MaxMedia, DescriptionLimit int
	// ProcessingPolls is how many times GET /api/v1/media/:id answers 206
	// for an upload answered 202; images are answered 202 too when it is
	// positive, videos always.
	ProcessingPolls int
	// NoBatchStats makes GET /api/v1/statuses unknown (a server before
	// Mastodon 4.3).
	NoBatchStats bool
	// Now dates the statuses; default time.Now.
	Now func() time.Time
	// SpareReplies lets the test end with queued replies unserved, for a
	// test that queues more than the calls can take because how many are
	// made is not the client's to say (Go's transport resends a GET on a
	// dropped connection). Otherwise an unserved reply fails the test.
	SpareReplies bool

	mu       sync.Mutex
	statuses []*Status
	media    map[string]*Medium
	keys     map[string]string // Idempotency-Key → status id
	failures map[string][]Reply
	requests []Request
	nextID   int64
}

// Status is a status the server holds.
type Status struct {
	ID, Text, InReplyToID, Visibility, Language string
	MediaIDs                                    []string
	IdempotencyKey                              string
	CreatedAt                                   time.Time
	Favourites, Reblogs, Replies                int64
	Quotes                                      *int64 // nil: the server does not count quotes
	Reblog                                      bool   // a boost of someone else's status
	Poll                                        *Poll  // nil: the status has no poll
}

// Poll is a status's poll, as POST /api/v1/statuses received it.
type Poll struct {
	Options              []string
	ExpiresIn            int // seconds
	Multiple, HideTotals bool
}

// Medium is an uploaded media attachment.
type Medium struct {
	ID, Filename, ContentType, Description string
	Data                                   []byte
	Pending                                int // 206s still to answer
	StatusID                               string
}

// Reply is a failure a test queues for a route ("POST /api/v1/statuses");
// the zero Reply lets its request be served.
type Reply struct {
	Status int
	Header map[string]string
	Body   string
	// Hangup closes the connection instead of answering.
	Hangup bool
	// After makes the server do what was asked first, then answer with
	// this reply: the answer is lost, the work is done.
	After bool
}

// Request is what the server received.
type Request struct {
	Method, Path, Query string
	Header              http.Header
	Form                map[string][]string // form fields, or JSON fields as strings
	Files               map[string]string   // multipart file field → its Content-Type
}

// New starts a server for the test, closed at its end.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "test-token-7Qk2vB", AccountID: "109000000000000001", Acct: "maison",
		FollowersCount: 1234, MaxCharacters: 500, MaxMedia: 4, DescriptionLimit: 1500,
		media: map[string]*Medium{}, keys: map[string]string{}, failures: map[string][]Reply{},
		nextID: 113000000000000000}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for route, replies := range s.failures {
			if len(replies) > 0 && !s.SpareReplies {
				t.Errorf("mastodontest: %d queued repl(ies) for %s were never served: the client did not make the calls the test expected", len(replies), route)
			}
		}
	})
	return s
}

// Fail queues replies for a route, "METHOD /path" with :id for an id
// ("GET /api/v1/media/:id"): each request of the route takes the next.
func (s *Server) Fail(route string, replies ...Reply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[route] = append(s.failures[route], replies...)
}

// Forget drops the idempotency keys, as Mastodon does after an hour.
func (s *Server) Forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.keys)
}

// Statuses returns copies of the statuses, oldest first.
func (s *Server) Statuses() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, len(s.statuses))
	for i, st := range s.statuses {
		out[i] = *st
		out[i].MediaIDs = slices.Clone(st.MediaIDs)
	}
	return out
}

// Media returns a copy of an uploaded medium.
func (s *Server) Media(id string) (Medium, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return Medium{}, false
	}
	return *m, true
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Routes returns "METHOD path" of each request received, in order.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// AddStatus adds a status as if it had been posted earlier, and returns
// its id.
func (s *Server) AddStatus(st Status) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	st.ID = s.newID()
	if st.Visibility == "" {
		st.Visibility = "public"
	}
	if st.CreatedAt.IsZero() {
		st.CreatedAt = s.now()
	}
	s.statuses = append(s.statuses, &st)
	return st.ID
}

// AddMedium adds a processed medium, as if uploaded earlier, and returns
// its id.
func (s *Server) AddMedium(m Medium) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.ID = s.newID()
	s.media[m.ID] = &m
	return m.ID
}

// SetCounts sets a status's engagement.
func (s *Server) SetCounts(id string, favourites, reblogs, replies int64, quotes *int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.status(id); st != nil {
		st.Favourites, st.Reblogs, st.Replies, st.Quotes = favourites, reblogs, replies, quotes
	}
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

func (s *Server) status(id string) *Status {
	for _, st := range s.statuses {
		if st.ID == id {
			return st
		}
	}
	return nil
}

// errorf fails the test for a request the docs do not allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("mastodontest: "+format, args...)
}

// rateHeaders are the headers Mastodon sets on every API answer.
func (s *Server) rateHeaders(w http.ResponseWriter) {
	w.Header().Set("X-RateLimit-Limit", "300")
	w.Header().Set("X-RateLimit-Remaining", "299")
	reset := s.now().Truncate(5 * time.Minute).Add(5 * time.Minute)
	w.Header().Set("X-RateLimit-Reset", reset.UTC().Format("2006-01-02T15:04:05.000000Z"))
}

func (s *Server) base() string { return s.URL }

func (s *Server) statusURL(id string) string { return fmt.Sprintf("%s/@%s/%s", s.base(), s.Acct, id) }
