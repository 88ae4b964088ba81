package discordtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// userAgent is the form Discord requires of a bot's User-Agent.
var userAgent = regexp.MustCompile(`^DiscordBot \([^,]+, [^)]+\)`)

// routeOf is a request's route, with :channel, :id and :token for the
// ids, and the ids themselves. Discord takes its paths below /api/v10,
// and webhooks' below /api too.
func routeOf(r *http.Request) (route string, ids []string) {
	p := r.URL.Path
	if rest, ok := strings.CutPrefix(p, "/api/v10/"); ok {
		p = "/" + rest
	} else if rest, ok := strings.CutPrefix(p, "/api/webhooks/"); ok {
		p = "/webhooks/" + rest
	} else {
		return r.Method + " " + r.URL.Path, nil
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	names := map[int]string{}
	switch {
	case seg[0] == "channels" && (len(seg) == 2 || len(seg) == 3 && seg[2] == "messages"):
		names[1] = ":channel"
	case seg[0] == "channels" && len(seg) == 4 && seg[2] == "messages":
		names[1], names[3] = ":channel", ":id"
	case seg[0] == "webhooks" && len(seg) == 3:
		names[1], names[2] = ":id", ":token"
	}
	for i := range seg {
		if name, ok := names[i]; ok {
			ids = append(ids, seg[i])
			seg[i] = name
		}
	}
	return r.Method + " /" + strings.Join(seg, "/"), ids
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.t.Helper()
	route, ids := routeOf(r)
	webhook := strings.HasPrefix(route, "POST /webhooks/") || strings.HasPrefix(route, "GET /webhooks/")
	if ua := r.Header.Get("User-Agent"); !userAgent.MatchString(ua) {
		s.errorf("%s: User-Agent %q is not DiscordBot ($url, $version), as Discord requires", route, ua)
	}
	auth := r.Header.Get("Authorization")
	if !webhook && !strings.HasPrefix(auth, "Bot ") {
		s.errorf("%s: Authorization is %q, want Bot and the token", route, auth)
	}
	body, files, bad := s.readBody(r, route, webhook)
	rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
	if body != nil {
		json.Unmarshal(body.raw, &rec.JSON)
	}
	s.mu.Lock()
	s.requests = append(s.requests, rec)
	var queued *Reply
	if q := s.failures[route]; len(q) > 0 {
		queued, s.failures[route] = &q[0], q[1:]
		if queued.Status == 0 && queued.RateLimit == nil {
			queued = nil // a pass: this request is served
		}
	}
	s.mu.Unlock()
	if bad != "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 50035, "message": "Invalid Form Body",
			"errors": map[string]any{"_errors": []any{map[string]string{"code": "BASE_TYPE_INVALID", "message": bad}}}})
		return
	}
	if queued != nil && !queued.After {
		s.reply(w, queued)
		return
	}
	if !webhook && auth != "Bot "+s.BotToken {
		writeJSON(w, http.StatusUnauthorized, apiError(0, "401: Unauthorized"))
		return
	}
	var status int
	var answer any
	switch route {
	case "GET /users/@me":
		status, answer = http.StatusOK, map[string]any{"id": s.UserID, "username": s.Username, "discriminator": "0",
			"global_name": nil, "avatar": nil, "bot": true, "public_flags": 0, "flags": 0, "mfa_enabled": true, "locale": "en-US"}
	case "GET /channels/:channel":
		status, answer = s.getChannel(ids[0])
	case "GET /channels/:channel/messages":
		status, answer = s.listMessages(ids[0], r)
	case "GET /channels/:channel/messages/:id":
		status, answer = s.getMessage(ids[0], ids[1])
	case "POST /channels/:channel/messages":
		status, answer = s.create(ids[0], s.UserID, "", body, files)
	case "GET /webhooks/:id/:token", "POST /webhooks/:id/:token":
		status, answer = s.webhook(route, ids, r, body, files)
	default:
		s.errorf("%s: not an endpoint Herald uses", route)
		status, answer = http.StatusNotFound, apiError(0, "404: Not Found")
	}
	if queued != nil {
		s.reply(w, queued)
		return
	}
	s.rateHeaders(w, 4, 1)
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, answer)
}

