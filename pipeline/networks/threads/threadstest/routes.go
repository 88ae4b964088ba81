package threadstest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Endpoints are the names of the endpoints the server implements, for
// Queue and Request.Endpoint.
var Endpoints = []string{"create", "publish", "status", "media", "threads", "replies", "insights", "user_insights", "publishing_limit", "me", "debug_token"}

// endpoint is how the docs say an endpoint is called: its HTTP method,
// the parameters it takes and requires, and the values its fields or
// metric parameter may list.
type endpoint struct {
	method   string
	params   []string
	required []string
	fields   []string // the fields (or metrics, for the insights) it may list
}

// mediaFields are the fields of a Threads media object (Media Retrieval).
var mediaFields = []string{"id", "media_product_type", "media_type", "media_url", "gif_url", "permalink", "owner", "username", "text",
	"timestamp", "shortcode", "thumbnail_url", "children", "is_quote_post", "quoted_post", "reposted_post", "alt_text",
	"link_attachment_url", "has_replies", "root_post", "replied_to", "is_reply", "is_reply_owned_by_me", "hide_status", "reply_audience", "topic_tag"}

var endpoints = map[string]endpoint{
	// POST /{threads-user-id}/threads (Posts; Accessibility; Create Replies).
	"create": {method: http.MethodPost, params: []string{"media_type", "text", "image_url", "video_url", "is_carousel_item", "children",
		"reply_to_id", "alt_text", "reply_control", "link_attachment", "quote_post_id", "topic_tag", "location_id",
		"allowlisted_country_codes", "auto_publish_text", "poll_attachment", "text_entities", "gif_attachment", "is_spoiler_media"},
		required: []string{"media_type"}},
	"publish":          {method: http.MethodPost, params: []string{"creation_id"}, required: []string{"creation_id"}},
	"status":           {method: http.MethodGet, params: []string{"fields"}, required: []string{"fields"}, fields: []string{"id", "status", "error_message"}},
	"media":            {method: http.MethodGet, params: []string{"fields"}, fields: mediaFields},
	"threads":          {method: http.MethodGet, params: []string{"fields", "since", "until", "limit", "before", "after"}, fields: mediaFields},
	"replies":          {method: http.MethodGet, params: []string{"fields", "reverse", "before", "after"}, fields: mediaFields},
	"insights":         {method: http.MethodGet, params: []string{"metric"}, required: []string{"metric"}, fields: []string{"views", "likes", "replies", "reposts", "quotes", "shares"}},
	"user_insights":    {method: http.MethodGet, params: []string{"metric", "since", "until", "breakdown"}, required: []string{"metric"}, fields: []string{"views", "likes", "replies", "reposts", "quotes", "clicks", "followers_count", "follower_demographics"}},
	"publishing_limit": {method: http.MethodGet, params: []string{"fields"}, fields: []string{"quota_usage", "config", "reply_quota_usage", "reply_config", "delete_quota_usage", "delete_config", "location_search_quota_usage", "location_search_config"}},
	"me":               {method: http.MethodGet, params: []string{"fields"}, fields: []string{"id", "username", "name", "threads_profile_picture_url", "threads_biography", "is_verified"}},
	// GET /debug_token (Debug Access Token): input_token, inspected with
	// the access_token of a Threads tester of the same app.
	"debug_token": {method: http.MethodGet, params: []string{"input_token"}, required: []string{"input_token"}},
}

