// Package threadstest is a Threads API server for tests: an
// httptest.Server that implements the endpoints Herald calls as Meta's
// Threads API documentation describes them (media containers and their
// publication, a container's status, a profile's threads and a post's
// replies, media and user insights, the publishing limit, /me) and fails
// the test on any request those docs do not allow: a missing access
// token, a wrong HTTP method or content type, a parameter, field or
// metric the endpoint does not take, a container the docs would refuse.
// It keeps the profile's posts, threads and insights, and answers with
// the replies a test queues (Queue); a queued reply never used fails the
// test at its end.
package threadstest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/networks/internal/replies"
)

// Server is a fake Threads API with one profile.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the access token the server accepts; User and Username
	// are the profile's.
	Token, User, Username string
	// QuotaUsage and QuotaTotal are what threads_publishing_limit says;
	// each publication adds one to QuotaUsage.
	QuotaUsage, QuotaTotal int
	// Followers is the profile's followers_count.
	Followers int64
	// Pending is how many status reads a new container answers
	// IN_PROGRESS before FINISHED.
	Pending int
	// Now dates the posts; default time.Now.
	Now func() time.Time
	// TokenExpires is when debug_token says the token expires (default 59
	// days after Now), Scopes the permissions it lists (default all of
	// Herald's); NotTester refuses debug_token, as Meta does when the
	// token's user is no Threads tester of the app.
	TokenExpires time.Time
	Scopes       []string
	NotTester    bool

	mu         sync.Mutex
	containers map[string]*Container
	posts      []*Post
	queued     replies.Queue[Reply]
	requests   []Request
	next       int
}

// Container is a media container made by POST /{threads-user-id}/threads.
type Container struct {
	ID     string
	Params url.Values // what the request sent, without access_token
	Status string     // IN_PROGRESS, FINISHED, PUBLISHED
	// reads is how many status reads remain IN_PROGRESS.
	reads int
}

// Post is a published post of the profile.
type Post struct {
	ID, Text, MediaType string
	// Media are the image and video URLs with their alt text: one, or a
	// carousel's items.
	Media     []Medium
	Poll      []string // the options of its poll_attachment, in order
	ReplyTo   string   // the post it replies to, "" for a thread's root
	Username  string   // who posted it
	Timestamp time.Time
	// Insights are the counts a test set (SetInsight); replies are
	// counted from the posts.
	Insights map[string]int64
}

// Medium is an image or video of a post.
type Medium struct{ Type, URL, AltText string }

// Reply is an answer a test queues for an endpoint (see Endpoints); the
// zero Reply lets its request be served.
type Reply struct {
	Status int // default 200
	Header map[string]string
	Body   string
}

// Request is what the server received.
type Request struct {
	Method   string
	Endpoint string     // an entry of Endpoints
	Path     string     // below the API's base
	Params   url.Values // query or form, without access_token
}

// New starts a server for the test, closed at its end; at its end too, a
// queued reply never used fails the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "THAAtestLongLivedThreadsToken0123456789", User: "17841400000000001", Username: "maison.exemple",
		QuotaTotal: 250, Followers: 1234, containers: map[string]*Container{}, next: 18000000000000000}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.queued.Report(t, "threadstest: %d queued replies for %s were never used")
	})
	return s
}

// API is the API's base URL, for an account's api: field.
func (s *Server) API() string { return s.URL + "/v1.0" }

// Queue queues replies for an endpoint: each request of it takes the next.
func (s *Server) Queue(endpoint string, replies ...Reply) {
	if !slices.Contains(Endpoints, endpoint) {
		s.t.Fatalf("threadstest: Queue(%q): not an endpoint of %v", endpoint, Endpoints)
	}
	s.queued.Add(endpoint, replies...)
}

// Posts returns copies of the profile's posts, replies included, oldest
// first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = *p
		out[i].Media = slices.Clone(p.Media)
	}
	return out
}

// AddPost adds a post as if published earlier, and returns its id; its
// Username is the profile's when empty.
func (s *Server) AddPost(p Post) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = s.newID()
	if p.Username == "" {
		p.Username = s.Username
	}
	if p.MediaType == "" {
		p.MediaType = "TEXT_POST"
	}
	if p.Timestamp.IsZero() {
		p.Timestamp = s.now()
	}
	s.posts = append(s.posts, &p)
	return p.ID
}

// SetInsight sets a metric (views, likes, reposts, quotes, shares) of a
// post.
func (s *Server) SetInsight(id, metric string, n int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p := s.post(id); p != nil {
		if p.Insights == nil {
			p.Insights = map[string]int64{}
		}
		p.Insights[metric] = n
	}
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Calls returns "METHOD endpoint" for each request, in order.
func (s *Server) Calls() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Method+" "+r.Endpoint)
	}
	return out
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) newID() string {
	s.next++
	return fmt.Sprint(s.next)
}

func (s *Server) post(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// permalink is a post's web page as Threads gives it.
func (s *Server) permalink(p *Post) string {
	return "https://www.threads.com/@" + p.Username + "/post/" + p.ID
}

// errorf fails the test for a request the docs do not allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("threadstest: "+format, args...)
}
