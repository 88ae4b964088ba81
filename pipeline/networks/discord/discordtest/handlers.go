package discordtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func (s *Server) getChannel(id string) (int, any) {
	if id != s.ChannelID {
		return http.StatusNotFound, apiError(10003, "Unknown Channel")
	}
	return http.StatusOK, map[string]any{"id": s.ChannelID, "type": 0, "guild_id": s.GuildID, "name": s.ChannelName,
		"position": 3, "flags": 0, "parent_id": nil, "last_message_id": nil, "topic": nil, "nsfw": false,
		"rate_limit_per_user": 0, "permission_overwrites": []any{}}
}

// listMessages is GET /channels/{id}/messages: newest first, limit 1-100
// (default 50), without nonces.
func (s *Server) listMessages(channel string, r *http.Request) (int, any) {
	q := r.URL.Query()
	for name := range q {
		if !slices.Contains([]string{"around", "before", "after", "limit"}, name) {
			s.errorf("GET /channels/:channel/messages: parameter %q is not one the docs list", name)
		}
	}
	if channel != s.ChannelID {
		return http.StatusNotFound, apiError(10003, "Unknown Channel")
	}
	limit := 50
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return http.StatusBadRequest, apiError(50035, "Invalid Form Body")
		}
		limit = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for i := len(s.messages) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, s.messageJSON(s.messages[i], false))
	}
	return http.StatusOK, out
}

