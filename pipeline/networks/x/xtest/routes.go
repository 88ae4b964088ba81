package xtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// route is how X's description says an endpoint is called: its query
// parameters (required ones first, up to nreq), and its body: "" (none),
// "json" with the top-level fields it takes, or "multipart" with its
// parts.
type route struct {
	query  []string
	nreq   int
	body   string
	fields []string
	breq   []string
}

// fields parameters take the values of their enum only.
var (
	postFields = []string{"article", "article_title", "attachments", "card_uri", "community_id", "context_annotations", "conversation_id",
		"created_at", "display_text_range", "edit_controls", "entities", "geo", "id", "lang", "matched_media_notes", "media_metadata",
		"non_public_metrics", "note_post", "note_request_suggestions", "organic_metrics", "paid_partnership", "possibly_sensitive",
		"promoted_metrics", "public_metrics", "reply_settings", "scopes", "source", "suggested_source_links",
		"suggested_source_links_with_counts", "text", "withheld"}
	userFields = []string{"confirmed_email", "connection_status", "created_at", "description", "entities", "id", "is_identity_verified",
		"location", "name", "parody", "profile_banner_url", "profile_image_url", "protected", "public_metrics", "receives_your_dm",
		"subscribes_to_you", "subscription", "subscription_type", "url", "username", "verified", "verified_followers_count",
		"verified_type", "withheld"}
	lookupParams = []string{"post.fields", "expansions", "user.fields", "media.fields", "poll.fields", "place.fields"}
)

var routes = map[string]route{
	"POST /2/tweets": {body: "json", fields: []string{"card_uri", "community_id", "direct_message_deep_link", "edit_options",
		"for_super_followers_only", "geo", "made_with_ai", "media", "nullcast", "paid_partnership", "poll", "quote_tweet_id",
		"reply", "reply_settings", "share_with_followers", "text"}},
	"POST /2/media/upload":               {body: "multipart", fields: []string{"media", "media_category", "additional_owners"}, breq: []string{"media", "media_category"}},
	"POST /2/media/upload/initialize":    {body: "json", fields: []string{"additional_owners", "media_category", "media_type", "shared", "total_bytes"}},
	"POST /2/media/upload/{id}/append":   {body: "multipart", fields: []string{"media", "segment_index"}, breq: []string{"media", "segment_index"}},
	"POST /2/media/upload/{id}/finalize": {},
	"GET /2/media/upload":                {query: []string{"media_id", "command"}, nreq: 1},
	"POST /2/media/metadata":             {body: "json", fields: []string{"id", "metadata"}, breq: []string{"id"}},
	"GET /2/users/me":                    {query: []string{"user.fields", "expansions", "post.fields"}},
	"GET /2/users/{id}/tweets":           {query: append([]string{"max_results", "pagination_token", "start_time", "end_time", "since_id", "until_id", "exclude"}, lookupParams...)},
	"GET /2/tweets":                      {query: append([]string{"ids"}, lookupParams...), nreq: 1},
}

var idPath = regexp.MustCompile(`^/2/(media/upload|users)/([0-9]{1,19})(/append|/finalize|/tweets)$`)

// routeOf names a request's route and the id in its path.
func routeOf(r *http.Request) (string, string) {
	if m := idPath.FindStringSubmatch(r.URL.Path); m != nil {
		return r.Method + " /2/" + m[1] + "/{id}" + m[3], m[2]
	}
	return r.Method + " " + r.URL.Path, ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	name, id := routeOf(r)
	rt, known := routes[name]
	if !known {
		s.errorf("%s %s: not an endpoint Herald calls, or not with this method", r.Method, r.URL.Path)
		s.problem(w, http.StatusNotFound, "Not Found Error", "no such endpoint")
		return
	}
	raw, _ := io.ReadAll(r.Body)
	body, files, ok := s.readRequest(r, name, rt, raw)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Route: name, Header: r.Header.Clone(), Query: r.URL.Query(), Body: body})
	reply, queued := s.take(name)
	authKnown, authErr := verify(r, raw, credentials{s.ConsumerKey, s.ConsumerSecret, s.AccessToken, s.AccessSecret}, s.nonces, time.Now())
	s.mu.Unlock()
	if authErr != nil {
		s.errorf("%s: %v", name, authErr)
		s.problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized")
		return
	}
	if !ok {
		s.problem(w, http.StatusBadRequest, "Invalid Request", "One or more parameters to your request was invalid.")
		return
	}
	if queued {
		s.reply(w, reply)
		return
	}
	if !authKnown {
		s.problem(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized")
		return
	}
	s.mu.Lock()
	status, out := s.handle(name, id, r.URL.Query(), body, files)
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
}

