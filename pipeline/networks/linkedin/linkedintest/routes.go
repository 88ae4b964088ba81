package linkedintest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// route is how the docs say a call is made: its HTTP method, whether it
// is a versioned /rest call (LinkedIn-Version, X-Restli-Protocol-Version),
// a JSON body, and the query parameters it takes and requires.
type route struct {
	method   string
	rest     bool
	body     bool
	params   []string
	required []string
}

var routes = map[string]route{
	"posts.create":            {method: http.MethodPost, rest: true, body: true},
	"posts.finder":            {http.MethodGet, true, false, []string{"author", "q", "count", "start", "sortBy", "viewContext"}, []string{"author", "q"}},
	"images.initializeUpload": {http.MethodPost, true, true, []string{"action"}, []string{"action"}},
	"upload":                  {method: http.MethodPut},
	"shareStatistics": {http.MethodGet, true, false, []string{"q", "organizationalEntity", "shares", "ugcPosts", "timeIntervals.timeGranularityType", "timeIntervals.timeRange.start", "timeIntervals.timeRange.end"},
		[]string{"q", "organizationalEntity"}},
	"socialActions": {method: http.MethodGet, rest: true},
	"networkSizes":  {http.MethodGet, true, false, []string{"edgeType"}, []string{"edgeType"}},
	"organizations": {method: http.MethodGet, rest: true},
	"userinfo":      {method: http.MethodGet},
	// The Videos API: initializeUpload and finalizeUpload are actions on
	// /rest/videos; a video is read at /rest/videos/{urn}; its parts go
	// to the uploadUrls initializeUpload hands out.
	"videos.initializeUpload": {http.MethodPost, true, true, []string{"action"}, []string{"action"}},
	"videos.finalizeUpload":   {http.MethodPost, true, true, []string{"action"}, []string{"action"}},
	"videos.get":              {method: http.MethodGet, rest: true},
	"videoUpload":             {method: http.MethodPut},
}

// routeOf names the call of a request, and the rest of its path (the
// encoded key of a resource).
func routeOf(r *http.Request) (string, string) {
	path := r.URL.EscapedPath()
	switch {
	case path == "/rest/posts" && r.Method == http.MethodPost:
		return "posts.create", ""
	case path == "/rest/posts":
		return "posts.finder", ""
	case path == "/rest/images":
		return "images.initializeUpload", ""
	case path == "/rest/videos" && r.URL.Query().Get("action") == "finalizeUpload":
		return "videos.finalizeUpload", ""
	case path == "/rest/videos":
		return "videos.initializeUpload", ""
	case strings.HasPrefix(path, "/rest/videos/"):
		return "videos.get", strings.TrimPrefix(path, "/rest/videos/")
	case strings.HasPrefix(path, "/videoupload/"):
		return "videoUpload", strings.TrimPrefix(path, "/videoupload/")
	case strings.HasPrefix(path, "/upload/"):
		return "upload", strings.TrimPrefix(path, "/upload/")
	case path == "/rest/organizationalEntityShareStatistics":
		return "shareStatistics", ""
	case strings.HasPrefix(path, "/rest/socialActions/"):
		return "socialActions", strings.TrimPrefix(path, "/rest/socialActions/")
	case strings.HasPrefix(path, "/rest/networkSizes/"):
		return "networkSizes", strings.TrimPrefix(path, "/rest/networkSizes/")
	case strings.HasPrefix(path, "/rest/organizations/"):
		return "organizations", strings.TrimPrefix(path, "/rest/organizations/")
	case path == "/v2/userinfo":
		return "userinfo", ""
	}
	return "", ""
}

// params splits a raw query into its parameters, values still encoded:
// a Rest.li List(a,b) keeps its parentheses and commas.
func params(raw string) (map[string]string, bool) {
	out := map[string]string{}
	if raw == "" {
		return out, true
	}
	for _, kv := range strings.Split(raw, "&") {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := out[k]; dup {
			return out, false
		}
		out[k] = v
	}
	return out, true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	name, key := routeOf(r)
	rt, known := routes[name]
	if !known {
		s.errorf("%s %s: not a call Herald makes", r.Method, r.URL.EscapedPath())
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "No such resource")
		return
	}
	data, _ := io.ReadAll(r.Body)
	req := Request{Route: name, Method: r.Method, Header: r.Header.Clone(), Query: r.URL.RawQuery}
	ok := s.check(r, name, rt, data, &req)
	s.mu.Lock()
	s.requests = append(s.requests, req)
	reply, queued := s.take(name)
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "the request is not one the docs describe")
		return
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		s.errorf("%s: Authorization is %q, want Bearer and the access token", name, auth)
		s.fail(w, http.StatusUnauthorized, "INVALID_ACCESS_TOKEN", "Empty oauth2 access token")
		return
	}
	if queued {
		s.reply(w, reply)
		return
	}
	if auth != "Bearer "+s.Token {
		s.fail(w, http.StatusUnauthorized, "INVALID_ACCESS_TOKEN", "Invalid access token")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handle(w, name, key, r.URL.RawQuery, req.Body, data)
}

