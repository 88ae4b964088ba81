package mastodontest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
)

// route is a request's route: "METHOD /path", with :id for the id.
var idPath = regexp.MustCompile(`^/api/v1/(media|statuses|accounts)/([0-9]+)(/statuses)?$`)

func routeOf(r *http.Request) (route, id string) {
	path := r.URL.Path
	if m := idPath.FindStringSubmatch(path); m != nil {
		return r.Method + " /api/v1/" + m[1] + "/:id" + m[3], m[2]
	}
	return r.Method + " " + path, ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	route, id := routeOf(r)
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		s.errorf("%s: Authorization is %q, want Bearer and the token", route, auth)
	}
	form, files, ok := s.readBody(w, r, route)
	rec.Form, rec.Files = form, files
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	var failure *Reply
	if q := s.failures[route]; len(q) > 0 {
		failure, s.failures[route] = &q[0], q[1:]
		if failure.Status == 0 && !failure.Hangup {
			failure = nil // a pass: this request is served
		}
	}
	s.mu.Unlock()
	if !ok {
		return
	}
	if failure != nil && !failure.After {
		s.reply(w, failure)
		return
	}
	s.rateHeaders(w)
	if auth != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "The access token is invalid"})
		return
	}
	var status int
	var body any
	switch route {
	case "GET /api/v2/instance":
		status, body = http.StatusOK, s.instance()
	case "GET /api/v1/accounts/verify_credentials":
		status, body = http.StatusOK, s.account()
	case "GET /api/v1/accounts/:id/statuses":
		status, body = s.accountStatuses(id, r)
	case "POST /api/v2/media":
		status, body = s.upload(form, files, r)
	case "GET /api/v1/media/:id":
		status, body = s.getMedia(id)
	case "POST /api/v1/statuses":
		status, body = s.post(form, r.Header.Get("Idempotency-Key"))
	case "GET /api/v1/statuses":
		status, body = s.getStatuses(r)
	case "GET /api/v1/statuses/:id":
		status, body = s.getStatus(id)
	default:
		s.errorf("%s: not an endpoint Herald uses", route)
		status, body = http.StatusNotFound, map[string]string{"error": "Not Found"}
	}
	if failure != nil {
		s.reply(w, failure)
		return
	}
	if status == http.StatusPartialContent && body == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, body)
}

func (s *Server) reply(w http.ResponseWriter, f *Reply) {
	if f.Hangup {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	for k, v := range f.Header {
		w.Header().Set(k, v)
	}
	if strings.HasPrefix(f.Body, "{") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(f.Status)
	io.WriteString(w, f.Body)
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// fields each POST route takes, as the docs list them.
var allowed = map[string][]string{
	"POST /api/v2/media": {"file", "thumbnail", "description", "focus"},
	"POST /api/v1/statuses": {"status", "media_ids[]", "poll[options][]", "poll[expires_in]", "poll[multiple]",
		"poll[hide_totals]", "in_reply_to_id", "sensitive", "spoiler_text", "visibility", "language", "scheduled_at",
		"quoted_status_id", "quote_approval_policy"},
}

// readBody reads a request's form (urlencoded, multipart or JSON) and
// checks it against the route: GETs have no body, POSTs only the fields
// their docs list. It answers and returns false for a bad request.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, route string) (map[string][]string, map[string]string, bool) {
	s.t.Helper()
	if r.Method == http.MethodGet {
		if r.ContentLength > 0 {
			s.errorf("%s has a body", route)
		}
		return nil, nil, true
	}
	fields, ok := allowed[route]
	if !ok {
		return nil, nil, true // the route answers 404
	}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	form := map[string][]string{}
	files := map[string]string{}
	switch {
	case route == "POST /api/v2/media" && ct == "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			s.errorf("%s: %v", route, err)
			break
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(part)
			if part.FileName() != "" {
				files[part.FormName()] = part.Header.Get("Content-Type")
				form[part.FormName()] = []string{part.FileName(), string(data)}
			} else {
				form[part.FormName()] = append(form[part.FormName()], string(data))
			}
		}
	case route == "POST /api/v1/statuses" && ct == "application/x-www-form-urlencoded":
		if err := r.ParseForm(); err != nil {
			s.errorf("%s: %v", route, err)
		}
		form = r.PostForm
	case route == "POST /api/v1/statuses" && ct == "application/json":
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			s.errorf("%s: %v", route, err)
		}
		for k, v := range body {
			if list, ok := v.([]any); ok {
				for _, item := range list {
					form[k+"[]"] = append(form[k+"[]"], item.(string))
				}
			} else {
				form[k] = []string{strings.Trim(string(must(json.Marshal(v))), `"`)}
			}
		}
	default:
		s.errorf("%s: Content-Type %q (boundary %q) is not what the docs take", route, r.Header.Get("Content-Type"), params["boundary"])
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": "Unsupported content type"})
		return nil, nil, false
	}
	for name := range form {
		if !slices.Contains(fields, name) {
			s.errorf("%s: field %q is not one the docs list", route, name)
		}
	}
	return form, files, true
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func (s *Server) instance() any {
	return map[string]any{
		"domain": strings.TrimPrefix(s.base(), "http://"), "title": "Test", "version": "4.5.0",
		"configuration": map[string]any{
			"statuses": map[string]any{"max_characters": s.MaxCharacters, "max_media_attachments": s.MaxMedia,
				"characters_reserved_per_url": 23},
			"media_attachments": map[string]any{
				"supported_mime_types": []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"},
				"description_limit":    s.DescriptionLimit, "image_size_limit": 16777216, "video_size_limit": 103809024},
			"polls": map[string]any{"max_options": 4, "max_characters_per_option": 50},
		},
	}
}

func (s *Server) account() any {
	return map[string]any{"id": s.AccountID, "username": s.Acct, "acct": s.Acct, "display_name": "Maison",
		"followers_count": s.FollowersCount, "following_count": 10, "statuses_count": len(s.Statuses()),
		"url": s.base() + "/@" + s.Acct}
}

// graphemes counts a text as Mastodon's StatusLengthValidator does, each
// URL as 23.
func graphemes(text string) int {
	n := 0
	for _, part := range urlPattern.Split(text, -1) {
		n += uniseg.GraphemeClusterCount(part)
	}
	return n + 23*len(urlPattern.FindAllString(text, -1))
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }
