package xtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	numericID = regexp.MustCompile(`^[0-9]{1,19}$`)
	link      = regexp.MustCompile(`https?://[^\s]+`)
)

type obj = map[string]any

func problemBody(status int, title, detail string) (int, any) {
	return status, obj{"title": title, "detail": detail, "type": "about:blank", "status": status}
}

func invalid(detail string) (int, any) {
	return http.StatusBadRequest, obj{"title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
		"type": "https://api.x.com/2/problems/invalid-request", "errors": []obj{{"message": detail}}}
}

// handle serves a well-formed, authorized request; s.mu is held.
func (s *Server) handle(name, id string, q map[string][]string, body obj, files map[string][]byte) (int, any) {
	switch name {
	case "POST /2/tweets":
		return s.createPost(body)
	case "POST /2/media/upload":
		return s.uploadOneShot(body, files)
	case "POST /2/media/upload/initialize":
		return s.initialize(body)
	case "POST /2/media/upload/{id}/append":
		return s.appendChunk(id, body, files)
	case "POST /2/media/upload/{id}/finalize":
		return s.finalize(id)
	case "GET /2/media/upload":
		return s.status(first(q, "media_id"))
	case "POST /2/media/metadata":
		return s.metadata(body)
	case "GET /2/users/me":
		return s.me(first(q, "user.fields"))
	case "GET /2/users/{id}/tweets":
		return s.timeline(id, q)
	case "GET /2/tweets":
		return s.lookup(q)
	}
	return problemBody(http.StatusNotFound, "Not Found Error", name)
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// check fails the test when a field is not what X's description says.
func (s *Server) check(ok bool, format string, args ...any) bool {
	if !ok {
		s.errorf(format, args...)
	}
	return ok
}

func keysIn(m obj, allowed ...string) bool {
	for k := range m {
		if !slices.Contains(allowed, k) {
			return false
		}
	}
	return true
}

func (s *Server) createPost(body obj) (int, any) {
	text, isText := body["text"].(string)
	p := &Post{Text: text}
	if !s.check(isText, "POST /2/tweets: text is %T, want a string", body["text"]) {
		return invalid("text")
	}
	if r, has := body["reply"]; has {
		reply, _ := r.(obj)
		to, _ := reply["in_reply_to_tweet_id"].(string)
		if !s.check(reply != nil && keysIn(reply, "in_reply_to_tweet_id", "auto_populate_reply_metadata", "exclude_reply_user_ids") && numericID.MatchString(to),
			"POST /2/tweets: reply %v is not {in_reply_to_tweet_id}", r) {
			return invalid("reply")
		}
		if s.post(to) == nil {
			return problemBody(http.StatusBadRequest, "Invalid Request", "The Tweet you are replying to does not exist.")
		}
		p.InReplyTo = to
	}
	if m, has := body["media"]; has {
		media, _ := m.(obj)
		ids, _ := media["media_ids"].([]any)
		if !s.check(media != nil && keysIn(media, "media_ids", "tagged_user_ids", "description", "embeddable", "preview_media_id", "title") &&
			len(ids) >= 1 && len(ids) <= 4, "POST /2/tweets: media %v is not {media_ids: 1 to 4 ids}", m) {
			return invalid("media")
		}
		for _, v := range ids {
			mid, _ := v.(string)
			md := s.media[mid]
			if !s.check(md != nil && (!md.Chunked || md.Finalized), "POST /2/tweets: media id %v was not uploaded, or not finalized", v) {
				return invalid("media.media_ids")
			}
			p.MediaIDs = append(p.MediaIDs, mid)
		}
	}
	if pl, has := body["poll"]; has {
		poll, _ := pl.(obj)
		opts, _ := poll["options"].([]any)
		dur, err := jsonInt(poll["duration_minutes"])
		good := poll != nil && keysIn(poll, "options", "duration_minutes", "reply_settings") && len(opts) >= 2 && len(opts) <= 4 &&
			err == nil && dur >= 5 && dur <= 10080
		p.Poll = &Poll{DurationMinutes: dur}
		for _, o := range opts {
			os, _ := o.(string)
			good = good && utf8.RuneCountInString(os) >= 1 && utf8.RuneCountInString(os) <= 25
			p.Poll.Options = append(p.Poll.Options, os)
		}
		if !s.check(good, "POST /2/tweets: poll %v is not {options: 2 to 4 of 1 to 25 characters, duration_minutes: 5 to 10080}", pl) {
			return invalid("poll")
		}
		if !s.check(p.MediaIDs == nil, "POST /2/tweets: a poll with media") {
			return invalid("poll")
		}
	}
	if !s.check(text != "" || p.MediaIDs != nil, "POST /2/tweets: no text and no media") {
		return invalid("text")
	}
	for _, earlier := range s.posts {
		if earlier.Text == text && text != "" {
			return problemBody(http.StatusForbidden, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")
		}
	}
	s.add(p)
	return http.StatusCreated, obj{"data": obj{"id": p.ID, "text": p.Text, "edit_history_post_ids": []string{p.ID}}}
}

func jsonInt(v any) (int, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v)
	}
	i, err := strconv.Atoi(n.String())
	return i, err
}

