package facebooktest

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// phaseParams are the parameters each phase of a resumable upload takes
// (Uploading Videos with the Graph API), upload_phase aside.
var phaseParams = map[string][]string{
	"start":    {"file_size"},
	"transfer": {"upload_session_id", "start_offset", "video_file_chunk"},
	"finish":   {"upload_session_id", "title", "description", "published"},
}

// videoPhase is POST /{page-id}/videos in the resumable protocol: start
// opens a session and asks for the first chunk, each transfer takes
// exactly the chunk asked for and asks for the next, finish publishes the
// video once every byte came.
func (s *Server) videoPhase(params map[string]string, file *upload) (map[string]any, *Reply) {
	phase := params["upload_phase"]
	allowed, known := phaseParams[phase]
	if !known {
		return nil, s.invalid("videos: upload_phase " + phase + " is not start, transfer or finish (Herald uploads resumably)")
	}
	for k := range params {
		if k != "upload_phase" && !slices.Contains(allowed, k) {
			return nil, s.invalid(fmt.Sprintf("videos: parameter %q is not one the %s phase takes", k, phase))
		}
	}
	if (file != nil) != (phase == "transfer") {
		return nil, s.invalid("videos: a video_file_chunk goes with the transfer phase, and only there")
	}
	if phase == "start" {
		size, err := strconv.ParseInt(params["file_size"], 10, 64)
		if err != nil || size <= 0 {
			return nil, s.invalid("videos: start needs file_size, the file's size in bytes")
		}
		s.next++
		v := &Video{ID: strconv.Itoa(700000000 + s.next), SessionID: strconv.Itoa(600000000 + s.next), Size: size}
		s.videos = append(s.videos, v)
		return map[string]any{"upload_session_id": v.SessionID, "video_id": v.ID,
			"start_offset": "0", "end_offset": strconv.FormatInt(s.chunkEnd(v, 0), 10)}, nil
	}
	var v *Video
	for _, c := range s.videos {
		if c.SessionID == params["upload_session_id"] {
			v = c
		}
	}
	switch {
	case v == nil:
		return nil, s.invalid("videos: no upload session " + params["upload_session_id"])
	case v.Published:
		return nil, s.invalid("videos: session " + v.SessionID + " is finished already")
	}
	if phase == "finish" {
		if int64(len(v.Data)) != v.Size {
			return nil, s.invalid(fmt.Sprintf("videos: finish after %d of %d bytes", len(v.Data), v.Size))
		}
		if params["published"] == "false" {
			return nil, s.invalid("videos: Herald publishes the video at finish")
		}
		v.Published, v.Title, v.Description, v.Created = true, params["title"], params["description"], s.now()
		return map[string]any{"success": true}, nil
	}
	from := int64(len(v.Data))
	if params["start_offset"] != strconv.FormatInt(from, 10) {
		return nil, s.invalid(fmt.Sprintf("videos: transfer at start_offset %q, want %d", params["start_offset"], from))
	}
	if want := s.chunkEnd(v, from) - from; int64(len(file.data)) != want {
		return nil, s.invalid(fmt.Sprintf("videos: a chunk of %d bytes at %d, want the %d asked for", len(file.data), from, want))
	}
	v.Data = append(v.Data, file.data...)
	to := int64(len(v.Data))
	return map[string]any{"start_offset": strconv.FormatInt(to, 10), "end_offset": strconv.FormatInt(s.chunkEnd(v, to), 10)}, nil
}

// chunkEnd is where the chunk that starts at from ends.
func (s *Server) chunkEnd(v *Video, from int64) int64 {
	size := s.ChunkSize
	if size <= 0 {
		size = 1 << 20
	}
	return min(from+size, v.Size)
}