func (s *Server) getMessage(channel, id string) (int, any) {
	if channel != s.ChannelID {
		return http.StatusNotFound, apiError(10003, "Unknown Channel")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.message(id)
	if m == nil {
		return http.StatusNotFound, apiError(10008, "Unknown Message")
	}
	return http.StatusOK, s.messageJSON(m, false)
}

// webhook is GET and POST /webhooks/{id}/{token}.
func (s *Server) webhook(route string, ids []string, r *http.Request, body *createBody, files map[string]file) (int, any) {
	if ids[0] != s.WebhookID {
		return http.StatusNotFound, apiError(10015, "Unknown Webhook")
	}
	if ids[1] != s.WebhookToken {
		return http.StatusUnauthorized, apiError(50027, "Invalid Webhook Token")
	}
	if route == "GET /webhooks/:id/:token" {
		return http.StatusOK, map[string]any{"id": s.WebhookID, "type": 1, "guild_id": s.GuildID, "channel_id": s.ChannelID,
			"name": s.WebhookName, "avatar": nil, "application_id": nil, "token": s.WebhookToken}
	}
	for name := range r.URL.Query() {
		if !slices.Contains([]string{"wait", "thread_id", "with_components"}, name) {
			s.errorf("%s: parameter %q is not one the docs list", route, name)
		}
	}
	status, answer := s.create(s.ChannelID, s.WebhookID, s.WebhookID, body, files)
	if status == http.StatusOK && r.URL.Query().Get("wait") != "true" {
		return http.StatusNoContent, nil
	}
	return status, answer
}

// create makes a message, as Create Message and Execute Webhook do.
func (s *Server) create(channel, author, webhookID string, body *createBody, files map[string]file) (int, any) {
	s.t.Helper()
	if channel != s.ChannelID {
		return http.StatusNotFound, apiError(10003, "Unknown Channel")
	}
	invalid := func(msg string) (int, any) {
		return http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body",
			"errors": map[string]any{"_errors": []any{map[string]string{"message": msg}}}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	nonce := ""
	if body.Nonce != nil {
		if err := json.Unmarshal(body.Nonce, &nonce); err != nil {
			var n int64
			if json.Unmarshal(body.Nonce, &n) != nil {
				return invalid("nonce: must be a string or an integer")
			}
			nonce = strconv.FormatInt(n, 10)
		}
		if utf8.RuneCountInString(nonce) > 25 {
			return invalid("nonce: Must be 25 or fewer in length.")
		}
	}
	enforce := body.EnforceNonce != nil && *body.EnforceNonce
	if webhookID == "" && (nonce == "" || !enforce) {
		s.errorf("POST /channels/:channel/messages without nonce and enforce_nonce: Herald's creates must be idempotent")
	}
	if enforce && nonce != "" {
		if id, ok := s.nonces[author+"/"+nonce]; ok {
			return http.StatusOK, s.messageJSON(s.message(id), true)
		}
	}
	m := &Message{ID: s.newID(), AuthorID: author, WebhookID: webhookID, Nonce: nonce, CreatedAt: s.now()}
	if body.Content != nil {
		m.Content = *body.Content
	}
	if utf8.RuneCountInString(m.Content) > 2000 {
		return invalid("content: Must be 2000 or fewer in length.")
	}
	if ref := body.MessageReference; ref != nil {
		if s.message(ref.MessageID) == nil {
			return invalid("message_reference: Unknown message")
		}
		m.ReplyTo = ref.MessageID
	}
	used := map[string]bool{}
	for _, a := range body.Attachments {
		id := strings.Trim(string(a.ID), `"`)
		f, ok := files["files["+id+"]"]
		if !ok {
			return invalid(fmt.Sprintf("attachments: attachment %s has no files[%s]", id, id))
		}
		used[f.name] = true
		att := Attachment{ID: s.newID(), Filename: f.filename, ContentType: f.contentType, Data: f.data}
		if a.Filename != nil {
			att.Filename = *a.Filename
		}
		if a.Description != nil {
			if utf8.RuneCountInString(*a.Description) > 1024 {
				return invalid("attachments.description: Must be 1024 or fewer in length.")
			}
			att.Description = *a.Description
		}
		m.Attachments = append(m.Attachments, att)
	}
	for name, f := range files {
		if !used[name] {
			m.Attachments = append(m.Attachments, Attachment{ID: s.newID(), Filename: f.filename, ContentType: f.contentType, Data: f.data})
		}
	}
	if p := body.Poll; p != nil {
		poll := &Poll{Duration: 24}
		if p.Question.Text == nil || *p.Question.Text == "" || utf8.RuneCountInString(*p.Question.Text) > 300 {
			return invalid("poll.question.text: Must be between 1 and 300 in length.")
		}
		poll.Question = *p.Question.Text
		if len(p.Answers) < 1 || len(p.Answers) > 10 {
			return invalid("poll.answers: Must be between 1 and 10 in length.")
		}
		for _, a := range p.Answers {
			if a.PollMedia.Text == nil || *a.PollMedia.Text == "" || utf8.RuneCountInString(*a.PollMedia.Text) > 55 {
				return invalid("poll.answers.poll_media.text: Must be between 1 and 55 in length.")
			}
			poll.Answers = append(poll.Answers, *a.PollMedia.Text)
		}
		if p.Duration != nil {
			if *p.Duration < 1 || *p.Duration > 768 {
				return invalid("poll.duration: int value should be between 1 and 768.")
			}
			poll.Duration = *p.Duration
		}
		poll.AllowMultiselect = p.AllowMultiselect != nil && *p.AllowMultiselect
		m.Poll = poll
	}
	if strings.TrimSpace(m.Content) == "" && len(m.Attachments) == 0 && m.Poll == nil {
		return http.StatusBadRequest, apiError(50006, "Cannot send an empty message")
	}
	s.messages = append(s.messages, m)
	if enforce && nonce != "" {
		s.nonces[author+"/"+nonce] = m.ID
	}
	return http.StatusOK, s.messageJSON(m, true)
}

// messageJSON is a message object; the nonce only in the answer to its
// create, as Discord gives it.
func (s *Server) messageJSON(m *Message, withNonce bool) map[string]any {
	attachments := []any{}
	for _, a := range m.Attachments {
		j := map[string]any{"id": a.ID, "filename": a.Filename, "size": len(a.Data), "content_type": a.ContentType,
			"url":       "https://cdn.discordapp.com/attachments/" + s.ChannelID + "/" + a.ID + "/" + a.Filename,
			"proxy_url": "https://media.discordapp.net/attachments/" + s.ChannelID + "/" + a.ID + "/" + a.Filename}
		if a.Description != "" {
			j["description"] = a.Description
		}
		attachments = append(attachments, j)
	}
	author := map[string]any{"id": m.AuthorID, "username": s.Username, "discriminator": "0", "avatar": nil, "bot": true,
		"global_name": nil, "public_flags": 0}
	j := map[string]any{"id": m.ID, "type": 0, "channel_id": s.ChannelID, "content": m.Content, "author": author,
		"attachments": attachments, "embeds": []any{}, "mentions": []any{}, "mention_roles": []any{}, "components": []any{},
		"pinned": false, "mention_everyone": false, "tts": false, "flags": 0,
		"timestamp": m.CreatedAt.UTC().Format("2006-01-02T15:04:05.000000+00:00"), "edited_timestamp": nil}
	if m.WebhookID != "" {
		author["username"] = s.WebhookName
		j["webhook_id"] = m.WebhookID
	}
	if withNonce && m.Nonce != "" {
		j["nonce"] = m.Nonce
	}
	if m.ReplyTo != "" {
		j["type"] = 19
		j["message_reference"] = map[string]any{"type": 0, "message_id": m.ReplyTo, "channel_id": s.ChannelID, "guild_id": s.GuildID}
	}
	if len(m.Reactions) > 0 {
		var reactions []any
		for i, n := range m.Reactions {
			reactions = append(reactions, map[string]any{"emoji": map[string]any{"id": nil, "name": []string{"❤️", "🎄", "👍"}[i%3]},
				"count": n, "count_details": map[string]any{"burst": 0, "normal": n}, "burst_colors": []any{}, "me_burst": false, "me": false})
		}
		j["reactions"] = reactions
	}
	if p := m.Poll; p != nil {
		var answers []any
		for i, a := range p.Answers {
			answers = append(answers, map[string]any{"answer_id": i + 1, "poll_media": map[string]any{"text": a}})
		}
		j["poll"] = map[string]any{"question": map[string]any{"text": p.Question}, "answers": answers,
			"expiry":            m.CreatedAt.Add(timeHours(p.Duration)).UTC().Format("2006-01-02T15:04:05.000000+00:00"),
			"allow_multiselect": p.AllowMultiselect, "layout_type": 1,
			"results": map[string]any{"is_finalized": false, "answer_counts": []any{}}}
	}
	return j
}

func timeHours(n int) time.Duration { return time.Duration(n) * time.Hour }
