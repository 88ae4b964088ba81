package instagramtest

import (
	"net/http"
	"strconv"
	"strings"
)

// graphTime is how the Graph API writes a time.
const graphTime = "2006-01-02T15:04:05-0700"

func graphErr(code int, message string) (int, any) {
	return http.StatusBadRequest, map[string]any{"error": map[string]any{
		"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbCdEfGhIjK"}}
}

func (s *Server) handle(route string, segs []string, p map[string]string) (int, any) {
	switch route {
	case "user":
		return http.StatusOK, s.pick(p["fields"], map[string]any{"id": s.User, "username": s.Username, "followers_count": s.Followers})
	case "content_publishing_limit":
		return http.StatusOK, map[string]any{"data": []any{map[string]any{"quota_usage": s.QuotaUsage,
			"config": map[string]any{"quota_total": s.QuotaTotal, "quota_duration": 86400}}}}
	case "media":
		return s.create(p)
	case "container":
		c := s.containers[segs[0]]
		if c.Status == "IN_PROGRESS" {
			if c.polls <= 0 {
				c.Status = "FINISHED"
			} else {
				c.polls--
			}
		}
		return http.StatusOK, s.pick(p["fields"], map[string]any{"id": c.ID, "status_code": c.Status, "status": c.Status})
	case "media_publish":
		return s.publish(p["creation_id"])
	case "list":
		return s.list(p)
	case "medium":
		m := s.medium(segs[0])
		if m == nil {
			return graphErr(100, "Unsupported get request. Object with ID '"+segs[0]+"' does not exist")
		}
		return http.StatusOK, s.pick(p["fields"], s.fieldsOf(m))
	case "insights":
		m := s.medium(segs[0])
		if m == nil {
			return graphErr(100, "Unsupported get request. Object with ID '"+segs[0]+"' does not exist")
		}
		data := []any{}
		if m.Views != nil && strings.Contains(p["metric"], "views") {
			data = append(data, map[string]any{"name": "views", "period": "lifetime", "values": []any{map[string]any{"value": *m.Views}},
				"title": "Views", "id": m.ID + "/insights/views/lifetime"})
		}
		return http.StatusOK, map[string]any{"data": data}
	}
	return graphErr(100, "Unsupported request")
}

// create makes a container as POST /{ig-user-id}/media does, refusing
// the combinations the content publishing guide does not allow.
func (s *Server) create(p map[string]string) (int, any) {
	s.t.Helper()
	item := p["is_carousel_item"] == "true"
	switch p["media_type"] {
	case "CAROUSEL":
		if p["image_url"] != "" || p["video_url"] != "" || item {
			s.errorf("media: a CAROUSEL container takes children, not a medium: %v", p)
			return graphErr(100, "Invalid parameter")
		}
		ids := strings.Split(p["children"], ",")
		if len(ids) < 2 || len(ids) > 10 {
			s.errorf("media: a carousel has %d children, want 2 to 10", len(ids))
			return graphErr(100, "Invalid parameter")
		}
		for _, id := range ids {
			c := s.containers[id]
			if c == nil || c.Params["is_carousel_item"] != "true" || c.Status != "FINISHED" {
				s.errorf("media: child %s is not a finished carousel item", id)
				return graphErr(100, "Invalid parameter")
			}
		}
	case "REELS", "VIDEO":
		if p["video_url"] == "" || p["image_url"] != "" || p["alt_text"] != "" {
			s.errorf("media: a %s container takes video_url, and neither image_url nor alt_text: %v", p["media_type"], p)
			return graphErr(100, "Invalid parameter")
		}
		if (p["media_type"] == "VIDEO") != item {
			s.errorf("media: media_type VIDEO is for a carousel item, REELS for a reel: %v", p)
			return graphErr(100, "Invalid parameter")
		}
	case "":
		if p["image_url"] == "" || p["video_url"] != "" {
			s.errorf("media: an image container takes image_url: %v", p)
			return graphErr(100, "Invalid parameter")
		}
	default:
		s.errorf("media: media_type %q is not one Herald sends", p["media_type"])
		return graphErr(100, "Invalid parameter")
	}
	if p["children"] != "" && p["media_type"] != "CAROUSEL" {
		s.errorf("media: children without media_type CAROUSEL")
		return graphErr(100, "Invalid parameter")
	}
	if item && p["caption"] != "" {
		s.errorf("media: a carousel item has no caption (the carousel has)")
		return graphErr(100, "Invalid parameter")
	}
	if _, ok := p["is_carousel_item"]; ok && !item {
		s.errorf("media: is_carousel_item is %q", p["is_carousel_item"])
	}
	c := &Container{ID: s.newID(), Params: p, Status: "IN_PROGRESS", polls: s.Polls - 1}
	s.containers[c.ID] = c
	return http.StatusOK, map[string]any{"id": c.ID}
}

