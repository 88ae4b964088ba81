package slacktest

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// method is how the docs say a Web API method is called: its HTTP
// method, how its arguments travel (the query of a GET, a form or JSON
// body of a POST), the arguments it takes and those it requires.
type method struct {
	http     string
	body     string // "" (query), "form" or "json"
	args     []string
	required []string
}

// methods are the Web API methods Herald calls.
var methods = map[string]method{
	"auth.test":         {http: http.MethodGet},
	"chat.postMessage":  {http.MethodPost, "json", []string{"channel", "text", "thread_ts", "metadata", "mrkdwn", "unfurl_links", "unfurl_media", "reply_broadcast"}, []string{"channel"}},
	"chat.getPermalink": {http.MethodGet, "", []string{"channel", "message_ts"}, []string{"channel", "message_ts"}},
	"conversations.history": {http.MethodGet, "", []string{"channel", "cursor", "limit", "latest", "oldest", "inclusive", "include_all_metadata"},
		[]string{"channel"}},
	"conversations.replies": {http.MethodGet, "", []string{"channel", "ts", "cursor", "limit", "latest", "oldest", "inclusive", "include_all_metadata"},
		[]string{"channel", "ts"}},
	"conversations.info":           {http.MethodGet, "", []string{"channel", "include_locale", "include_num_members"}, []string{"channel"}},
	"reactions.get":                {http.MethodGet, "", []string{"channel", "timestamp", "full", "file", "file_comment"}, nil},
	"files.getUploadURLExternal":   {http.MethodPost, "form", []string{"filename", "length", "alt_txt", "snippet_type"}, []string{"filename", "length"}},
	"files.completeUploadExternal": {http.MethodPost, "json", []string{"files", "channel_id", "thread_ts", "initial_comment", "channels", "blocks"}, []string{"files"}},
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	if id, ok := strings.CutPrefix(r.URL.Path, "/upload/"); ok {
		s.upload(w, r, id)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, "/api/")
	m, known := methods[name]
	if !ok || !known {
		s.errorf("%s %s: not a method Herald calls", r.Method, r.URL.Path)
		s.answer(w, "unknown_method", nil)
		return
	}
	args, ok := s.readArgs(r, name, m)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: name, Header: r.Header.Clone(), Args: args})
	reply, queued := s.take(name)
	s.mu.Unlock()
	if !ok {
		s.answer(w, "invalid_arguments", nil)
		return
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		s.errorf("%s: Authorization is %q, want Bearer and the bot token", name, auth)
		s.answer(w, "not_authed", nil)
		return
	}
	if queued {
		s.reply(w, reply)
		return
	}
	if auth != "Bearer "+s.Token {
		s.answer(w, "invalid_auth", nil)
		return
	}
	s.mu.Lock()
	body, code := s.handle(name, args)
	s.mu.Unlock()
	s.answer(w, code, body)
}

// take returns the next queued reply of a method, if it is not a pass.
func (s *Server) take(name string) (Reply, bool) {
	reply, ok := s.queued.Take(name)
	return reply, ok && (reply.Status != 0 || reply.Body != "")
}

func (s *Server) handle(name string, args map[string]any) (map[string]any, string) {
	switch name {
	case "auth.test":
		return map[string]any{"url": "https://maison-exemple.slack.com/", "team": s.Team, "team_id": s.TeamID,
			"user": s.BotUser, "user_id": s.BotUserID, "bot_id": "B0HERALD1", "is_enterprise_install": false}, ""
	case "chat.postMessage":
		return s.postMessage(args)
	case "chat.getPermalink":
		return s.permalink(args)
	case "conversations.history":
		return s.history(args)
	case "conversations.replies":
		return s.replies(args)
	case "conversations.info":
		return s.info(args)
	case "reactions.get":
		return s.reactions(args)
	case "files.getUploadURLExternal":
		return s.uploadURL(args)
	case "files.completeUploadExternal":
		return s.complete(args)
	}
	return nil, "unknown_method"
}

// readArgs reads a request's arguments where its method's docs put them,
// and fails the test on anything else. It reports false for a request
// the server refuses (invalid_arguments).
func (s *Server) readArgs(r *http.Request, name string, m method) (map[string]any, bool) {
	s.t.Helper()
	if r.Method != m.http {
		s.errorf("%s: HTTP %s, want %s", name, r.Method, m.http)
		return nil, false
	}
	args := map[string]any{}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch m.body {
	case "":
		if r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
			s.errorf("%s: a GET with a body (%s)", name, ct)
			return nil, false
		}
		for k, v := range r.URL.Query() {
			args[k] = strings.Join(v, ",")
		}
	case "form":
		if ct != "application/x-www-form-urlencoded" {
			s.errorf("%s: Content-Type %q, want application/x-www-form-urlencoded", name, r.Header.Get("Content-Type"))
			return nil, false
		}
		data, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(data))
		if err != nil {
			s.errorf("%s: %v", name, err)
			return nil, false
		}
		for k, v := range form {
			args[k] = strings.Join(v, ",")
		}
	case "json":
		if ct != "application/json" || !strings.EqualFold(params["charset"], "utf-8") {
			s.errorf("%s: Content-Type %q, want application/json; charset=utf-8", name, r.Header.Get("Content-Type"))
			return nil, false
		}
		if err := json.NewDecoder(r.Body).Decode(&args); err != nil {
			s.errorf("%s: the body is not a JSON object: %v", name, err)
			return nil, false
		}
	}
	if m.body != "" && len(r.URL.Query()) > 0 {
		s.errorf("%s: arguments in the query of a POST: %s", name, r.URL.RawQuery)
		return nil, false
	}
	ok := true
	for k := range args {
		if k == "token" {
			s.errorf("%s: the token travels as an argument; Herald sends it in the Authorization header", name)
			ok = false
		} else if !slices.Contains(m.args, k) {
			s.errorf("%s: argument %q is not one the method takes", name, k)
			ok = false
		}
	}
	for _, k := range m.required {
		if _, found := args[k]; !found {
			s.errorf("%s: required argument %q is missing", name, k)
			ok = false
		}
	}
	return args, ok
}

// answer writes the Web API's envelope: HTTP 200 and ok, or ok false
// with the error code.
func (s *Server) answer(w http.ResponseWriter, code string, body map[string]any) {
	if body == nil {
		body = map[string]any{}
	}
	body["ok"] = code == ""
	if code != "" {
		body = map[string]any{"ok": false, "error": code}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(body)
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

// upload is the URL files.getUploadURLExternal hands out: a POST of the
// file's bytes, raw or as multipart, without the token.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, id string) {
	s.t.Helper()
	data, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: "upload", Header: r.Header.Clone()})
	reply, queued := s.take("upload")
	f := s.files[id]
	s.mu.Unlock()
	if r.Method != http.MethodPost {
		s.errorf("upload URL: HTTP %s, want POST", r.Method)
	}
	if r.Header.Get("Authorization") != "" {
		s.errorf("upload URL: the request carries an Authorization header: the upload URL needs no token, which must go nowhere but the Web API")
	}
	if queued {
		s.reply(w, reply)
		return
	}
	if f == nil {
		s.errorf("upload URL: no file %q was asked for", id)
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	s.mu.Lock()
	f.Data, f.ContentType = data, r.Header.Get("Content-Type")
	s.mu.Unlock()
	if len(data) != f.Length {
		s.errorf("upload URL: %d bytes for file %s, files.getUploadURLExternal said %d", len(data), id, f.Length)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "OK - "+id)
}