// check fails the test on anything the docs do not allow in the request.
func (s *Server) check(r *http.Request, name string, rt route, data []byte, req *Request) bool {
	s.t.Helper()
	ok := true
	bad := func(format string, args ...any) {
		s.t.Helper()
		s.errorf(name+": "+format, args...)
		ok = false
	}
	if r.Method != rt.method {
		bad("HTTP %s, want %s", r.Method, rt.method)
	}
	if rt.rest {
		if v := r.Header.Get("LinkedIn-Version"); v != s.Version {
			bad("LinkedIn-Version %q, want %q", v, s.Version)
		}
		if v := r.Header.Get("X-Restli-Protocol-Version"); v != "2.0.0" {
			bad("X-Restli-Protocol-Version %q, want 2.0.0", v)
		}
	}
	if m := r.Header.Get("X-RestLi-Method"); m != "" && !(m == "FINDER" && name == "posts.finder") {
		bad("X-RestLi-Method %q on a call that is not a finder", m)
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case rt.body:
		if ct != "application/json" {
			bad("Content-Type %q, want application/json", r.Header.Get("Content-Type"))
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&req.Body); err != nil {
			bad("the body is not a JSON object: %v", err)
		}
	case name == "upload":
		if len(data) == 0 {
			bad("an upload without bytes")
		}
	case name == "videoUpload":
		if len(data) == 0 {
			bad("an upload without bytes")
		}
		if ct != "application/octet-stream" {
			bad("Content-Type %q, want application/octet-stream", r.Header.Get("Content-Type"))
		}
	default:
		if len(data) > 0 || ct != "" {
			bad("a GET with a body (%s)", ct)
		}
	}
	q, unique := params(r.URL.RawQuery)
	if !unique {
		bad("a parameter twice in %s", r.URL.RawQuery)
	}
	for k := range q {
		if !slices.Contains(rt.params, k) {
			bad("query parameter %q is not one the call takes", k)
		}
	}
	for _, k := range rt.required {
		if _, found := q[k]; !found {
			bad("required query parameter %q is missing", k)
		}
	}
	return ok
}

// take returns the next queued reply of a route, if it is not a pass.
func (s *Server) take(name string) (Reply, bool) {
	reply, ok := s.queued.Take(name)
	return reply, ok && (reply.Status != 0 || reply.Body != "")
}

func (s *Server) reply(w http.ResponseWriter, r Reply) {
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if strings.HasPrefix(r.Body, "{") {
		w.Header().Set("Content-Type", "application/json")
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	w.WriteHeader(r.Status)
	io.WriteString(w, r.Body)
}

// fail answers as LinkedIn's APIs do: status, code and message.
func (s *Server) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"status": status, "code": code, "message": msg})
}

func (s *Server) json(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-RestLi-Protocol-Version", "2.0.0")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// urn decodes a URN as Rest.li 2.0.0 encodes it, failing the test when
// it is not encoded (urn%3Ali%3A...).
func (s *Server) urn(name, encoded string) string {
	s.t.Helper()
	if !strings.HasPrefix(encoded, "urn%3Ali%3A") {
		s.errorf("%s: URN %q is not encoded as Rest.li 2.0.0 wants it (urn%%3Ali%%3A...)", name, encoded)
	}
	v, err := url.QueryUnescape(encoded)
	if err != nil {
		s.errorf("%s: URN %q: %v", name, encoded, err)
	}
	return v
}

func (s *Server) post(id string) *Post {
	for _, p := range s.posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

func (s *Server) isOrg() bool { return strings.HasPrefix(s.Author, "urn:li:organization:") }

func (s *Server) authorID() string { return s.Author[strings.LastIndex(s.Author, ":")+1:] }