// take returns the next queued reply of a route, if it is not a pass.
func (s *Server) take(name string) (Reply, bool) {
	reply, ok := s.queued.Take(name)
	return reply, ok && (reply.Status != 0 || reply.Body != "")
}

// readRequest checks a request's query and body against its route and
// fails the test on anything else; it reports false for a request X
// refuses (400).
func (s *Server) readRequest(r *http.Request, name string, rt route, raw []byte) (map[string]any, map[string][]byte, bool) {
	s.t.Helper()
	ok := true
	q := r.URL.Query()
	for k, v := range q {
		if !slices.Contains(rt.query, k) {
			s.errorf("%s: query parameter %q is not one the endpoint takes", name, k)
			ok = false
		}
		if len(v) > 1 {
			s.errorf("%s: query parameter %q given %d times; X takes a comma-separated list", name, k, len(v))
			ok = false
		}
		var enum []string
		switch k {
		case "post.fields":
			enum = postFields
		case "user.fields":
			enum = userFields
		}
		for _, f := range strings.Split(q.Get(k), ",") {
			if enum != nil && !slices.Contains(enum, f) {
				s.errorf("%s: %s %q is not one of its values", name, k, f)
				ok = false
			}
		}
	}
	for _, k := range rt.query[:rt.nreq] {
		if q.Get(k) == "" {
			s.errorf("%s: required query parameter %q is missing", name, k)
			ok = false
		}
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	body := map[string]any{}
	files := map[string][]byte{}
	switch rt.body {
	case "":
		if len(raw) > 0 || r.Header.Get("Content-Type") != "" {
			s.errorf("%s: a body (%s) where the endpoint takes none", name, ct)
			ok = false
		}
	case "json":
		if ct != "application/json" {
			s.errorf("%s: Content-Type %q, want application/json", name, r.Header.Get("Content-Type"))
			return body, files, false
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		if err := dec.Decode(&body); err != nil {
			s.errorf("%s: the body is not a JSON object: %v", name, err)
			return body, files, false
		}
	case "multipart":
		if ct != "multipart/form-data" {
			s.errorf("%s: Content-Type %q, want multipart/form-data", name, r.Header.Get("Content-Type"))
			return body, files, false
		}
		mr := multipart.NewReader(bytes.NewReader(raw), params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				s.errorf("%s: the multipart body is broken: %v", name, err)
				return body, files, false
			}
			data, _ := io.ReadAll(p)
			if p.FileName() != "" {
				files[p.FormName()] = data
				body[p.FormName()] = "(file " + p.Header.Get("Content-Type") + ")"
			} else {
				body[p.FormName()] = string(data)
			}
		}
	}
	for k := range body {
		if !slices.Contains(rt.fields, k) {
			s.errorf("%s: field %q is not one the endpoint takes", name, k)
			ok = false
		}
	}
	for _, k := range rt.breq {
		if _, found := body[k]; !found {
			s.errorf("%s: required field %q is missing", name, k)
			ok = false
		}
	}
	return body, files, ok
}

// problem writes X's error shape (RFC 7807 problem details).
func (s *Server) problem(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"title": title, "detail": detail, "type": "about:blank", "status": status})
}

func (s *Server) reply(w http.ResponseWriter, r Reply) {
	for k, v := range r.Header {
		w.Header().Set(k, v)
	}
	if strings.HasPrefix(r.Body, "{") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
	}
	w.WriteHeader(r.Status)
	io.WriteString(w, r.Body)
}
