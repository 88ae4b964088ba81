package threadstest

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// create makes a media container as the Posts document allows: TEXT with
// text, IMAGE with image_url, VIDEO with video_url, CAROUSEL with 2 to 20
// children that are carousel items; alt_text on images and videos only;
// reply_to_id a published post; text at most 500 characters.
func (s *Server) create(p url.Values) (any, int, int, string) {
	s.t.Helper()
	typ := p.Get("media_type")
	item := p.Get("is_carousel_item")
	refuse := func(msg string) (any, int, int, string) {
		s.errorf("POST /threads %v: %s", p, msg)
		return nil, 400, 100, msg
	}
	if item != "" && item != "true" && item != "false" {
		return refuse("is_carousel_item must be true or false")
	}
	if utf8.RuneCountInString(p.Get("text")) > 500 {
		return refuse("text is longer than 500 characters")
	}
	switch typ {
	case "TEXT":
		if p.Get("text") == "" || p.Has("image_url") || p.Has("video_url") || p.Has("children") || p.Has("alt_text") || item == "true" {
			return refuse("a TEXT container takes text, and no media, children or alt_text")
		}
	case "IMAGE", "VIDEO":
		field, other := "image_url", "video_url"
		if typ == "VIDEO" {
			field, other = other, field
		}
		u, err := url.Parse(p.Get(field))
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || p.Has(other) || p.Has("children") {
			return refuse(typ + " takes a public " + field + " and no other media")
		}
		if item == "true" && (p.Has("text") || p.Has("reply_to_id")) {
			return refuse("a carousel item takes no text and no reply_to_id")
		}
	case "CAROUSEL":
		children := strings.Split(p.Get("children"), ",")
		if p.Get("children") == "" || len(children) < 2 || len(children) > 20 || p.Has("image_url") || p.Has("video_url") || p.Has("alt_text") || item != "" {
			return refuse("a CAROUSEL takes 2 to 20 children, and no media or alt_text of its own")
		}
		for _, id := range children {
			c := s.containers[id]
			if c == nil || c.Params.Get("is_carousel_item") != "true" {
				return refuse("child " + id + " is not a carousel item container")
			}
		}
	default:
		return refuse("media_type " + typ + " is not TEXT, IMAGE, VIDEO or CAROUSEL")
	}
	if a := p.Get("poll_attachment"); a != "" {
		if typ != "TEXT" {
			return refuse("polls go on text-only posts")
		}
		var poll map[string]string
		if err := json.Unmarshal([]byte(a), &poll); err != nil {
			return refuse("poll_attachment is not a JSON object of strings")
		}
		for i, key := range []string{"option_a", "option_b", "option_c", "option_d"} {
			o, ok := poll[key]
			if !ok && i < 2 {
				return refuse("poll_attachment needs option_a and option_b")
			}
			if ok && (utf8.RuneCountInString(o) < 1 || utf8.RuneCountInString(o) > 25) {
				return refuse("poll option " + key + " is not 1 to 25 characters")
			}
			delete(poll, key)
		}
		if len(poll) > 0 {
			return refuse("poll_attachment has keys other than option_a to option_d")
		}
	}
	if r := p.Get("reply_to_id"); r != "" && s.post(r) == nil {
		return refuse("reply_to_id " + r + " is not a published post")
	}
	c := &Container{ID: s.newID(), Params: p, Status: "IN_PROGRESS", reads: s.Pending}
	s.containers[c.ID] = c
	return map[string]any{"id": c.ID}, 0, 0, ""
}

// publish publishes a FINISHED container that is not a carousel item.
func (s *Server) publish(p url.Values) (any, int, int, string) {
	s.t.Helper()
	c := s.containers[p.Get("creation_id")]
	switch {
	case c == nil:
		s.errorf("threads_publish: creation_id %q is no container", p.Get("creation_id"))
		return nil, 400, 100, "Invalid parameter"
	case c.Params.Get("is_carousel_item") == "true":
		s.errorf("threads_publish: container %s is a carousel item", c.ID)
		return nil, 400, 100, "Invalid parameter"
	case c.Status == "PUBLISHED":
		s.errorf("threads_publish: container %s is published already", c.ID)
		return nil, 400, 24, "The media has already been published"
	case c.Status != "FINISHED":
		s.errorf("threads_publish: container %s is %s: read its status until FINISHED first", c.ID, c.Status)
		return nil, 400, 9007, "Media Not Ready"
	case s.QuotaUsage >= s.QuotaTotal:
		return nil, 400, 4, "Application request limit reached"
	}
	c.Status = "PUBLISHED"
	s.QuotaUsage++
	post := &Post{ID: s.newID(), Text: c.Params.Get("text"), ReplyTo: c.Params.Get("reply_to_id"), Username: s.Username, Timestamp: s.now()}
	medium := func(q url.Values) Medium {
		m := Medium{Type: q.Get("media_type"), URL: q.Get("image_url"), AltText: q.Get("alt_text")}
		if m.Type == "VIDEO" {
			m.URL = q.Get("video_url")
		}
		return m
	}
	switch c.Params.Get("media_type") {
	case "TEXT":
		post.MediaType = "TEXT_POST"
		if a := c.Params.Get("poll_attachment"); a != "" {
			var poll map[string]string
			json.Unmarshal([]byte(a), &poll)
			for _, key := range []string{"option_a", "option_b", "option_c", "option_d"} {
				if o, ok := poll[key]; ok {
					post.Poll = append(post.Poll, o)
				}
			}
		}
	case "CAROUSEL":
		post.MediaType = "CAROUSEL_ALBUM"
		for _, id := range strings.Split(c.Params.Get("children"), ",") {
			post.Media = append(post.Media, medium(s.containers[id].Params))
		}
	default:
		post.MediaType = c.Params.Get("media_type")
		post.Media = []Medium{medium(c.Params)}
	}
	s.posts = append(s.posts, post)
	return map[string]any{"id": post.ID}, 0, 0, ""
}