// route names the endpoint of a path below /v1.0, and the id in it.
func (s *Server) route(method, path string) (name, id string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "me":
		return "me", ""
	case len(parts) == 1 && parts[0] == "debug_token":
		return "debug_token", ""
	case len(parts) == 2 && parts[0] == s.User:
		switch parts[1] {
		case "threads":
			if method == http.MethodPost {
				return "create", ""
			}
			return "threads", ""
		case "threads_publish":
			return "publish", ""
		case "threads_publishing_limit":
			return "publishing_limit", ""
		case "threads_insights":
			return "user_insights", ""
		}
	case len(parts) == 2 && parts[1] == "replies":
		return "replies", parts[0]
	case len(parts) == 2 && parts[1] == "insights":
		return "insights", parts[0]
	case len(parts) == 1:
		if _, ok := s.containers[parts[0]]; ok {
			return "status", parts[0]
		}
		return "media", parts[0]
	}
	return "", ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	path, ok := strings.CutPrefix(r.URL.Path, "/v1.0/")
	s.mu.Lock()
	name, id := s.route(r.Method, "/"+path)
	s.mu.Unlock()
	ep, known := endpoints[name]
	if !ok || !known {
		s.errorf("%s %s: not an endpoint Herald calls", r.Method, r.URL.Path)
		s.fail(w, 400, 100, "Unsupported request - method type: "+strings.ToLower(r.Method))
		return
	}
	params, token, ok := s.readParams(r, name, ep)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Endpoint: name, Path: "/" + path, Params: params})
	reply, queued := s.take(name)
	s.mu.Unlock()
	if !ok {
		s.fail(w, 400, 100, "Invalid parameter")
		return
	}
	if token == "" {
		s.errorf("%s %s: no access_token", r.Method, name)
		s.fail(w, 400, 2500, "An active access token must be used to query information about the current user.")
		return
	}
	if queued {
		s.reply(w, reply)
		return
	}
	if token != s.Token {
		s.fail(w, 400, 190, "Invalid OAuth access token - Cannot parse access token")
		return
	}
	s.mu.Lock()
	body, status, code, msg := s.handle(name, id, params)
	s.mu.Unlock()
	if status != 0 {
		s.fail(w, status, code, msg)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Header().Set("X-App-Usage", `{"call_count":1,"total_cputime":1,"total_time":1}`)
	json.NewEncoder(w).Encode(body)
}

// take returns the next queued reply of an endpoint, if it is not a pass.
func (s *Server) take(name string) (Reply, bool) {
	reply, ok := s.queued.Take(name)
	return reply, ok && (reply.Status != 0 || reply.Body != "")
}

func (s *Server) reply(w http.ResponseWriter, r Reply) {
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	w.WriteHeader(r.Status)
	io.WriteString(w, r.Body)
}

// fail answers Meta's error object.
func (s *Server) fail(w http.ResponseWriter, status, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	typ := "THApiException"
	if code == 190 || code == 2500 {
		typ = "OAuthException"
	}
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": typ, "code": code, "fbtrace_id": "AbCdEfGhIjK"}})
}

// readParams reads a request's parameters where Herald sends them (the
// query of a GET, the form body of a POST) and fails the test on
// anything else. It reports false for a request the server refuses.
func (s *Server) readParams(r *http.Request, name string, ep endpoint) (url.Values, string, bool) {
	s.t.Helper()
	if r.Method != ep.method {
		s.errorf("%s: method %s, want %s", name, r.Method, ep.method)
		return nil, "", false
	}
	if r.Header.Get("Authorization") != "" {
		s.errorf("%s: an Authorization header: the Threads API takes the token as access_token", name)
		return nil, "", false
	}
	params := r.URL.Query()
	if r.Method == http.MethodPost {
		if len(params) > 0 {
			s.errorf("%s: parameters %v in the query of a POST: Herald sends them as a form", name, params)
			return nil, "", false
		}
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt != "application/x-www-form-urlencoded" {
			s.errorf("%s: Content-Type %q, want application/x-www-form-urlencoded", name, r.Header.Get("Content-Type"))
			return nil, "", false
		}
		body, _ := io.ReadAll(r.Body)
		var err error
		if params, err = url.ParseQuery(string(body)); err != nil {
			s.errorf("%s: the form does not parse: %v", name, err)
			return nil, "", false
		}
	} else if body, _ := io.ReadAll(r.Body); len(body) > 0 {
		s.errorf("%s: a GET with a body", name)
		return nil, "", false
	}
	token := params.Get("access_token")
	params.Del("access_token")
	ok := true
	for k, v := range params {
		if !slices.Contains(ep.params, k) {
			s.errorf("%s: parameter %q is not one the endpoint takes (%v)", name, k, ep.params)
			ok = false
		}
		if len(v) != 1 {
			s.errorf("%s: parameter %q given %d times", name, k, len(v))
			ok = false
		}
	}
	for _, k := range ep.required {
		if params.Get(k) == "" {
			s.errorf("%s: parameter %q is required", name, k)
			ok = false
		}
	}
	for _, k := range []string{"fields", "metric"} {
		if !params.Has(k) {
			continue
		}
		for f := range strings.SplitSeq(params.Get(k), ",") {
			if !slices.Contains(ep.fields, f) {
				s.errorf("%s: %s %q is not one the endpoint has (%v)", name, k, f, ep.fields)
				ok = false
			}
		}
	}
	return params, token, ok
}

