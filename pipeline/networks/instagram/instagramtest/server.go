// Package instagramtest is a Graph API server for tests of Instagram
// content publishing: an httptest.Server that implements the calls Herald
// makes as developers.facebook.com/docs/instagram-platform describes them
// (POST /{ig-user-id}/media, GET /{container-id}?fields=status_code,
// POST /{ig-user-id}/media_publish, GET /{ig-user-id}/content_publishing_limit,
// GET /{ig-user-id}/media, GET /{ig-media-id}, GET /{ig-media-id}/insights,
// GET /{ig-user-id}) and fails the test on any request those docs do not
// allow: a missing access_token, a wrong HTTP method or content type, a
// parameter or field the call does not take. It keeps the account's
// containers and media, and answers with the replies a test queues
// (Queue); a queued reply never used fails the test at its end.
package instagramtest

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

// Version is the Graph API version the server answers under.
const Version = "v24.0"

// Server is a fake Graph API with one Instagram professional account.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the access token the server accepts; User the account's
	// id and Username its name.
	Token, User, Username string
	// Followers is the account's followers_count.
	Followers int64
	// QuotaUsage and QuotaTotal are what content_publishing_limit says.
	QuotaUsage, QuotaTotal int
	// Polls is how many times a new container answers IN_PROGRESS before
	// FINISHED.
	Polls int
	// Now dates the media; default time.Now.
	Now func() time.Time

	mu         sync.Mutex
	containers map[string]*Container
	media      []*Media
	queued     replies.Queue[Reply]
	requests   []Request
	next       int
}

// Container is a media container made by POST /{ig-user-id}/media.
type Container struct {
	ID     string
	Params map[string]string // what the POST carried, without access_token
	Status string            // IN_PROGRESS, FINISHED, PUBLISHED
	polls  int
}

// Media is a published medium of the account.
type Media struct {
	ID, Caption, Permalink string
	Timestamp              time.Time
	Container              string   // the container it was published from, "" for one AddMedia made
	Children               []string // a carousel's containers
	Likes, Comments        *int64   // nil: the field is absent
	Views                  *int64   // nil: the insights are an empty data set
}

// Reply is an answer a test queues for a route ("media", "media_publish",
// "container", "content_publishing_limit", "list", "medium", "insights",
// "user"); the zero Reply lets its request be served.
type Reply struct {
	Status int // default 200
	Header map[string]string
	Body   string
}

// Request is what the server received.
type Request struct {
	Method, Route string
	Path          string // below the version: 17841.../media
	Params        map[string]string
}

// New starts a server for the test, closed at its end; at its end too, a
// queued reply never used fails the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "EAAGtestTOKENinstagram1234", User: "17841400000000001", Username: "maison.exemple",
		Followers: 1234, QuotaTotal: 100, Polls: 1, containers: map[string]*Container{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.queued.Report(t, "instagramtest: %d queued replies for %s were never used")
	})
	return s
}

// API is the base URL of the Graph API, for an account's api: field.
func (s *Server) API() string { return s.URL + "/" + Version }

// Queue queues replies for a route: each request of it takes the next.
func (s *Server) Queue(route string, replies ...Reply) {
	s.queued.Add(route, replies...)
}

// Media returns copies of the account's media, newest first.
func (s *Server) Media() []Media {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Media, 0, len(s.media))
	for i := len(s.media) - 1; i >= 0; i-- {
		out = append(out, *s.media[i])
	}
	return out
}

// Container returns a copy of a container.
func (s *Server) Container(id string) (Container, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.containers[id]
	if !ok {
		return Container{}, false
	}
	return *c, true
}

// AddMedia adds a medium as if published earlier, and returns its id.
func (s *Server) AddMedia(m Media) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m.ID = s.newID()
	if m.Timestamp.IsZero() {
		m.Timestamp = s.now()
	}
	if m.Permalink == "" {
		m.Permalink = "https://www.instagram.com/p/" + m.ID + "/"
	}
	s.media = append(s.media, &m)
	return m.ID
}

// SetCounts sets a medium's like_count, comments_count and views.
func (s *Server) SetCounts(id string, likes, comments, views *int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.media {
		if m.ID == id {
			m.Likes, m.Comments, m.Views = likes, comments, views
		}
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

func (s *Server) newID() string {
	s.next++
	return fmt.Sprintf("1790000000000%04d", s.next)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// errorf fails the test for a request the docs do not allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("instagramtest: "+format, args...)
}
