package slacktest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// str is a string argument, "" when it is absent or not a string.
func str(args map[string]any, k string) string {
	v, _ := args[k].(string)
	return v
}

func (s *Server) messageJSON(m *Message, metadata bool) map[string]any {
	out := map[string]any{"type": "message", "user": m.User, "text": m.Text, "ts": m.TS}
	if m.User == s.BotUserID {
		out["bot_id"] = "B0HERALD1"
	}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.ThreadTS == m.TS {
		n := 0
		for _, r := range s.messages {
			if r.ThreadTS == m.TS && r.TS != m.TS {
				n++
			}
		}
		out["reply_count"] = n
	}
	if metadata && m.Metadata != nil {
		out["metadata"] = map[string]any{"event_type": m.Metadata.EventType, "event_payload": m.Metadata.EventPayload}
	}
	if len(m.FileIDs) > 0 {
		var files []any
		for _, id := range m.FileIDs {
			f := s.files[id]
			files = append(files, map[string]any{"id": f.ID, "name": f.Filename, "title": f.Title, "alt_txt": f.AltTxt})
		}
		out["files"] = files
	}
	if len(m.Reactions) > 0 {
		var rs []any
		names := make([]string, 0, len(m.Reactions))
		for name := range m.Reactions {
			names = append(names, name)
		}
		slices.Sort(names)
		for _, name := range names {
			rs = append(rs, map[string]any{"name": name, "count": m.Reactions[name], "users": []string{}})
		}
		out["reactions"] = rs
	}
	return out
}

// postMessage is chat.postMessage: a message in the channel, or a reply
// in the thread of thread_ts, with its metadata.
func (s *Server) postMessage(args map[string]any) (map[string]any, string) {
	s.t.Helper()
	if str(args, "channel") != s.Channel {
		return nil, "channel_not_found"
	}
	if !s.Member {
		return nil, "not_in_channel"
	}
	text := str(args, "text")
	if text == "" {
		return nil, "no_text"
	}
	m := &Message{Text: text, User: s.BotUserID}
	if thread := str(args, "thread_ts"); thread != "" {
		parent := s.message(thread)
		if parent == nil || (parent.ThreadTS != "" && parent.ThreadTS != parent.TS) {
			s.errorf("chat.postMessage: thread_ts %q is not a message of the channel outside a thread", thread)
			return nil, "thread_not_found"
		}
		parent.ThreadTS = parent.TS
		m.ThreadTS = parent.TS
	}
	if raw, ok := args["metadata"]; ok {
		md, err := metadataOf(raw)
		if err != nil {
			s.errorf("chat.postMessage: metadata: %v", err)
			return nil, "invalid_metadata_format"
		}
		m.Metadata = md
	}
	m.TS = s.newTS()
	s.messages = append(s.messages, m)
	return map[string]any{"channel": s.Channel, "ts": m.TS, "message": s.messageJSON(m, true)}, ""
}

// metadataOf reads a message's metadata strictly: an object with
// event_type (a string) and event_payload (an object), nothing else.
func metadataOf(raw any) (*Metadata, error) {
	data, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var md Metadata
	if err := dec.Decode(&md); err != nil {
		return nil, err
	}
	if md.EventType == "" || md.EventPayload == nil {
		return nil, fmt.Errorf("%s: want event_type and event_payload", data)
	}
	return &md, nil
}

func (s *Server) permalink(args map[string]any) (map[string]any, string) {
	m := s.message(str(args, "message_ts"))
	if str(args, "channel") != s.Channel {
		return nil, "channel_not_found"
	}
	if m == nil {
		return nil, "message_not_found"
	}
	link := fmt.Sprintf("https://maison-exemple.slack.com/archives/%s/p%s", s.Channel, strings.ReplaceAll(m.TS, ".", ""))
	if m.ThreadTS != "" && m.ThreadTS != m.TS {
		link += fmt.Sprintf("?thread_ts=%s&cid=%s", m.ThreadTS, s.Channel)
	}
	return map[string]any{"channel": s.Channel, "permalink": link}, ""
}

// page cuts a list of messages as the Web API's cursor pagination does:
// limit (default 100, at most 999) from the cursor on, and the cursor of
// what follows.
func (s *Server) page(list []*Message, args map[string]any, metadata bool) (map[string]any, string) {
	limit := 100
	if l, err := strconv.Atoi(str(args, "limit")); err == nil && l > 0 {
		limit = min(l, 999)
	}
	start := 0
	if c := str(args, "cursor"); c != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(c, "bmV4dF90czo"))
		if err != nil || !strings.HasPrefix(c, "bmV4dF90czo") || n > len(list) {
			return nil, "invalid_cursor"
		}
		start = n
	}
	end := min(start+limit, len(list))
	out := []any{}
	for _, m := range list[start:end] {
		out = append(out, s.messageJSON(m, metadata))
	}
	body := map[string]any{"messages": out, "has_more": end < len(list)}
	next := ""
	if end < len(list) {
		next = "bmV4dF90czo" + strconv.Itoa(end)
	}
	body["response_metadata"] = map[string]any{"next_cursor": next}
	return body, ""
}