// handle serves a request the docs allow: the answer's body, or the
// status, code and message of an error.
func (s *Server) handle(name, id string, p url.Values) (any, int, int, string) {
	switch name {
	case "me":
		return pick(map[string]any{"id": s.User, "username": s.Username, "name": "Maison Exemple"}, p.Get("fields")), 0, 0, ""
	case "debug_token":
		return s.debugToken(p)
	case "create":
		return s.create(p)
	case "publish":
		return s.publish(p)
	case "status":
		c := s.containers[id]
		if c.Status == "IN_PROGRESS" && c.reads > 0 {
			c.reads--
		} else if c.Status == "IN_PROGRESS" {
			c.Status = "FINISHED"
		}
		return pick(map[string]any{"id": c.ID, "status": c.Status}, p.Get("fields")+",id"), 0, 0, ""
	case "media":
		m := s.post(id)
		if m == nil {
			return nil, 400, 100, fmt.Sprintf("Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation", id)
		}
		return s.media(m, p.Get("fields")), 0, 0, ""
	case "threads":
		return s.list(p)
	case "replies":
		return s.replies(id, p)
	case "insights":
		return s.insights(id, p)
	case "user_insights":
		var data []any
		for m := range strings.SplitSeq(p.Get("metric"), ",") {
			if m == "followers_count" {
				data = append(data, map[string]any{"name": m, "period": "day", "title": "followers_count", "description": "The number of followers",
					"total_value": map[string]any{"value": s.Followers}, "id": s.User + "/insights/followers_count/day"})
			}
		}
		return map[string]any{"data": data}, 0, 0, ""
	case "publishing_limit":
		return map[string]any{"data": []any{pick(map[string]any{"quota_usage": s.QuotaUsage,
			"config": map[string]any{"quota_total": s.QuotaTotal, "quota_duration": 86400}}, p.Get("fields"))}}, 0, 0, ""
	}
	return nil, 400, 100, "unknown endpoint"
}

// pick keeps the fields a request lists (all of them when it lists none).
func pick(all map[string]any, fields string) map[string]any {
	if fields == "" {
		return all
	}
	out := map[string]any{}
	for f := range strings.SplitSeq(fields, ",") {
		if v, ok := all[f]; ok {
			out[f] = v
		}
	}
	return out
}

// debugToken is GET /debug_token: what Meta knows of input_token. The
// access_token must be a Threads tester's (NotTester refuses it as the
// API refuses a user without a role on the app); a token the server does
// not know is not valid.
func (s *Server) debugToken(p url.Values) (any, int, int, string) {
	if s.NotTester {
		return nil, 400, 10, "(#10) Application does not have permission for this action: the access token must be a Threads tester's"
	}
	if p.Get("input_token") != s.Token {
		return map[string]any{"data": map[string]any{"is_valid": false, "error": map[string]any{"code": 190,
			"message": "Invalid OAuth access token - Cannot parse access token"}}}, 0, 0, ""
	}
	scopes := s.Scopes
	if scopes == nil {
		scopes = []string{"threads_basic", "threads_content_publish", "threads_manage_insights", "threads_manage_replies", "threads_read_replies"}
	}
	expires := s.TokenExpires
	if expires.IsZero() {
		expires = s.now().Add(59 * 24 * time.Hour)
	}
	return map[string]any{"data": map[string]any{"type": "USER", "application": "Maison Exemple Threads",
		"data_access_expires_at": expires.Add(30 * 24 * time.Hour).Unix(), "expires_at": expires.Unix(),
		"is_valid": true, "issued_at": expires.Add(-60 * 24 * time.Hour).Unix(), "scopes": scopes, "user_id": s.User}}, 0, 0, ""
}
