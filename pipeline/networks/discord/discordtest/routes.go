package discordtest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strings"
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