// videoList is GET /{page-id}/videos: the published videos, newest first,
// a page of limit (default 25) after the cursor.
func (s *Server) videoList(params map[string]string) (map[string]any, *Reply) {
	limit := 25
	if l, ok := params["limit"]; ok {
		n, err := strconv.Atoi(l)
		if err != nil || n <= 0 || n > 100 {
			return nil, s.invalid("limit " + l + " is not a number from 1 to 100")
		}
		limit = n
	}
	var newest []*Video
	for i := len(s.videos) - 1; i >= 0; i-- {
		if s.videos[i].Published {
			newest = append(newest, s.videos[i])
		}
	}
	fields := strings.Split(params["fields"], ",")
	return pageOf(s, "videos", params, limit, newest, func(v *Video) map[string]any { return s.videoFields(v, fields) })
}

// videoFields is a video as the Graph API gives the fields asked for.
func (s *Server) videoFields(v *Video, fields []string) map[string]any {
	out := map[string]any{"id": v.ID}
	for _, f := range fields {
		switch f {
		case "description":
			if v.Description != "" {
				out["description"] = v.Description
			}
		case "title":
			if v.Title != "" {
				out["title"] = v.Title
			}
		case "created_time":
			out["created_time"] = createdTime(v.Created)
		case "permalink_url":
			out["permalink_url"] = "/" + s.Page + "/videos/" + v.ID + "/"
		case "reactions.summary(total_count)":
			out["reactions"] = map[string]any{"data": []any{}, "summary": map[string]any{"total_count": v.Reactions, "viewer_reaction": "NONE"}}
		case "comments.summary(total_count)":
			out["comments"] = map[string]any{"data": []any{}, "summary": map[string]any{"order": "ranked", "total_count": v.Comments, "can_comment": true}}
		}
	}
	return out
}

// notFound is the Graph API's answer for an object that does not exist.
func notFound(id string) *Reply {
	r := GraphError(http.StatusBadRequest, 100, 33, "GraphMethodException",
		fmt.Sprintf("Unsupported get request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", id), nil)
	return &r
}

// videoNode is GET /{video-id}.
func (s *Server) videoNode(id string, params map[string]string) (map[string]any, *Reply) {
	for _, v := range s.videos {
		if v.ID == id && v.Published {
			return s.videoFields(v, strings.Split(params["fields"], ",")), nil
		}
	}
	return nil, notFound(id)
}

// noInsights is the refusal of a token without read_insights.
func (s *Server) noInsights() *Reply {
	r := GraphError(http.StatusBadRequest, 10, 0, "OAuthException", "(#10) Requires read_insights permission", nil)
	return &r
}

// insight is one lifetime metric as the insights edges give it.
func insight(id, edge, metric, title string, value int64) map[string]any {
	return map[string]any{"data": []any{map[string]any{"name": metric, "period": "lifetime",
		"values": []any{map[string]any{"value": value}}, "title": title,
		"description": "Lifetime: " + title, "id": id + "/" + edge + "/" + metric + "/lifetime"}}}
}

// insights is GET /{post-id}/insights for post_media_view, lifetime: the
// deprecated impressions metrics are refused as the API refuses them.
func (s *Server) insights(id string, params map[string]string) (map[string]any, *Reply) {
	if s.NoInsights {
		return nil, s.noInsights()
	}
	if m := params["metric"]; m != "post_media_view" {
		return nil, s.invalid("insights: metric " + m + " is not the post's views Herald reads (post_media_view; post_impressions was deprecated on 2025-11-15)")
	}
	if p, ok := params["period"]; ok && p != "lifetime" {
		return nil, s.invalid("insights: period " + p + ": post_media_view is a lifetime metric")
	}
	for _, p := range s.posts {
		if p.ID == id {
			return insight(id, "insights", "post_media_view", "Lifetime Post Media Views", p.Views), nil
		}
	}
	return nil, notFound(id)
}

// videoInsights is GET /{video-id}/video_insights for total_video_views.
func (s *Server) videoInsights(id string, params map[string]string) (map[string]any, *Reply) {
	if s.NoInsights {
		return nil, s.noInsights()
	}
	if m := params["metric"]; m != "total_video_views" {
		return nil, s.invalid("video_insights: metric " + m + ", want total_video_views")
	}
	for _, v := range s.videos {
		if v.ID == id && v.Published {
			return insight(id, "video_insights", "total_video_views", "Lifetime Total Video Views", v.Views), nil
		}
	}
	return nil, notFound(id)
}