var imageTypes = []string{"image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/pjpeg", "image/tiff"}

func (s *Server) uploadOneShot(body obj, files map[string][]byte) (int, any) {
	cat, _ := body["media_category"].(string)
	data, isFile := files["media"]
	if !s.check(isFile, "POST /2/media/upload: media is not a file part") ||
		!s.check(slices.Contains([]string{"tweet_image", "tweet_video", "tweet_gif", "dm_image", "dm_video", "dm_gif", "subtitles"}, cat),
			"POST /2/media/upload: media_category %q is not one of its values", cat) {
		return invalid("media")
	}
	m := &Medium{ID: s.newID(), Category: cat, Data: data}
	m.Type, _ = body["media"].(string)
	m.Type = strings.TrimSuffix(strings.TrimPrefix(m.Type, "(file "), ")")
	s.media[m.ID] = m
	return http.StatusOK, obj{"data": s.mediaData(m)}
}

func (s *Server) mediaData(m *Medium) obj {
	d := obj{"id": m.ID, "media_key": "3_" + m.ID, "size": len(m.Data), "expires_after_secs": 86400}
	if strings.HasPrefix(m.Type, "image/") && m.Category == "tweet_image" {
		d["image"] = obj{"image_type": m.Type}
	}
	return d
}

func (s *Server) initialize(body obj) (int, any) {
	typ, _ := body["media_type"].(string)
	cat, _ := body["media_category"].(string)
	total, err := jsonInt(body["total_bytes"])
	if !s.check(slices.Contains([]string{"video/mp4", "video/webm", "video/mp2t", "video/quicktime", "image/gif"}, typ) || slices.Contains(imageTypes, typ),
		"initialize: media_type %q is not one of its values", typ) ||
		!s.check(slices.Contains([]string{"amplify_video", "tweet_gif", "tweet_image", "tweet_video"}, cat), "initialize: media_category %q", cat) ||
		!s.check(err == nil && total > 0, "initialize: total_bytes %v", body["total_bytes"]) {
		return invalid("initialize")
	}
	m := &Medium{ID: s.newID(), Category: cat, Type: typ, Chunked: true}
	m.total = total
	s.media[m.ID] = m
	return http.StatusOK, obj{"data": obj{"id": m.ID, "media_key": "7_" + m.ID, "expires_after_secs": 86400}}
}

func (s *Server) appendChunk(id string, body obj, files map[string][]byte) (int, any) {
	m := s.media[id]
	seg, _ := body["segment_index"].(string)
	chunk, isFile := files["media"]
	n, err := strconv.Atoi(seg)
	if !s.check(m != nil && m.Chunked && !m.Finalized, "append: media %s was not initialized, or is finalized", id) ||
		!s.check(isFile, "append: media is not a file part") || !s.check(err == nil && n >= 0 && n <= 999, "append: segment_index %q", seg) {
		return invalid("append")
	}
	m.Data = append(m.Data, chunk...)
	return http.StatusOK, obj{"data": obj{"expires_at": s.now().Add(24 * time.Hour).Unix()}}
}

func (s *Server) finalize(id string) (int, any) {
	m := s.media[id]
	if !s.check(m != nil && m.Chunked && !m.Finalized, "finalize: media %s was not initialized, or is finalized", id) {
		return invalid("finalize")
	}
	if !s.check(len(m.Data) == m.total, "finalize: %d bytes appended, initialize said %d", len(m.Data), m.total) {
		return invalid("finalize")
	}
	m.Finalized = true
	d := s.mediaData(m)
	d["processing_info"] = obj{"state": "pending", "check_after_secs": 1}
	return http.StatusOK, obj{"data": d}
}

func (s *Server) status(id string) (int, any) {
	m := s.media[id]
	if !s.check(m != nil && m.Finalized, "GET /2/media/upload: media %s is not finalized", id) {
		return invalid("media_id")
	}
	m.statusReads++
	d := s.mediaData(m)
	if m.statusReads <= s.ProcessingPolls {
		d["processing_info"] = obj{"state": "in_progress", "check_after_secs": 1, "progress_percent": 50}
	} else {
		d["processing_info"] = obj{"state": "succeeded", "progress_percent": 100}
	}
	return http.StatusOK, obj{"data": d}
}

