package facebooktest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// endpoint is how the docs say an endpoint is called: its HTTP method,
// how its parameters travel (the query of a GET, a form or multipart
// body), those it takes and those it requires, and the fields it may be
// asked for.
type endpoint struct {
	http     string
	body     string // "" (query), "form" or "multipart"
	params   []string
	required []string
	fields   []string
	file     string // the file part a multipart body may carry
}

var endpoints = map[string]endpoint{
	// GET /me with a Page token: the Page.
	"me": {http: http.MethodGet, params: []string{"fields"}, fields: []string{"id", "name"}},
	// GET /{page-id}: Page fields.
	"page": {http: http.MethodGet, params: []string{"fields"}, fields: []string{"id", "name", "followers_count", "fan_count", "link"}},
	// POST /{page-id}/feed: message, link, published, attached_media[N].
	"feed": {http: http.MethodPost, body: "form", params: []string{"message", "link", "published", "scheduled_publish_time", "attached_media"}},
	// POST /{page-id}/photos: source (a file) or url, published,
	// alt_text_custom, caption, temporary, no_story.
	"photos": {http: http.MethodPost, body: "multipart", params: []string{"source", "url", "published", "alt_text_custom", "caption", "temporary", "no_story"}, file: "source"},
	// POST /{page-id}/videos, resumable: upload_phase start (file_size),
	// transfer (upload_session_id, start_offset, video_file_chunk), finish
	// (upload_session_id, and the video's title and description).
	"videos": {http: http.MethodPost, body: "multipart", params: []string{"upload_phase", "upload_session_id", "file_size",
		"start_offset", "end_offset", "video_file_chunk", "title", "description", "published"}, required: []string{"upload_phase"}, file: "video_file_chunk"},
	// GET /{page-id}/videos: the Page's videos, newest first.
	"videos.list": {http: http.MethodGet, params: []string{"fields", "limit", "after", "before", "type"},
		fields: []string{"id", "description", "title", "created_time", "permalink_url"}},
	// GET /{video-id}.
	"video": {http: http.MethodGet, params: []string{"fields"}, required: []string{"fields"},
		fields: []string{"id", "description", "title", "created_time", "permalink_url",
			"reactions.summary(total_count)", "comments.summary(total_count)"}},
	// GET /{post-id}/insights: metric, period (Page Insights).
	"insights": {http: http.MethodGet, params: []string{"metric", "period", "since", "until", "date_preset"}, required: []string{"metric"}},
	// GET /{video-id}/video_insights: metric, period (Video Insights).
	"video_insights": {http: http.MethodGet, params: []string{"metric", "period"}},
	// GET /{page-id}/posts: cursor and time pagination.
	"posts": {http: http.MethodGet, params: []string{"fields", "limit", "since", "until", "after", "before"},
		fields: []string{"id", "message", "created_time", "permalink_url"}},
	// GET /{post-id}.
	"post": {http: http.MethodGet, params: []string{"fields"}, required: []string{"fields"},
		fields: []string{"id", "message", "created_time", "permalink_url", "shares",
			"reactions.summary(total_count)", "comments.summary(total_count)"}},
}