// inRange applies oldest, latest and inclusive to a ts.
func inRange(ts string, args map[string]any) bool {
	t, _ := strconv.ParseFloat(ts, 64)
	inclusive := str(args, "inclusive") == "true" || str(args, "inclusive") == "1"
	if o := str(args, "oldest"); o != "" {
		ov, _ := strconv.ParseFloat(o, 64)
		if t < ov || (t == ov && !inclusive) {
			return false
		}
	}
	if l := str(args, "latest"); l != "" {
		lv, _ := strconv.ParseFloat(l, 64)
		if t > lv || (t == lv && !inclusive) {
			return false
		}
	}
	return true
}

// history is conversations.history: the channel's messages outside
// threads (a thread's parent included), newest first; metadata only with
// include_all_metadata.
func (s *Server) history(args map[string]any) (map[string]any, string) {
	if str(args, "channel") != s.Channel {
		return nil, "channel_not_found"
	}
	if !s.Member {
		return nil, "not_in_channel"
	}
	var list []*Message
	for i := len(s.messages) - 1; i >= 0; i-- {
		m := s.messages[i]
		if (m.ThreadTS == "" || m.ThreadTS == m.TS) && inRange(m.TS, args) {
			list = append(list, m)
		}
	}
	return s.page(list, args, str(args, "include_all_metadata") == "true")
}

// replies is conversations.replies: a thread's parent, then its replies,
// oldest first.
func (s *Server) replies(args map[string]any) (map[string]any, string) {
	if str(args, "channel") != s.Channel {
		return nil, "channel_not_found"
	}
	parent := s.message(str(args, "ts"))
	if parent == nil {
		return nil, "thread_not_found"
	}
	root := parent.TS
	if parent.ThreadTS != "" {
		root = parent.ThreadTS
	}
	var list []*Message
	for _, m := range s.messages {
		if (m.TS == root || m.ThreadTS == root) && inRange(m.TS, args) {
			list = append(list, m)
		}
	}
	return s.page(list, args, str(args, "include_all_metadata") == "true")
}

func (s *Server) info(args map[string]any) (map[string]any, string) {
	if str(args, "channel") != s.Channel {
		return nil, "channel_not_found"
	}
	return map[string]any{"channel": map[string]any{"id": s.Channel, "name": s.ChannelName, "is_channel": true,
		"is_private": false, "is_archived": false, "is_member": s.Member}}, ""
}

// reactions is reactions.get of a message.
func (s *Server) reactions(args map[string]any) (map[string]any, string) {
	s.t.Helper()
	if str(args, "file") != "" || str(args, "file_comment") != "" {
		s.errorf("reactions.get: Herald asks about messages, not files")
	}
	if str(args, "channel") != s.Channel {
		return nil, "channel_not_found"
	}
	m := s.message(str(args, "timestamp"))
	if m == nil {
		return nil, "message_not_found"
	}
	return map[string]any{"type": "message", "channel": s.Channel, "message": s.messageJSON(m, false)}, ""
}

// uploadURL is files.getUploadURLExternal: a file id and a URL of this
// server to POST the bytes to.
func (s *Server) uploadURL(args map[string]any) (map[string]any, string) {
	length, err := strconv.Atoi(str(args, "length"))
	if err != nil || length <= 0 {
		return nil, "invalid_arguments"
	}
	if len([]rune(str(args, "alt_txt"))) > 1000 {
		return nil, "alt_txt_too_large"
	}
	s.next++
	f := &File{ID: fmt.Sprintf("F0UPLOAD%04d", s.next), Filename: str(args, "filename"), AltTxt: str(args, "alt_txt"), Length: length}
	s.files[f.ID] = f
	return map[string]any{"upload_url": s.URL + "/upload/" + f.ID, "file_id": f.ID}, ""
}

// complete is files.completeUploadExternal: the uploaded files shared in
// the channel, in a thread with thread_ts, as one message.
func (s *Server) complete(args map[string]any) (map[string]any, string) {
	s.t.Helper()
	list, ok := args["files"].([]any)
	if !ok || len(list) == 0 {
		s.errorf("files.completeUploadExternal: files is %v, want an array of {id, title}", args["files"])
		return nil, "invalid_arguments"
	}
	var ids []string
	var out []any
	for _, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			s.errorf("files.completeUploadExternal: a file is %v, want {id, title}", item)
			return nil, "invalid_arguments"
		}
		for k := range obj {
			if k != "id" && k != "title" {
				s.errorf("files.completeUploadExternal: file field %q is not id or title", k)
				return nil, "invalid_arguments"
			}
		}
		f := s.files[str(obj, "id")]
		if f == nil || f.Data == nil {
			return nil, "file_not_found"
		}
		f.Title, f.Shared = str(obj, "title"), true
		ids = append(ids, f.ID)
		out = append(out, map[string]any{"id": f.ID, "name": f.Filename, "title": f.Title})
	}
	channel := str(args, "channel_id")
	thread := str(args, "thread_ts")
	if thread != "" && channel == "" {
		s.errorf("files.completeUploadExternal: thread_ts without channel_id")
		return nil, "invalid_arguments"
	}
	if channel != "" {
		if channel != s.Channel {
			return nil, "channel_not_found"
		}
		m := &Message{Text: str(args, "initial_comment"), User: s.BotUserID, FileIDs: ids}
		if thread != "" {
			parent := s.message(thread)
			if parent == nil {
				return nil, "thread_not_found"
			}
			parent.ThreadTS = parent.TS
			m.ThreadTS = parent.TS
		}
		m.TS = s.newTS()
		s.messages = append(s.messages, m)
	}
	return map[string]any{"files": out}, ""
}
