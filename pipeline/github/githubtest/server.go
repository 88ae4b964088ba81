// Package githubtest is a stand-in for the GitHub REST API, for tests: it
// implements exactly the endpoints herald's sticky comment uses (list an
// issue's comments page by page, create one, update one, get a pull
// request) and those herald doctor reads (get the repository, the rules
// of a branch, a branch's classic protection), checks each request as GitHub's documentation describes it
// (method, path, token, media type, API version, JSON body) and answers
// with the shapes GitHub answers with. Anything else is reported and
// refused.
package githubtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// The tokens the server knows. GitHub answers 401 to any other, and 403 to
// a write with the read-only token, as it does with a fork's GITHUB_TOKEN.
const (
	Token         = "ghs_githubtest_write"
	ReadOnlyToken = "ghs_githubtest_read"
	Owner         = "acme"
	Repo          = "calendar"
	// BotLogin writes the comments made with Token.
	BotLogin = "github-actions[bot]"
	// APIVersion is the X-GitHub-Api-Version every request must name.
	APIVersion = "2022-11-28"
)

// Media types go-github asks for: the list of comments with their
// reactions, everything else as plain v3 JSON.
const (
	listAccept    = "application/vnd.github.squirrel-girl-preview"
	defaultAccept = "application/vnd.github.v3+json"
)

// Comment is an issue comment as the server holds it.
type Comment struct {
	ID    int64
	Issue int
	Login string
	Body  string
}

// Request is a request the server received, for tests to check what was
// (and was not) sent.
type Request struct {
	Method, Path, Query string
	Body                string
}

func (r Request) String() string {
	s := r.Method + " " + r.Path
	if r.Query != "" {
		s += "?" + r.Query
	}
	return s
}

// Server is the fake API. Its zero value is not usable: use NewServer.
type Server struct {
	srv *httptest.Server
	// Report, when set, is told of every request that GitHub's API would
	// not accept as herald sends it, besides the 400 answer.
	report func(format string, args ...any)

	mu        sync.Mutex
	userAgent string
	pulls     map[int]string // number -> head sha
	comments  []*Comment
	nextID    int64
	requests  []Request
	failNext  []failure
	// branchRules is the JSON array GET .../rules/branches/main answers;
	// protection the object GET .../branches/main/protection does, ""
	// for a branch without classic protection.
	branchRules, protection string
}

// DefaultBranch is the repository's default branch.
const DefaultBranch = "main"

// SetBranchRules sets the rules (a JSON array, as GitHub answers "Get
// rules for a branch") that apply to the default branch.
func (s *Server) SetBranchRules(rules string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.branchRules = rules
}

// SetBranchProtection sets the classic protection of the default branch
// (a JSON object, as GitHub answers "Get branch protection"); "" removes
// it.
func (s *Server) SetBranchProtection(protection string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.protection = protection
}

type failure struct {
	status int
	header http.Header
	body   string
}

// NewServer starts a server for the test, closed at its end. A request
// the real API would refuse fails the test, and so does, at its end, a
// queued failure (FailNext) that no request took.
func NewServer(t testing.TB) *Server {
	s := Start(t.Errorf)
	t.Cleanup(func() {
		s.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		if n := len(s.failNext); n > 0 {
			t.Errorf("githubtest: %d queued failure(s) were never served: the code did not make the calls the test expected", n)
		}
	})
	return s
}

// Start starts a server outside a test's scope (a testscript's), which the
// caller closes; report, when not nil, is told of each request the real
// API would refuse.
func Start(report func(format string, args ...any)) *Server {
	s := &Server{report: report, pulls: map[int]string{}, nextID: 1000}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the API's base URL, GITHUB_API_URL.
func (s *Server) URL() string { return s.srv.URL }

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// RequireUserAgent makes the server refuse requests without that
// User-Agent.
func (s *Server) RequireUserAgent(ua string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userAgent = ua
}

// AddPull opens pull request n with its head at sha.
func (s *Server) AddPull(n int, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pulls[n] = sha
}

// AddComment adds a comment to pull request n, written by login, and
// returns its id.
func (s *Server) AddComment(n int, login, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addComment(n, login, body).ID
}

func (s *Server) addComment(n int, login, body string) *Comment {
	s.nextID++
	c := &Comment{ID: s.nextID, Issue: n, Login: login, Body: body}
	s.comments = append(s.comments, c)
	return c
}

// Comments returns pull request n's comments, oldest first.
func (s *Server) Comments(n int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Comment
	for _, c := range s.comments {
		if c.Issue == n {
			out = append(out, *c)
		}
	}
	return out
}

// TakeRequests returns the requests received since the last call.
func (s *Server) TakeRequests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.requests
	s.requests = nil
	return r
}

// FailNext makes the next request (after its checks) get this answer.
func (s *Server) FailNext(status int, header http.Header, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = append(s.failNext, failure{status, header, body})
}