func (s *Server) metadata(body obj) (int, any) {
	id, _ := body["id"].(string)
	md, _ := body["metadata"].(obj)
	alt, _ := md["alt_text"].(obj)
	text, _ := alt["text"].(string)
	if !s.check(s.media[id] != nil, "POST /2/media/metadata: no media %q", id) ||
		!s.check(md != nil && keysIn(md, "alt_text") && alt != nil && keysIn(alt, "text") && text != "" && utf8.RuneCountInString(text) <= 1000,
			"POST /2/media/metadata: metadata %v is not {alt_text: {text: 1 to 1000 characters}}", body["metadata"]) {
		return invalid("metadata")
	}
	s.media[id].Alt = text
	return http.StatusOK, obj{"data": obj{"associated_metadata": true, "id": id}}
}

func (s *Server) user(fields string) obj {
	u := obj{"id": s.UserID, "name": "Maison Exemple", "username": s.Username}
	if slices.Contains(strings.Split(fields, ","), "public_metrics") {
		u["public_metrics"] = obj{"followers_count": s.Followers, "following_count": 12, "post_count": len(s.posts), "listed_count": 3}
	}
	return u
}

func (s *Server) me(fields string) (int, any) {
	return http.StatusOK, obj{"data": s.user(fields)}
}

// postJSON is a post as GET answers give it: id, text, edit history, and
// the post.fields asked for.
func (s *Server) postJSON(p *Post, fields string) obj {
	// X gives each link as a t.co link, and the URL in entities.urls.
	var urls []obj
	text := link.ReplaceAllStringFunc(p.Text, func(u string) string {
		short := fmt.Sprintf("https://t.co/h%07d", len(urls)+1)
		urls = append(urls, obj{"url": short, "expanded_url": u, "display_url": strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")})
		return short
	})
	o := obj{"id": p.ID, "text": text, "edit_history_post_ids": []string{p.ID}}
	for _, f := range strings.Split(fields, ",") {
		switch f {
		case "entities":
			if urls != nil {
				o["entities"] = obj{"urls": urls}
			}
		case "conversation_id":
			o["conversation_id"] = p.ConversationID
		case "created_at":
			o["created_at"] = p.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z")
		case "public_metrics":
			o["public_metrics"] = obj{"repost_count": p.Reposts, "reply_count": p.Replies, "like_count": p.Likes,
				"quote_count": p.Quotes, "bookmark_count": 0, "impression_count": p.Impressions}
		}
	}
	return o
}

func (s *Server) timeline(id string, q map[string][]string) (int, any) {
	if id != s.UserID {
		return problemBody(http.StatusNotFound, "Not Found Error", "Could not find user with id: ["+id+"].")
	}
	max := 10
	if v := first(q, "max_results"); v != "" {
		n, err := strconv.Atoi(v)
		if !s.check(err == nil && n >= 5 && n <= 100, "GET /2/users/{id}/tweets: max_results %q is not 5 to 100", v) {
			return invalid("max_results")
		}
		max = n
	}
	var since time.Time
	if v := first(q, "start_time"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if !s.check(err == nil, "GET /2/users/{id}/tweets: start_time %q is not RFC 3339", v) {
			return invalid("start_time")
		}
		since = t
	}
	start := 0
	if v := first(q, "pagination_token"); v != "" {
		n, err := strconv.Atoi(v)
		if !s.check(err == nil, "GET /2/users/{id}/tweets: pagination_token %q was not given by the server", v) {
			return invalid("pagination_token")
		}
		start = n
	}
	var newest []*Post
	for i := len(s.posts) - 1; i >= 0; i-- {
		if !s.posts[i].CreatedAt.Before(since) {
			newest = append(newest, s.posts[i])
		}
	}
	data := []obj{}
	end := min(start+max, len(newest))
	for _, p := range newest[min(start, len(newest)):end] {
		data = append(data, s.postJSON(p, first(q, "post.fields")))
	}
	meta := obj{"result_count": len(data)}
	if end < len(newest) {
		meta["next_token"] = strconv.Itoa(end)
	}
	out := obj{"meta": meta}
	if len(data) > 0 {
		out["data"] = data
	}
	return http.StatusOK, out
}

func (s *Server) lookup(q map[string][]string) (int, any) {
	ids := strings.Split(first(q, "ids"), ",")
	if !s.check(len(ids) >= 1 && len(ids) <= 100, "GET /2/tweets: %d ids, want 1 to 100", len(ids)) {
		return invalid("ids")
	}
	data := []obj{}
	var errs []obj
	for _, id := range ids {
		if !s.check(numericID.MatchString(id), "GET /2/tweets: id %q is not a post id", id) {
			return invalid("ids")
		}
		if p := s.post(id); p != nil {
			data = append(data, s.postJSON(p, first(q, "post.fields")))
		} else {
			errs = append(errs, obj{"value": id, "detail": "Could not find tweet with ids: [" + id + "].", "title": "Not Found Error",
				"resource_type": "tweet", "parameter": "ids", "resource_id": id, "type": "https://api.x.com/2/problems/resource-not-found"})
		}
	}
	out := obj{"data": data}
	if errs != nil {
		out["errors"] = errs
	}
	return http.StatusOK, out
}