// route names the endpoint of a path under the version.
func (s *Server) route(method, path string) (name, id string) {
	rest, ok := strings.CutPrefix(path, "/"+Version+"/")
	if !ok {
		return "", ""
	}
	node, edge, _ := strings.Cut(rest, "/")
	switch {
	case rest == s.Page+"/videos" && method == http.MethodGet:
		return "videos.list", ""
	case rest == s.Page+"/videos":
		return "videos", ""
	case strings.HasPrefix(node, s.Page+"_") && edge == "insights":
		return "insights", node
	case node != s.Page && node != "me" && strings.Trim(node, "0123456789") == "" && edge == "video_insights":
		return "video_insights", node
	case node != s.Page && node != "" && strings.Trim(node, "0123456789") == "" && edge == "":
		return "video", node
	case rest == "me":
		return "me", ""
	case rest == s.Page:
		return "page", ""
	case rest == s.Page+"/feed":
		return "feed", ""
	case rest == s.Page+"/photos":
		return "photos", ""
	case rest == s.Page+"/posts":
		return "posts", ""
	case strings.HasPrefix(rest, s.Page+"_") && !strings.Contains(rest, "/"):
		return "post", rest
	}
	return "", ""
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	name, id := s.route(r.Method, r.URL.Path)
	ep, known := endpoints[name]
	if !known {
		s.errorf("%s %s: not an endpoint Herald calls", r.Method, r.URL.Path)
		s.fail(w, GraphError(http.StatusBadRequest, 803, 0, "OAuthException", "Unknown path components: "+r.URL.Path, nil))
		return
	}
	params, file, ok := s.readParams(r, name, ep)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Endpoint: name, Path: r.URL.Path, Header: r.Header.Clone(), Params: params})
	reply, queued := s.take(name)
	s.mu.Unlock()
	if !ok {
		s.fail(w, GraphError(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Invalid parameter", nil))
		return
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "Bearer ") {
		s.errorf("%s: Authorization is %q, want Bearer and the Page token", name, auth)
		s.fail(w, GraphError(http.StatusBadRequest, 104, 0, "OAuthException", "An access token is required to request this resource.", nil))
		return
	}
	if queued {
		s.fail(w, reply)
		return
	}
	if auth != "Bearer "+s.Token {
		s.fail(w, GraphError(http.StatusBadRequest, 190, 0, "OAuthException", "Invalid OAuth access token - Cannot parse access token", nil))
		return
	}
	s.mu.Lock()
	body, failure := s.handle(name, id, params, file)
	s.mu.Unlock()
	if failure != nil {
		s.fail(w, *failure)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(body)
}

// take returns the next queued reply of an endpoint, if it is not a pass.
func (s *Server) take(name string) (Reply, bool) {
	reply, ok := s.queued.Take(name)
	return reply, ok && (reply.Status != 0 || reply.Body != "")
}

func (s *Server) fail(w http.ResponseWriter, r Reply) {
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

// upload is the source file of a multipart request.
type upload struct {
	filename, contentType string
	data                  []byte
}

// readParams reads a request's parameters where its endpoint's docs put
// them, and fails the test on anything else. It reports false for a
// request the server refuses.
func (s *Server) readParams(r *http.Request, name string, ep endpoint) (map[string]string, *upload, bool) {
	s.t.Helper()
	if r.Method != ep.http {
		s.errorf("%s: HTTP %s, want %s", name, r.Method, ep.http)
		return nil, nil, false
	}
	params := map[string]string{}
	var file *upload
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ep.body {
	case "":
		if r.ContentLength > 0 || r.Header.Get("Content-Type") != "" {
			s.errorf("%s: a GET with a body (%s)", name, ct)
			return nil, nil, false
		}
		for k, v := range r.URL.Query() {
			params[k] = strings.Join(v, ",")
		}
	case "form":
		if ct != "application/x-www-form-urlencoded" {
			s.errorf("%s: Content-Type %q, want application/x-www-form-urlencoded", name, r.Header.Get("Content-Type"))
			return nil, nil, false
		}
		data, _ := io.ReadAll(r.Body)
		form, err := url.ParseQuery(string(data))
		if err != nil {
			s.errorf("%s: %v", name, err)
			return nil, nil, false
		}
		for k, v := range form {
			params[k] = strings.Join(v, ",")
		}
	case "multipart":
		if ct != "multipart/form-data" {
			s.errorf("%s: Content-Type %q, want multipart/form-data", name, r.Header.Get("Content-Type"))
			return nil, nil, false
		}
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			s.errorf("%s: %v", name, err)
			return nil, nil, false
		}
		for k, v := range r.MultipartForm.Value {
			params[k] = strings.Join(v, ",")
		}
		for k, fhs := range r.MultipartForm.File {
			if k != ep.file || len(fhs) != 1 {
				s.errorf("%s: file part %q (%d), want one named %s", name, k, len(fhs), ep.file)
				return nil, nil, false
			}
			f, _ := fhs[0].Open()
			data, _ := io.ReadAll(f)
			f.Close()
			file = &upload{filename: fhs[0].Filename, contentType: fhs[0].Header.Get("Content-Type"), data: data}
		}
	}
	if ep.body != "" && len(r.URL.Query()) > 0 {
		s.errorf("%s: parameters in the query of a POST: %s", name, r.URL.RawQuery)
		return nil, nil, false
	}
	ok := true
	for k := range params {
		base, _, _ := strings.Cut(k, "[")
		if k == "access_token" {
			s.errorf("%s: the token travels as a parameter (it would show in logs); Herald sends it in the Authorization header", name)
			ok = false
		} else if !slices.Contains(ep.params, base) {
			s.errorf("%s: parameter %q is not one the endpoint takes", name, k)
			ok = false
		}
	}
	for _, k := range ep.required {
		if _, found := params[k]; !found {
			s.errorf("%s: required parameter %q is missing", name, k)
			ok = false
		}
	}
	if f, found := params["fields"]; found {
		for field := range strings.SplitSeq(f, ",") {
			if !slices.Contains(ep.fields, field) {
				s.errorf("%s: field %q is not one Herald reads there", name, field)
				ok = false
			}
		}
	}
	return params, file, ok
}

func (s *Server) handle(name, id string, params map[string]string, file *upload) (map[string]any, *Reply) {
	switch name {
	case "me", "page":
		return s.pageNode(params), nil
	case "feed":
		return s.feed(params)
	case "photos":
		return s.photo(params, file)
	case "posts":
		return s.list(params)
	case "post":
		return s.postNode(id, params)
	case "videos":
		return s.videoPhase(params, file)
	case "videos.list":
		return s.videoList(params)
	case "video":
		return s.videoNode(id, params)
	case "insights":
		return s.insights(id, params)
	case "video_insights":
		return s.videoInsights(id, params)
	}
	return nil, nil
}

func (s *Server) pageNode(params map[string]string) map[string]any {
	all := map[string]any{"id": s.Page, "name": s.PageName, "followers_count": s.Followers, "fan_count": s.Followers,
		"link": "https://www.facebook.com/" + s.Page}
	out := map[string]any{"id": s.Page}
	for field := range strings.SplitSeq(params["fields"], ",") {
		if v, ok := all[field]; ok {
			out[field] = v
		}
	}
	return out
}

func (s *Server) invalid(msg string) *Reply {
	s.t.Helper()
	s.errorf("%s", msg)
	r := GraphError(http.StatusBadRequest, 100, 0, "OAuthException", "(#100) "+msg, nil)
	return &r
}

// feed makes a Page post: its message, and the unpublished photos of the
// Page its attached_media name.
func (s *Server) feed(params map[string]string) (map[string]any, *Reply) {
	p := &Post{Message: params["message"]}
	for i := 0; ; i++ {
		ref, ok := params["attached_media["+strconv.Itoa(i)+"]"]
		if !ok {
			break
		}
		var media struct {
			MediaFBID string `json:"media_fbid"`
		}
		if err := json.Unmarshal([]byte(ref), &media); err != nil || media.MediaFBID == "" {
			return nil, s.invalid(fmt.Sprintf("attached_media[%d] is %q, want {\"media_fbid\":\"...\"}", i, ref))
		}
		photo := s.photos[media.MediaFBID]
		switch {
		case photo == nil:
			return nil, s.invalid(fmt.Sprintf("attached_media[%d]: no photo %s", i, media.MediaFBID))
		case photo.Published:
			return nil, s.invalid(fmt.Sprintf("attached_media[%d]: photo %s is published: attach unpublished photos", i, media.MediaFBID))
		case photo.AttachedTo != "":
			return nil, s.invalid(fmt.Sprintf("attached_media[%d]: photo %s is attached to post %s already", i, media.MediaFBID, photo.AttachedTo))
		}
		p.Photos = append(p.Photos, media.MediaFBID)
	}
	numbered := 0
	for k := range params {
		if strings.HasPrefix(k, "attached_media[") {
			numbered++
		}
	}
	if len(p.Photos) < numbered {
		return nil, s.invalid("attached_media is not numbered from 0")
	}
	if p.Message == "" && len(p.Photos) == 0 && params["link"] == "" {
		return nil, s.invalid("a post needs a message, a link or attached media")
	}
	p.ID, p.Created = s.newID(), s.now()
	for _, id := range p.Photos {
		s.photos[id].AttachedTo = p.ID
	}
	s.posts = append(s.posts, p)
	return map[string]any{"id": p.ID}, nil
}

// photo keeps an uploaded photo.
func (s *Server) photo(params map[string]string, file *upload) (map[string]any, *Reply) {
	if file == nil {
		return nil, s.invalid("photos: no source file (Herald uploads the image's bytes)")
	}
	if !strings.HasPrefix(file.contentType, "image/") {
		return nil, s.invalid("photos: source is " + file.contentType + ", not an image")
	}
	published := params["published"] != "false"
	s.next++
	id := strconv.Itoa(800000000 + s.next)
	s.photos[id] = &Photo{ID: id, Published: published, Alt: params["alt_text_custom"], Filename: file.filename,
		ContentType: file.contentType, Data: file.data}
	return map[string]any{"id": id}, nil
}

// createdTime is how the Graph API writes a time.
func createdTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-0700") }

// list is GET /{page-id}/posts: newest first, from since, a page of limit
// (default 25) after the cursor.
func (s *Server) list(params map[string]string) (map[string]any, *Reply) {
	limit := 25
	if l, ok := params["limit"]; ok {
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 || n > 100 {
			return nil, s.invalid("limit " + l + " is not a number from 1 to 100")
		}
		limit = n
	}
	var since time.Time
	if v, ok := params["since"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, s.invalid("since " + v + " is not a Unix time")
		}
		since = time.Unix(n, 0)
	}
	var newest []*Post
	for i := len(s.posts) - 1; i >= 0; i-- {
		if !s.posts[i].Created.Before(since) {
			newest = append(newest, s.posts[i])
		}
	}
	fields := strings.Split(params["fields"], ",")
	if params["fields"] == "" {
		fields = []string{"id", "message", "created_time"}
	}
	return pageOf(s, "posts", params, limit, newest, func(p *Post) map[string]any { return s.fieldsOf(p, fields) })
}

// pageOf is one page of an edge's items (newest first) as the Graph API
// pages them: from the "after" cursor this server gave, limit items, with
// the cursors and, when more remain, the next page's URL.
func pageOf[T any](s *Server, edge string, params map[string]string, limit int, items []T, fields func(T) map[string]any) (map[string]any, *Reply) {
	start := 0
	if after, ok := params["after"]; ok {
		n, err := strconv.Atoi(strings.TrimPrefix(after, "cursor-"))
		if err != nil || n < 0 {
			return nil, s.invalid("after " + after + " is not a cursor this server gave")
		}
		start = n
	}
	data := []map[string]any{}
	end := min(start+limit, len(items))
	for _, item := range items[min(start, end):end] {
		data = append(data, fields(item))
	}
	out := map[string]any{"data": data}
	if len(data) > 0 {
		paging := map[string]any{"cursors": map[string]any{"before": "cursor-" + strconv.Itoa(start), "after": "cursor-" + strconv.Itoa(end)}}
		if end < len(items) {
			paging["next"] = s.API() + "/" + s.Page + "/" + edge + "?limit=" + strconv.Itoa(limit) + "&after=cursor-" + strconv.Itoa(end)
		}
		out["paging"] = paging
	}
	return out, nil
}

// fieldsOf is a post as the Graph API gives the fields asked for: shares
// only when someone shared it.
func (s *Server) fieldsOf(p *Post, fields []string) map[string]any {
	out := map[string]any{"id": p.ID}
	for _, f := range fields {
		switch f {
		case "message":
			if p.Message != "" {
				out["message"] = p.Message
			}
		case "created_time":
			out["created_time"] = createdTime(p.Created)
		case "permalink_url":
			out["permalink_url"] = "https://www.facebook.com/" + p.ID
		case "shares":
			if p.Shares > 0 {
				out["shares"] = map[string]any{"count": p.Shares}
			}
		case "reactions.summary(total_count)":
			out["reactions"] = map[string]any{"data": []any{}, "summary": map[string]any{"total_count": p.Reactions, "viewer_reaction": "NONE"}}
		case "comments.summary(total_count)":
			out["comments"] = map[string]any{"data": []any{}, "summary": map[string]any{"order": "ranked", "total_count": p.Comments, "can_comment": true}}
		}
	}
	return out
}

// postNode is GET /{post-id}; a post that does not exist is the Graph
// API's code 100, subcode 33.
func (s *Server) postNode(id string, params map[string]string) (map[string]any, *Reply) {
	for _, p := range s.posts {
		if p.ID == id {
			return s.fieldsOf(p, strings.Split(params["fields"], ",")), nil
		}
	}
	r := GraphError(http.StatusBadRequest, 100, 33, "GraphMethodException",
		fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id), nil)
	return nil, &r
}