var (
	listPath  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/([0-9]+)/comments$`)
	patchPath = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/comments/([0-9]+)$`)
	pullPath  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/([0-9]+)$`)
	repoPath  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)()$`)
	rulesPath = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/rules/branches/([^/]+)$`)
	protPath  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/branches/([^/]+)/protection$`)
)

// The media types go-github asks a repository and a branch's protection
// in: previews that GitHub has made the default, which it still accepts.
const (
	repoAccept       = "application/vnd.github.scarlet-witch-preview+json, application/vnd.github.mercy-preview+json, application/vnd.github.baptiste-preview+json, application/vnd.github.nebula-preview+json"
	protectionAccept = "application/vnd.github.luke-cage-preview+json"
)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Body: string(body)})

	var route string
	var m []string
	switch {
	case r.Method == http.MethodGet && listPath.MatchString(r.URL.Path):
		route, m = "list", listPath.FindStringSubmatch(r.URL.Path)
	case r.Method == http.MethodPost && listPath.MatchString(r.URL.Path):
		route, m = "create", listPath.FindStringSubmatch(r.URL.Path)
	case r.Method == http.MethodPatch && patchPath.MatchString(r.URL.Path):
		route, m = "update", patchPath.FindStringSubmatch(r.URL.Path)
	case r.Method == http.MethodGet && pullPath.MatchString(r.URL.Path):
		route, m = "pull", pullPath.FindStringSubmatch(r.URL.Path)
	case r.Method == http.MethodGet && repoPath.MatchString(r.URL.Path):
		route, m = "repo", repoPath.FindStringSubmatch(r.URL.Path)
	case r.Method == http.MethodGet && rulesPath.MatchString(r.URL.Path):
		route, m = "rules", rulesPath.FindStringSubmatch(r.URL.Path)
	case r.Method == http.MethodGet && protPath.MatchString(r.URL.Path):
		route, m = "protection", protPath.FindStringSubmatch(r.URL.Path)
	default:
		s.refuse(w, http.StatusNotFound, "no such endpoint in the fake: %s %s", r.Method, r.URL.Path)
		return
	}
	if problem := s.checkHeaders(r, route, body); problem != "" {
		s.refuse(w, http.StatusBadRequest, "%s %s: %s", r.Method, r.URL.Path, problem)
		return
	}
	switch r.Header.Get("Authorization") {
	case "Bearer " + Token:
	case "Bearer " + ReadOnlyToken:
		if route == "protection" { // it takes the Administration: read permission
			writeJSON(w, http.StatusForbidden, map[string]string{
				"message":           "Resource not accessible by integration",
				"documentation_url": "https://docs.github.com/rest/branches/branch-protection#get-branch-protection",
				"status":            "403",
			})
			return
		}
		if r.Method != http.MethodGet {
			writeJSON(w, http.StatusForbidden, map[string]string{
				"message":           "Resource not accessible by integration",
				"documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
				"status":            "403",
			})
			return
		}
	default:
		writeJSON(w, http.StatusUnauthorized, map[string]string{
			"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"})
		return
	}
	if len(s.failNext) > 0 {
		f := s.failNext[0]
		s.failNext = s.failNext[1:]
		for k, vs := range f.header {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.status)
		io.WriteString(w, f.body)
		return
	}
	if m[1] != Owner || m[2] != Repo {
		notFound(w)
		return
	}
	n, _ := strconv.ParseInt(m[3], 10, 64)
	switch route {
	case "repo":
		writeJSON(w, http.StatusOK, map[string]any{"id": 1296269, "name": Repo, "full_name": Owner + "/" + Repo,
			"private": true, "default_branch": DefaultBranch, "owner": map[string]any{"login": Owner}})
	case "rules":
		rules := "[]"
		if m[3] == DefaultBranch && s.branchRules != "" {
			rules = s.branchRules
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, rules)
	case "protection":
		if m[3] != DefaultBranch || s.protection == "" {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Branch not protected",
				"documentation_url": "https://docs.github.com/rest/branches/branch-protection#get-branch-protection", "status": "404"})
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		io.WriteString(w, s.protection)
	case "list":
		s.list(w, r, int(n))
	case "create":
		if _, ok := s.pulls[int(n)]; !ok {
			notFound(w)
			return
		}
		if text, ok := s.commentBody(w, body); ok {
			writeJSON(w, http.StatusCreated, s.commentJSON(s.addComment(int(n), BotLogin, text)))
		}
	case "update":
		i := slices.IndexFunc(s.comments, func(c *Comment) bool { return c.ID == n })
		if i < 0 {
			notFound(w)
			return
		}
		if text, ok := s.commentBody(w, body); ok {
			s.comments[i].Body = text
			writeJSON(w, http.StatusOK, s.commentJSON(s.comments[i]))
		}
	case "pull":
		sha, ok := s.pulls[int(n)]
		if !ok {
			notFound(w)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"number": n, "state": "open",
			"html_url": fmt.Sprintf("https://github.com/%s/%s/pull/%d", Owner, Repo, n),
			"head":     map[string]any{"sha": sha, "ref": "feature", "repo": map[string]any{"full_name": "contributor/calendar"}},
			"base":     map[string]any{"sha": "b000000000000000000000000000000000000000", "ref": "main", "repo": map[string]any{"full_name": Owner + "/" + Repo}},
		})
	}
}

