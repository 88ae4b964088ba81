// Package linkedintest is a LinkedIn API server for tests: an
// httptest.Server that implements the calls Herald makes as LinkedIn's
// Community Management docs describe them (POST and the author finder of
// /rest/posts, the Images API's initializeUpload and the upload URL it
// hands out, organizationalEntityShareStatistics, socialActions,
// networkSizes, organizations, and /v2/userinfo), and fails the test on
// any request those docs do not allow: a missing or wrong bearer token,
// a missing LinkedIn-Version or X-Restli-Protocol-Version, a wrong HTTP
// method or content type, an unknown query parameter or body field, a
// URN not encoded as Rest.li 2.0.0 wants it. It keeps the posts with
// their commentary (read as the "little" text format reads it: an
// unescaped reserved character fails the test, since Herald sends none)
// and answers with the replies a test queues (Queue); a queued reply
// never used fails the test at its end.
package linkedintest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/networks/internal/replies"
)

// Server is a fake LinkedIn with one author.
type Server struct {
	*httptest.Server
	t testing.TB

	// Token is the access token the server accepts; Version the
	// LinkedIn-Version it wants.
	Token, Version string
	// Author is the URN of the account's author: an organization or a
	// person. Name is its name (organizations, userinfo); Sub the
	// member id /v2/userinfo gives (default: the author's, for a person).
	Author, Name, Sub string
	// Followers is the organization's follower count (networkSizes).
	Followers int64
	// Now dates the posts; default time.Now.
	Now func() time.Time
	// VideoPolls is how many reads of a finalized video answer PROCESSING
	// before it is AVAILABLE; FailVideo makes its processing fail
	// (PROCESSING_FAILED) instead.
	VideoPolls int
	FailVideo  bool

	mu       sync.Mutex
	posts    []*Post
	images   map[string]*Image
	videos   map[string]*Video
	queued   replies.Queue[Reply]
	requests []Request
	next     int
}

// Post is a post of the author.
type Post struct {
	ID         string // urn:li:share:N
	Author     string
	Commentary string // as received: little text
	Text       string // as LinkedIn shows it
	// Images are the URNs of its images, AltTexts their alt texts, in
	// order; Multi says it was a multi-image post.
	Images, AltTexts []string
	Multi            bool
	// Video is the URN of its video, and Title the title shown above it.
	Video, Title string
	CreatedAt    time.Time
	// Likes, Comments, Shares and Impressions are its engagement.
	Likes, Comments, Shares, Impressions int64
}

// Image is an image of the Images API.
type Image struct {
	URN, Owner  string
	Data        []byte // what was PUT to its upload URL, nil until then
	ContentType string
}

// Video is a video of the Videos API.
type Video struct {
	URN, Owner  string
	Size        int64
	UploadToken string
	// Parts are the bytes PUT to each upload URL, nil until then; ETags
	// the ETag each PUT was answered with.
	Parts [][]byte
	ETags []string
	// Finalized is set by finalizeUpload; Reads counts the reads of its
	// status since.
	Finalized bool
	Reads     int
}

// Data is the video's bytes, its parts joined.
func (v Video) Data() []byte { return bytes.Join(v.Parts, nil) }

// Reply is an answer a test queues for a route (see Routes); the zero
// Reply lets its request be served.
type Reply struct {
	Status int // default 200
	Header map[string]string
	Body   string
}

// Request is what the server received.
type Request struct {
	Route  string // see Routes
	Method string
	Header http.Header
	Query  string // the raw query
	Body   map[string]any
}

// Routes are the names of the calls the server knows, for Queue.
var Routes = []string{"posts.create", "posts.finder", "images.initializeUpload", "upload",
	"videos.initializeUpload", "videoUpload", "videos.finalizeUpload", "videos.get",
	"shareStatistics", "socialActions", "networkSizes", "organizations", "userinfo"}

// VideoPartSize is the size of each part of a video upload but the last,
// as the Videos API cuts a file: 4 MiB.
const VideoPartSize = 4 << 20

// New starts a server for an organization author, closed at the test's
// end; at its end too, a queued reply never used fails the test.
func New(t testing.TB) *Server {
	s := &Server{t: t, Token: "AQV-test-linkedin-access-token-1234", Version: "202605",
		Author: "urn:li:organization:2414183", Name: "Maison Exemple", Followers: 1234,
		images: map[string]*Image{}, videos: map[string]*Video{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.Close()
		s.queued.Report(t, "linkedintest: %d queued replies for %s were never used")
	})
	return s
}

// API is the base URL, for an account's api: field.
func (s *Server) API() string { return s.URL }

// Queue queues replies for a route: each request of it takes the next.
func (s *Server) Queue(route string, replies ...Reply) {
	if !slices.Contains(Routes, route) {
		s.t.Fatalf("linkedintest: no route %q", route)
	}
	s.queued.Add(route, replies...)
}

// Posts returns copies of the author's posts, oldest first.
func (s *Server) Posts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Post, len(s.posts))
	for i, p := range s.posts {
		out[i] = *p
	}
	return out
}

// Image returns a copy of an image.
func (s *Server) Image(urn string) (Image, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	im, ok := s.images[urn]
	if !ok {
		return Image{}, false
	}
	return *im, true
}

// Video returns a copy of a video.
func (s *Server) Video(urn string) (Video, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.videos[urn]
	if !ok {
		return Video{}, false
	}
	out := *v
	out.Parts, out.ETags = slices.Clone(v.Parts), slices.Clone(v.ETags)
	return out, true
}

// Engage sets a post's engagement.
func (s *Server) Engage(id string, likes, comments, shares, impressions int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.posts {
		if p.ID == id {
			p.Likes, p.Comments, p.Shares, p.Impressions = likes, comments, shares, impressions
		}
	}
}

// AddPost adds a post as if published earlier, with commentary as
// LinkedIn keeps it, and returns its URN.
func (s *Server) AddPost(commentary string, at time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	text, _ := little(commentary)
	p := &Post{ID: fmt.Sprintf("urn:li:share:70000000000000%05d", s.next), Author: s.Author, Commentary: commentary,
		Text: text, CreatedAt: at}
	s.posts = append(s.posts, p)
	return p.ID
}

// Requests returns what the server received, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Calls returns the route of each request, in order.
func (s *Server) Calls() []string {
	var out []string
	for _, r := range s.Requests() {
		out = append(out, r.Route)
	}
	return out
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) errorf(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("linkedintest: "+format, args...)
}