// media is a post as the API returns it, with the fields asked for.
func (s *Server) media(m *Post, fields string) map[string]any {
	all := map[string]any{"id": m.ID, "text": m.Text, "timestamp": m.Timestamp.UTC().Format("2006-01-02T15:04:05-0700"),
		"permalink": s.permalink(m), "username": m.Username, "media_type": m.MediaType, "is_reply": m.ReplyTo != ""}
	if fields == "" {
		fields = "id"
	}
	return pick(all, fields+",id")
}

// list answers GET /{threads-user-id}/threads: the profile's threads
// (not its replies), newest first, since and until in Unix seconds,
// limit and the after cursor.
func (s *Server) list(p url.Values) (any, int, int, string) {
	var roots []*Post
	for _, m := range slices.Backward(s.posts) {
		if m.ReplyTo != "" || m.Username != s.Username {
			continue
		}
		if v := p.Get("since"); v != "" {
			since, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				s.errorf("threads: since %q is not a Unix timestamp", v)
				return nil, 400, 100, "Invalid parameter"
			}
			if m.Timestamp.Before(time.Unix(since, 0)) {
				continue
			}
		}
		roots = append(roots, m)
	}
	return s.page(roots, p)
}

// replies answers GET /{media-id}/replies: a post's direct replies,
// oldest first.
func (s *Server) replies(id string, p url.Values) (any, int, int, string) {
	if s.post(id) == nil {
		return nil, 400, 100, "Object with ID '" + id + "' does not exist"
	}
	var out []*Post
	for _, m := range s.posts {
		if m.ReplyTo == id {
			out = append(out, m)
		}
	}
	return s.page(out, p)
}

// page answers a page of posts with cursors, 25 by default.
func (s *Server) page(posts []*Post, p url.Values) (any, int, int, string) {
	limit := 25
	if v := p.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.errorf("limit %q is not 1 to 100", v)
			return nil, 400, 100, "Invalid parameter"
		}
		limit = n
	}
	start := 0
	if v := p.Get("after"); v != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "cursor-"))
		if err != nil || n > len(posts) {
			s.errorf("after %q is not a cursor this server gave", v)
			return nil, 400, 100, "Invalid parameter"
		}
		start = n
	}
	end := min(start+limit, len(posts))
	data := []any{}
	for _, m := range posts[start:end] {
		data = append(data, s.media(m, p.Get("fields")))
	}
	paging := map[string]any{"cursors": map[string]any{"before": "cursor-" + strconv.Itoa(start), "after": "cursor-" + strconv.Itoa(end)}}
	if end < len(posts) {
		paging["next"] = s.API() + "/next?after=cursor-" + strconv.Itoa(end)
	}
	return map[string]any{"data": data, "paging": paging}, 0, 0, ""
}

// insights answers a post's metrics: those SetInsight set (0 for the
// others), and replies counted from the posts: every reply below a root,
// the direct replies of a reply.
func (s *Server) insights(id string, p url.Values) (any, int, int, string) {
	m := s.post(id)
	if m == nil {
		return nil, 400, 100, "Object with ID '" + id + "' does not exist"
	}
	var data []any
	for metric := range strings.SplitSeq(p.Get("metric"), ",") {
		v := m.Insights[metric]
		if metric == "replies" {
			v = s.countReplies(id, m.ReplyTo == "")
		}
		data = append(data, map[string]any{"name": metric, "period": "lifetime", "values": []any{map[string]any{"value": v}},
			"title": metric, "description": "Lifetime " + metric, "id": id + "/insights/" + metric + "/lifetime"})
	}
	return map[string]any{"data": data}, 0, 0, ""
}

func (s *Server) countReplies(id string, nested bool) int64 {
	var n int64
	for _, m := range s.posts {
		if m.ReplyTo == id {
			n++
			if nested {
				n += s.countReplies(m.ID, true)
			}
		}
	}
	return n
}
