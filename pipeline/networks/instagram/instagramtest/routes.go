package instagramtest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// call is how the reference says a call is made: its HTTP method, the
// parameters it takes and those it requires, and for a GET the fields it
// may ask for.
type call struct {
	http     string
	params   []string
	required []string
	fields   []string
}

var calls = map[string]call{
	// IG User: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user
	"user": {http: http.MethodGet, params: []string{"fields"},
		fields: []string{"id", "username", "name", "followers_count", "follows_count", "media_count", "biography", "website", "profile_picture_url"}},
	// IG User Media, creating: image_url, video_url, media_type, caption,
	// alt_text (images only, since March 2025), is_carousel_item, children...
	"media": {http: http.MethodPost, params: []string{"image_url", "video_url", "media_type", "caption", "alt_text", "is_carousel_item",
		"children", "location_id", "user_tags", "product_tags", "share_to_feed", "cover_url", "thumb_offset", "audio_name", "collaborators"}},
	// IG User Media, reading.
	"list": {http: http.MethodGet, params: []string{"fields", "limit", "after", "before", "since", "until"},
		fields: []string{"id", "caption", "timestamp", "permalink", "media_type", "media_url", "like_count", "comments_count", "username"}},
	"media_publish":            {http: http.MethodPost, params: []string{"creation_id"}, required: []string{"creation_id"}},
	"content_publishing_limit": {http: http.MethodGet, params: []string{"fields", "since"}, fields: []string{"quota_usage", "config"}},
	// IG Container.
	"container": {http: http.MethodGet, params: []string{"fields"}, fields: []string{"id", "status", "status_code", "copyright_check_status"}},
	// IG Media.
	"medium": {http: http.MethodGet, params: []string{"fields"},
		fields: []string{"id", "caption", "timestamp", "permalink", "media_type", "media_url", "like_count", "comments_count", "username", "children"}},
	// IG Media Insights: views, reach, likes, comments, saved, shares,
	// total_interactions (impressions, plays and video_views are gone).
	"insights": {http: http.MethodGet, params: []string{"metric", "period", "breakdown"}, required: []string{"metric"}},
}

var metrics = []string{"views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "follows", "profile_visits"}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+Version+"/")
	segs := strings.Split(rest, "/")
	if !ok || len(segs) > 2 || segs[0] == "" {
		s.errorf("%s %s: not a Graph API path of %s", r.Method, r.URL.Path, Version)
		s.fail(w, http.StatusBadRequest, 100, "Unknown path components", "OAuthException")
		return
	}
	route := s.route(r.Method, segs)
	if route == "" {
		s.errorf("%s %s: not a call Herald makes", r.Method, r.URL.Path)
		s.fail(w, http.StatusBadRequest, 100, "Unsupported request", "GraphMethodException")
		return
	}
	params, token, ok := s.readParams(r, route)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Route: route, Path: rest, Params: params})
	reply, queued := s.take(route)
	s.mu.Unlock()
	if !ok {
		s.fail(w, http.StatusBadRequest, 100, "Invalid parameter", "OAuthException")
		return
	}
	if token == "" {
		s.errorf("%s: no access_token", route)
		s.fail(w, http.StatusBadRequest, 104, "An access token is required to request this resource.", "OAuthException")
		return
	}
	if queued {
		s.reply(w, reply)
		return
	}
	if token != s.Token {
		s.fail(w, http.StatusBadRequest, 190, "Error validating access token: Session has expired.", "OAuthException")
		return
	}
	s.mu.Lock()
	status, body := s.handle(route, segs, params)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// route names the call of a request.
func (s *Server) route(method string, segs []string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := segs[0]
	if len(segs) == 2 {
		switch {
		case id == s.User && segs[1] == "media" && method == http.MethodPost:
			return "media"
		case id == s.User && segs[1] == "media":
			return "list"
		case id == s.User && (segs[1] == "media_publish" || segs[1] == "content_publishing_limit"):
			return segs[1]
		case segs[1] == "insights":
			return "insights"
		}
		return ""
	}
	switch {
	case id == s.User:
		return "user"
	case s.containers[id] != nil:
		return "container"
	}
	return "medium"
}

// take returns the next queued reply of a route, if it is not a pass.
func (s *Server) take(route string) (Reply, bool) {
	reply, ok := s.queued.Take(route)
	return reply, ok && (reply.Status != 0 || reply.Body != "")
}

// readParams reads a request's parameters (the query of a GET, the form
// body of a POST) and fails the test on anything the call does not take.
func (s *Server) readParams(r *http.Request, route string) (map[string]string, string, bool) {
	s.t.Helper()
	c := calls[route]
	if r.Method != c.http {
		s.errorf("%s: HTTP %s, want %s", route, r.Method, c.http)
		return nil, "", false
	}
	if r.Header.Get("Authorization") != "" {
		s.errorf("%s: an Authorization header; the reference passes access_token as a parameter", route)
	}
	var values url.Values
	if r.Method == http.MethodGet {
		if r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
			s.errorf("%s: a GET with a body", route)
			return nil, "", false
		}
		values = r.URL.Query()
	} else {
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/x-www-form-urlencoded" {
			s.errorf("%s: Content-Type %q, want application/x-www-form-urlencoded", route, r.Header.Get("Content-Type"))
			return nil, "", false
		}
		if r.URL.RawQuery != "" {
			s.errorf("%s: parameters in the query of a POST with a form body: %s", route, r.URL.Query().Get("fields"))
			return nil, "", false
		}
		data, _ := io.ReadAll(r.Body)
		var err error
		if values, err = url.ParseQuery(string(data)); err != nil {
			s.errorf("%s: %v", route, err)
			return nil, "", false
		}
	}
	params := map[string]string{}
	token := values.Get("access_token")
	ok := true
	for k, v := range values {
		if k == "access_token" {
			continue
		}
		if len(v) != 1 {
			s.errorf("%s: parameter %q given %d times", route, k, len(v))
			ok = false
		}
		if !slices.Contains(c.params, k) {
			s.errorf("%s: parameter %q is not one the call takes", route, k)
			ok = false
		}
		params[k] = v[0]
	}
	for _, k := range c.required {
		if params[k] == "" {
			s.errorf("%s: required parameter %q is missing", route, k)
			ok = false
		}
	}
	if f, has := params["fields"]; has {
		for _, field := range strings.Split(f, ",") {
			if !slices.Contains(c.fields, field) {
				s.errorf("%s: field %q is not one the node has", route, field)
				ok = false
			}
		}
	}
	if route == "insights" {
		for _, m := range strings.Split(params["metric"], ",") {
			if !slices.Contains(metrics, m) {
				s.errorf("insights: metric %q is not one an Instagram medium has", m)
				ok = false
			}
		}
	}
	return params, token, ok
}

// fail writes a Graph API error.
func (s *Server) fail(w http.ResponseWriter, status, code int, message, typ string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"message": message, "type": typ, "code": code, "fbtrace_id": "AbCdEfGhIjK"}})
}

func (s *Server) reply(w http.ResponseWriter, r Reply) {
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if strings.HasPrefix(r.Body, "{") {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	w.WriteHeader(r.Status)
	io.WriteString(w, r.Body)
}
