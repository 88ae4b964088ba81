// Package facebooktest is a Graph API server for tests: an
// httptest.Server that serves the Page endpoints Herald calls as
// developers.facebook.com describes them (GET /me and /{page-id}, POST
// /{page-id}/feed and /{page-id}/photos, GET /{page-id}/posts and
// /{post-id}) under a version path, and fails the test on any request
// those docs do not allow: a missing bearer token or a token in the URL,
// a wrong HTTP method or content type, a parameter or field the endpoint
// does not take. A wrong token gets the OAuthException (code 190) Meta
// answers. It keeps the Page's posts and photos, and answers with the
// replies a test queues (Queue); a queued reply never used fails the test
// at its end.
package facebooktest

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

// Version is the Graph API version the server speaks, as Herald's
// default api ends.
const Version = "v24.0"

// Server is a fake Graph API with one Page.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the Page access token the server accepts.
	Token string
	// Page is the Page's id, PageName its name, Followers its
	// followers_count.
	Page, PageName string
	Followers      int64
	// Now dates the posts; default time.Now.
	Now func() time.Time
	// ChunkSize is the size of the chunks the resumable upload asks for;
	// default 1 MiB.
	ChunkSize int64
	// NoInsights makes insights refused as a Page token without
	// read_insights is (code 10).
	NoInsights bool

	mu       sync.Mutex
	posts    []*Post // oldest first
	photos   map[string]*Photo
	videos   []*Video // oldest first
	queued   replies.Queue[Reply]
	requests []Request
	next     int
}

// Post is a post of the Page.
type Post struct {
	ID, Message string
	Created     time.Time
	Photos      []string // the ids of the photos attached to it
	// Reactions, Comments and Shares are its engagement, Views its
	// post_media_view.
	Reactions, Comments, Shares, Views int64
}

// Video is a video of the Page, uploaded in a resumable session.
type Video struct {
	ID, SessionID      string
	Size               int64
	Data               []byte // the bytes transferred so far, in order
	Published          bool   // the finish phase came
	Title, Description string
	Created            time.Time
	// Reactions and Comments are its engagement, Views its
	// total_video_views.
	Reactions, Comments, Views int64
}

// Photo is a photo uploaded to the Page.
type Photo struct {
	ID          string
	Published   bool
	Alt         string // alt_text_custom
	Filename    string
	ContentType string // of the source part
	Data        []byte
	AttachedTo  string // the post it is attached to, "" if none
}

// Reply is an answer a test queues for an endpoint ("me", "page",
// "feed", "photos", "posts" or "post"); the zero Reply lets its request
// be served.
type Reply struct {
	Status int // default 200
	Header map[string]string
	Body   string
}

// GraphError is a failure as the Graph API answers it: an HTTP status and
// the error object, with the headers given.
func GraphError(status, code, subcode int, typ, message string, header map[string]string) Reply {
	sub := ""
	if subcode != 0 {
		sub = `,"error_subcode":` + strconv.Itoa(subcode)
	}
	return Reply{Status: status, Header: header, Body: fmt.Sprintf(`{"error":{"message":%q,"type":%q,"code":%d%s,"fbtrace_id":"AbCdEfGh123"}}`,
		message, typ, code, sub)}
}

// RateLimit is the answer of a Page whose Business Use Case rate limit
// is reached (code 80001 with the X-Business-Use-Case-Usage header
// saying how many minutes until access is regained), as Meta answers it:
// HTTP 400.
func RateLimit(page string, minutes int) Reply {
	usage := fmt.Sprintf(`{%q:[{"type":"pages","call_count":100,"total_cputime":12,"total_time":20,"estimated_time_to_regain_access":%d}]}`, page, minutes)
	return GraphError(http.StatusBadRequest, 80001, 0, "OAuthException",
		"There have been too many calls to this Page account. Wait a bit and try again.",
		map[string]string{"X-Business-Use-Case-Usage": usage, "X-App-Usage": `{"call_count":4,"total_time":2,"total_cputime":1}`})
}

// Request is what the server received.
type Request struct {
	Method, Endpoint string // HTTP method, and the endpoint's name ("feed")
	Path             string
	Header           http.Header
	Params           map[string]string // query, form or multipart fields (not source)
}

// New starts a server for the test, closed at its end; at its end too, a
// queued reply never used fails the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "EAAGtestPAGEtoken0123456789", Page: "102030405060708", PageName: "Maison Exemple",
		Followers: 1234, photos: map[string]*Photo{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.queued.Report(t, "facebooktest: %d queued replies for %s were never used")
	})
	return s
}

// API is the base URL of the Graph API, for an account's api: field.
func (s *Server) API() string { return s.URL + "/" + Version }

// Queue queues replies for an endpoint: each request of it takes the next.
func (s *Server) Queue(endpoint string, replies ...Reply) {
	s.queued.Add(endpoint, replies...)
}

// Posts returns copies of the Page's posts, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = *p
		out[i].Photos = slices.Clone(p.Photos)
	}
	return out
}

// Photo returns a copy of an uploaded photo.
func (s *Server) Photo(id string) (Photo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.photos[id]
	if !ok {
		return Photo{}, false
	}
	return *p, true
}

// AddPost adds a post as if published earlier, and returns its id.
func (s *Server) AddPost(p Post) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.ID = s.newID()
	if p.Created.IsZero() {
		p.Created = s.now()
	}
	s.posts = append(s.posts, &p)
	return p.ID
}

// Engage sets a post's reactions, comments and shares.
func (s *Server) Engage(id string, reactions, comments, shares int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.Reactions, p.Comments, p.Shares = reactions, comments, shares
		}
	}
}

// View sets the views of a post (post_media_view) or a video
// (total_video_views).
func (s *Server) View(id string, views int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.Views = views
		}
	}
	for _, v := range s.videos {
		if v.ID == id {
			v.Views = views
		}
	}
}

// EngageVideo sets a video's reactions and comments.
func (s *Server) EngageVideo(id string, reactions, comments int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.videos {
		if v.ID == id {
			v.Reactions, v.Comments = reactions, comments
		}
	}
}

// Videos returns copies of the Page's videos, published or not, oldest
// first.
func (s *Server) Videos() []Video {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Video, len(s.videos))
	for i, v := range s.videos {
		out[i] = *v
		out[i].Data = slices.Clone(v.Data)
	}
	return out
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Endpoints returns the endpoint of each request, in order.
func (s *Server) Endpoints() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Endpoint)
	}
	return out
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// newID is a Page post's id as the Graph API writes it: {page-id}_{n}.
func (s *Server) newID() string {
	s.next++
	return fmt.Sprintf("%s_%d", s.Page, 900000000+s.next)
}

// errorf fails the test for a request the docs do not allow.
func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("facebooktest: "+format, args...)
}