// checkHeaders returns what GitHub's API would not accept in the request's
// headers and body, "" when all is well.
func (s *Server) checkHeaders(r *http.Request, route string, body []byte) string {
	wantAccept := defaultAccept
	switch route {
	case "list":
		wantAccept = listAccept
	case "repo":
		wantAccept = repoAccept
	case "protection":
		wantAccept = protectionAccept
	}
	if got := r.Header.Get("Accept"); got != wantAccept {
		return fmt.Sprintf("Accept is %q, want %q", got, wantAccept)
	}
	if got := r.Header.Get("X-GitHub-Api-Version"); got != APIVersion {
		return fmt.Sprintf("X-GitHub-Api-Version is %q, want %q", got, APIVersion)
	}
	if ua := r.Header.Get("User-Agent"); ua == "" || (s.userAgent != "" && ua != s.userAgent) {
		return fmt.Sprintf("User-Agent is %q, want %q", ua, s.userAgent)
	}
	switch route {
	case "list":
		q := r.URL.Query()
		if q.Get("per_page") != "100" {
			return fmt.Sprintf("per_page is %q: herald asks for the largest page, 100", q.Get("per_page"))
		}
		if p := q.Get("page"); p != "" {
			if n, err := strconv.Atoi(p); err != nil || n < 1 {
				return fmt.Sprintf("page %q is not a page number", p)
			}
		}
		if len(body) > 0 {
			return "a GET with a body"
		}
	case "create", "update":
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			return fmt.Sprintf("Content-Type is %q, want application/json", ct)
		}
		var fields map[string]any
		if err := json.Unmarshal(body, &fields); err != nil {
			return fmt.Sprintf("the body is not a JSON object: %v", err)
		}
		if _, ok := fields["body"].(string); !ok || len(fields) != 1 {
			return fmt.Sprintf("the body is %s, want an object with the string \"body\" alone", body)
		}
	case "pull", "repo", "rules", "protection":
		if len(body) > 0 {
			return "a GET with a body"
		}
	}
	return ""
}

// commentBody is the "body" of a comment request, or GitHub's 422 when it
// is empty or over 65,536 characters.
func (s *Server) commentBody(w http.ResponseWriter, body []byte) (string, bool) {
	var req struct{ Body string }
	json.Unmarshal(body, &req) // checked by checkHeaders
	if req.Body == "" || utf8.RuneCountInString(req.Body) > 65536 {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
			"message": "Validation Failed",
			"errors": []map[string]string{{"resource": "IssueComment", "code": "custom", "field": "body",
				"message": "body is too long (maximum is 65536 characters)"}},
			"documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
			"status":            "422",
		})
		return "", false
	}
	return req.Body, true
}

// list answers a page of an issue's comments, oldest first, with GitHub's
// Link header to the next and last pages.
func (s *Server) list(w http.ResponseWriter, r *http.Request, n int) {
	if _, ok := s.pulls[n]; !ok {
		notFound(w)
		return
	}
	q := r.URL.Query()
	perPage, _ := strconv.Atoi(q.Get("per_page"))
	page := 1
	if p := q.Get("page"); p != "" {
		page, _ = strconv.Atoi(p)
	}
	var all []*Comment
	for _, c := range s.comments {
		if c.Issue == n {
			all = append(all, c)
		}
	}
	last := max(1, (len(all)+perPage-1)/perPage)
	var links []string
	link := func(p int, rel string) {
		links = append(links, fmt.Sprintf(`<%s%s?page=%d&per_page=%d>; rel="%s"`, s.srv.URL, r.URL.Path, p, perPage, rel))
	}
	if page > 1 {
		link(page-1, "prev")
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	out := []map[string]any{}
	for i := (page - 1) * perPage; i < min(page*perPage, len(all)); i++ {
		out = append(out, s.commentJSON(all[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

// created is when the fake says comment id was made: a second per id.
func created(id int64) string {
	return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Add(time.Duration(id) * time.Second).Format(time.RFC3339)
}

func (s *Server) commentJSON(c *Comment) map[string]any {
	return map[string]any{
		"id":         c.ID,
		"body":       c.Body,
		"user":       map[string]any{"login": c.Login, "type": "Bot"},
		"html_url":   fmt.Sprintf("https://github.com/%s/%s/pull/%d#issuecomment-%d", Owner, Repo, c.Issue, c.ID),
		"created_at": created(c.ID),
		"updated_at": created(c.ID),
	}
}

func (s *Server) refuse(w http.ResponseWriter, status int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if s.report != nil {
		s.report("githubtest: %s", msg)
	}
	writeJSON(w, status, map[string]string{"message": "githubtest: " + msg})
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{
		"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