// publish publishes a finished container as a medium of the account.
func (s *Server) publish(id string) (int, any) {
	c := s.containers[id]
	switch {
	case c == nil:
		s.errorf("media_publish: no container %s", id)
		return graphErr(100, "Invalid parameter")
	case c.Status != "FINISHED":
		s.errorf("media_publish: container %s is %s, not FINISHED", id, c.Status)
		return graphErr(9007, "Media ID is not available")
	case c.Params["is_carousel_item"] == "true":
		s.errorf("media_publish: container %s is a carousel item", id)
		return graphErr(100, "Invalid parameter")
	case s.QuotaTotal > 0 && s.QuotaUsage >= s.QuotaTotal:
		s.errorf("media_publish: the publishing limit is spent")
		return graphErr(9, "Application request limit reached")
	}
	c.Status = "PUBLISHED"
	s.QuotaUsage++
	m := &Media{ID: s.newID(), Caption: c.Params["caption"], Timestamp: s.now(), Container: id}
	if ch := c.Params["children"]; ch != "" {
		m.Children = strings.Split(ch, ",")
	}
	m.Permalink = "https://www.instagram.com/p/" + m.ID + "/"
	s.media = append(s.media, m)
	return http.StatusOK, map[string]any{"id": m.ID}
}

// list is a page of the account's media, newest first, with cursor
// paging as the Graph API does it.
func (s *Server) list(p map[string]string) (int, any) {
	limit := 25
	if l, err := strconv.Atoi(p["limit"]); err == nil && l > 0 {
		limit = min(l, 100)
	}
	start := 0
	if a := p["after"]; a != "" {
		n, err := strconv.Atoi(a)
		if err != nil {
			s.errorf("list: cursor %q is not one the server gave", a)
			return graphErr(100, "Invalid cursor")
		}
		start = n
	}
	var data []any
	end := min(start+limit, len(s.media))
	for i := start; i < end; i++ {
		data = append(data, s.pick(p["fields"], s.fieldsOf(s.media[len(s.media)-1-i])))
	}
	body := map[string]any{"data": data}
	if data == nil {
		body["data"] = []any{}
	}
	if end < len(s.media) {
		body["paging"] = map[string]any{"cursors": map[string]any{"before": strconv.Itoa(start), "after": strconv.Itoa(end)},
			"next": s.API() + "/" + s.User + "/media?after=" + strconv.Itoa(end)}
	}
	return http.StatusOK, body
}

func (s *Server) medium(id string) *Media {
	for _, m := range s.media {
		if m.ID == id {
			return m
		}
	}
	return nil
}

func (s *Server) fieldsOf(m *Media) map[string]any {
	f := map[string]any{"id": m.ID, "timestamp": m.Timestamp.UTC().Format(graphTime), "permalink": m.Permalink,
		"username": s.Username, "media_type": "IMAGE"}
	if m.Caption != "" {
		f["caption"] = m.Caption
	}
	if len(m.Children) > 0 {
		f["media_type"] = "CAROUSEL_ALBUM"
	}
	if m.Likes != nil {
		f["like_count"] = *m.Likes
	}
	if m.Comments != nil {
		f["comments_count"] = *m.Comments
	}
	return f
}

// pick keeps the fields asked for, and the id, as the Graph API answers.
func (s *Server) pick(fields string, all map[string]any) map[string]any {
	out := map[string]any{"id": all["id"]}
	for _, f := range strings.Split(fields, ",") {
		if v, ok := all[f]; ok {
			out[f] = v
		}
	}
	return out
}