// createBody is MessageCreateRequest and IncomingWebhookRequestPartial of
// Discord's OpenAPI description: every field either takes, no other.
type createBody struct {
	Content         *string         `json:"content"`
	Embeds          json.RawMessage `json:"embeds"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	StickerIDs      json.RawMessage `json:"sticker_ids"`
	Components      json.RawMessage `json:"components"`
	Flags           *int            `json:"flags"`
	Attachments     []struct {
		ID           json.RawMessage `json:"id"`
		Filename     *string         `json:"filename"`
		Description  *string         `json:"description"`
		DurationSecs *float64        `json:"duration_secs"`
		Waveform     *string         `json:"waveform"`
		Title        *string         `json:"title"`
		IsSpoiler    *bool           `json:"is_spoiler"`
		IsRemix      *bool           `json:"is_remix"`
	} `json:"attachments"`
	Poll *struct {
		Question struct {
			Text  *string         `json:"text"`
			Emoji json.RawMessage `json:"emoji"`
		} `json:"question"`
		Answers []struct {
			PollMedia struct {
				Text  *string         `json:"text"`
				Emoji json.RawMessage `json:"emoji"`
			} `json:"poll_media"`
		} `json:"answers"`
		AllowMultiselect *bool           `json:"allow_multiselect"`
		LayoutType       json.RawMessage `json:"layout_type"`
		Duration         *int            `json:"duration"`
	} `json:"poll"`
	TTS bool `json:"tts"`
	// Create Message only.
	SharedClientTheme json.RawMessage `json:"shared_client_theme"`
	MessageReference  *struct {
		GuildID         json.RawMessage `json:"guild_id"`
		ChannelID       json.RawMessage `json:"channel_id"`
		MessageID       string          `json:"message_id"`
		FailIfNotExists *bool           `json:"fail_if_not_exists"`
		Type            json.RawMessage `json:"type"`
	} `json:"message_reference"`
	Nonce        json.RawMessage `json:"nonce"`
	EnforceNonce *bool           `json:"enforce_nonce"`
	// Execute Webhook only.
	Username    *string         `json:"username"`
	AvatarURL   *string         `json:"avatar_url"`
	ThreadName  *string         `json:"thread_name"`
	AppliedTags json.RawMessage `json:"applied_tags"`

	raw []byte
}

// file is a files[n] part of a multipart create.
type file struct {
	name, filename, contentType string
	data                        []byte
}

// readBody reads a POST's body, JSON or multipart/form-data (payload_json
// and files[n]), strictly. bad is Discord's complaint, "" when none; a
// fault Herald must not make also fails the test.
func (s *Server) readBody(r *http.Request, route string, webhook bool) (body *createBody, files map[string]file, bad string) {
	s.t.Helper()
	if r.Method == http.MethodGet {
		if r.ContentLength > 0 {
			s.errorf("%s has a body", route)
		}
		return nil, nil, ""
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var payload []byte
	switch ct {
	case "application/json":
		payload, _ = io.ReadAll(r.Body)
	case "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			s.errorf("%s: %v", route, err)
			return nil, nil, "multipart body unreadable"
		}
		files = map[string]file{}
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			data, _ := io.ReadAll(part)
			switch name := part.FormName(); {
			case name == "payload_json":
				payload = data
			case strings.HasPrefix(name, "files[") && strings.HasSuffix(name, "]"):
				if part.FileName() == "" || part.Header.Get("Content-Type") == "" {
					s.errorf("%s: part %s has no filename or no Content-Type", route, name)
				}
				files[name] = file{name: name, filename: part.FileName(), contentType: part.Header.Get("Content-Type"), data: data}
			default:
				s.errorf("%s: multipart part %q is neither payload_json nor files[n]", route, name)
			}
		}
		if payload == nil {
			s.errorf("%s: multipart body without payload_json", route)
			return nil, nil, "payload_json missing"
		}
	default:
		s.errorf("%s: Content-Type %q, want application/json or multipart/form-data", route, r.Header.Get("Content-Type"))
		return nil, nil, "unsupported content type"
	}
	body = &createBody{raw: payload}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(body); err != nil {
		s.errorf("%s: body %s: %v", route, payload, err)
		return nil, nil, err.Error()
	}
	if webhook && (body.Nonce != nil || body.EnforceNonce != nil || body.MessageReference != nil || body.SharedClientTheme != nil) {
		s.errorf("%s: nonce, enforce_nonce, message_reference are not fields of Execute Webhook", route)
		return nil, nil, "unknown field"
	}
	if !webhook && (body.Username != nil || body.AvatarURL != nil || body.ThreadName != nil || body.AppliedTags != nil) {
		s.errorf("%s: username, avatar_url, thread_name, applied_tags are fields of Execute Webhook only", route)
		return nil, nil, "unknown field"
	}
	return body, files, ""
}

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
