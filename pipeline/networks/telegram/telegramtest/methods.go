package telegramtest

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// fields are the fields of each method the server implements: those
// Herald sends (the docs list more; any other fails the test).
var fields = map[string][]string{
	"getMe":          {},
	"getChat":        {"chat_id"},
	"getChatMember":  {"chat_id", "user_id"},
	"sendMessage":    {"chat_id", "text", "parse_mode", "reply_parameters", "link_preview_options"},
	"sendPhoto":      {"chat_id", "photo", "caption", "parse_mode", "reply_parameters"},
	"sendMediaGroup": {"chat_id", "media", "reply_parameters"},
	"sendPoll":       {"chat_id", "question", "options", "open_period", "allows_multiple_answers", "is_anonymous", "reply_parameters"},
}

// required are the fields the docs say each method needs.
var required = map[string][]string{
	"getChat":        {"chat_id"},
	"getChatMember":  {"chat_id", "user_id"},
	"sendMessage":    {"chat_id", "text"},
	"sendPhoto":      {"chat_id", "photo"},
	"sendMediaGroup": {"chat_id", "media"},
	"sendPoll":       {"chat_id", "question", "options"},
}

var botPath = regexp.MustCompile(`^/bot([^/]+)/([A-Za-z]+)$`)

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	m := botPath.FindStringSubmatch(r.URL.Path)
	if m == nil {
		s.errorf("%s %s: not /bot<token>/<method>", r.Method, r.URL.Path)
		writeError(w, Reply{Status: http.StatusNotFound, Description: "Not Found"})
		return
	}
	token, method := m[1], m[2]
	allowed, known := fields[method]
	if !known {
		s.errorf("%s: not a method Herald calls", method)
		writeError(w, Reply{Status: http.StatusNotFound, Description: "Not Found: method not found"})
		return
	}
	if r.Method != http.MethodPost {
		s.errorf("%s: sent with %s; Herald sends POST", method, r.Method)
	}
	form, files, ok := s.readBody(r, method)
	if !ok {
		writeError(w, Reply{Status: http.StatusBadRequest, Description: "Bad Request: can't parse request body"})
		return
	}
	for name := range form {
		if _, file := files[name]; file && method == "sendMediaGroup" {
			continue // an attach://<name>: mediaGroup checks that each is attached
		}
		if !slices.Contains(allowed, name) {
			s.errorf("%s: field %q is not one of %v", method, name, allowed)
		}
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: method, Fields: form, Files: files})
	var failure *Reply
	if q := s.failures[method]; len(q) > 0 {
		failure, s.failures[method] = &q[0], q[1:]
		if failure.Status == 0 {
			failure = nil // a pass: this request is served
		}
	}
	s.mu.Unlock()
	if token != s.Token {
		writeError(w, Reply{Status: http.StatusUnauthorized, Description: "Unauthorized"})
		return
	}
	if failure != nil {
		writeError(w, *failure)
		return
	}
	for _, name := range required[method] {
		if _, ok := form[name]; !ok {
			writeError(w, Reply{Status: http.StatusBadRequest, Description: "Bad Request: " + name + " is empty"})
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch method {
	case "getMe":
		writeOK(w, map[string]any{"id": s.BotID, "is_bot": true, "first_name": "Maison", "username": s.BotUsername,
			"can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false})
		return
	}
	c := s.chat(form["chat_id"])
	if c == nil {
		writeError(w, Reply{Status: http.StatusBadRequest, Description: "Bad Request: chat not found"})
		return
	}
	switch method {
	case "getChat":
		writeOK(w, chatJSON(c))
	case "getChatMember":
		if form["user_id"] != strconv.FormatInt(s.BotID, 10) {
			s.errorf("getChatMember: user_id %q, want the bot's id %d", form["user_id"], s.BotID)
		}
		member := map[string]any{"status": c.Status, "user": map[string]any{"id": s.BotID, "is_bot": true, "username": s.BotUsername}}
		if c.Status == "administrator" {
			member["can_post_messages"] = c.CanPostMessages
			member["can_be_edited"] = false
		}
		writeOK(w, member)
	default:
		s.send(w, method, c, form, files)
	}
}

// readBody reads a request's fields, as the Bot API takes them: a JSON
// object, a URL-encoded form, or multipart/form-data with files. A JSON
// value that is not a string is kept as its JSON text.
func (s *Server) readBody(r *http.Request, method string) (map[string]string, map[string]string, bool) {
	form, files := map[string]string{}, map[string]string{}
	ct, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case r.ContentLength == 0 && ct == "":
	case ct == "application/json":
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			s.errorf("%s: the body is not a JSON object: %v", method, err)
			return nil, nil, false
		}
		for k, v := range body {
			var str string
			if json.Unmarshal(v, &str) == nil {
				form[k] = str
			} else {
				form[k] = string(v)
			}
		}
	case ct == "multipart/form-data":
		mr, err := r.MultipartReader()
		if err != nil {
			s.errorf("%s: multipart body (boundary %q): %v", method, params["boundary"], err)
			return nil, nil, false
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				s.errorf("%s: multipart body: %v", method, err)
				return nil, nil, false
			}
			data, _ := io.ReadAll(part)
			name := part.FormName()
			if _, dup := form[name]; dup {
				s.errorf("%s: field %q sent twice", method, name)
			}
			if part.FileName() != "" {
				files[name] = part.FileName()
			}
			form[name] = string(data)
		}
	default:
		s.errorf("%s: Content-Type %q is not one the Bot API takes", method, r.Header.Get("Content-Type"))
		return nil, nil, false
	}
	return form, files, true
}

// send serves the methods that send a message. Call with mu.
func (s *Server) send(w http.ResponseWriter, method string, c *Chat, form, files map[string]string) {
	if c.Status == "left" || c.Status == "kicked" || (c.Type == "channel" && !(c.Status == "creator" || c.CanPostMessages)) {
		writeError(w, Reply{Status: http.StatusForbidden, Description: "Forbidden: bot is not a member of the channel chat"})
		return
	}
	replyTo, ok := s.replyTo(method, c, form)
	if !ok {
		writeError(w, Reply{Status: http.StatusBadRequest, Description: "Bad Request: message to be replied not found"})
		return
	}
	var sent []Message
	switch method {
	case "sendMessage":
		msg, desc := s.text(method, "text", form["text"], form["parse_mode"], 4096)
		if desc != "" {
			writeError(w, Reply{Status: http.StatusBadRequest, Description: desc})
			return
		}
		sent = []Message{{Text: msg, ParseMode: form["parse_mode"]}}
	case "sendPhoto":
		name, ok := files["photo"]
		if !ok {
			s.errorf("sendPhoto: photo is not an uploaded file (Herald uploads the calendar's file)")
		}
		caption, desc := s.text(method, "caption", form["caption"], form["parse_mode"], 1024)
		if desc != "" {
			writeError(w, Reply{Status: http.StatusBadRequest, Description: desc})
			return
		}
		sent = []Message{{Text: caption, ParseMode: form["parse_mode"], PhotoName: name, Photo: form["photo"]}}
	case "sendMediaGroup":
		var desc string
		sent, desc = s.mediaGroup(form, files)
		if desc != "" {
			writeError(w, Reply{Status: http.StatusBadRequest, Description: desc})
			return
		}
	case "sendPoll":
		poll, desc := s.poll(c, form)
		if desc != "" {
			writeError(w, Reply{Status: http.StatusBadRequest, Description: desc})
			return
		}
		sent = []Message{{Poll: poll}}
	}
	var out []any
	group := ""
	if method == "sendMediaGroup" {
		group = strconv.FormatInt(13000000000000000+c.nextID, 10)
	}
	for _, m := range sent {
		m.ChatID, m.ID, m.Method, m.ReplyTo, m.GroupID = c.ID, c.nextID, method, replyTo, group
		c.nextID++
		s.messages = append(s.messages, m)
		out = append(out, messageJSON(c, m))
	}
	if method == "sendMediaGroup" {
		writeOK(w, out)
		return
	}
	writeOK(w, out[0])
}

// replyTo reads reply_parameters: a JSON object whose message_id is a
// message of the chat. It reports false when that message does not exist.
func (s *Server) replyTo(method string, c *Chat, form map[string]string) (int64, bool) {
	raw, ok := form["reply_parameters"]
	if !ok {
		return 0, true
	}
	var rp map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &rp); err != nil {
		s.errorf("%s: reply_parameters %q is not a JSON object: %v", method, raw, err)
		return 0, false
	}
	for k := range rp {
		if !slices.Contains([]string{"message_id", "chat_id", "allow_sending_without_reply", "quote", "quote_parse_mode", "quote_entities", "quote_position"}, k) {
			s.errorf("%s: reply_parameters has field %q, not one of ReplyParameters", method, k)
		}
	}
	var id int64
	if err := json.Unmarshal(rp["message_id"], &id); err != nil || id == 0 {
		s.errorf("%s: reply_parameters.message_id %s is not a message id", method, rp["message_id"])
		return 0, false
	}
	for _, m := range s.messages {
		if m.ChatID == c.ID && m.ID == id {
			return id, true
		}
	}
	return id, false
}

// text checks a text or caption as the Bot API parses it: parse_mode is
// HTML (what Herald renders), and the text after entities parsing is 1 to
// limit characters (0 allowed for a caption). It returns the Bot API's
// description of a refusal, or "".
func (s *Server) text(method, field, text, parseMode string, limit int) (string, string) {
	if text != "" && parseMode != "HTML" {
		s.errorf("%s: parse_mode %q, want HTML (the Telegram dialect Herald renders)", method, parseMode)
	}
	visible := html.UnescapeString(tag.ReplaceAllString(text, ""))
	n := len(utf16.Encode([]rune(visible)))
	switch {
	case field == "text" && strings.TrimSpace(visible) == "":
		return text, "Bad Request: message text is empty"
	case n > limit && field == "text":
		return text, "Bad Request: message is too long"
	case n > limit:
		return text, "Bad Request: message caption is too long"
	}
	return text, ""
}

var tag = regexp.MustCompile(`<[^>]*>`)

// mediaGroup reads sendMediaGroup's media: 2 to 10 InputMediaPhoto, each
// an attach://<name> of an uploaded file, every file used.
func (s *Server) mediaGroup(form, files map[string]string) ([]Message, string) {
	var media []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(form["media"]), &media); err != nil {
		s.errorf("sendMediaGroup: media %q is not a JSON array of objects: %v", form["media"], err)
		return nil, "Bad Request: can't parse media JSON object"
	}
	if len(media) < 2 || len(media) > 10 {
		return nil, "Bad Request: wrong number of media specified"
	}
	used := map[string]bool{}
	var out []Message
	for i, m := range media {
		for k := range m {
			if !slices.Contains([]string{"type", "media", "caption", "parse_mode"}, k) {
				s.errorf("sendMediaGroup: media[%d] has field %q, not one Herald sends of InputMediaPhoto", i, k)
			}
		}
		var typ, ref, caption, parseMode string
		json.Unmarshal(m["type"], &typ)
		json.Unmarshal(m["media"], &ref)
		json.Unmarshal(m["caption"], &caption)
		json.Unmarshal(m["parse_mode"], &parseMode)
		if typ != "photo" {
			s.errorf("sendMediaGroup: media[%d].type %q, want photo", i, typ)
		}
		name, ok := strings.CutPrefix(ref, "attach://")
		if _, uploaded := files[name]; !ok || !uploaded {
			s.errorf("sendMediaGroup: media[%d].media %q is not attach://<an uploaded file's field>", i, ref)
			return nil, "Bad Request: wrong file identifier/HTTP URL specified"
		}
		used[name] = true
		msg := Message{PhotoName: files[name], Photo: form[name], MediaGroup: true, ParseMode: parseMode}
		if _, has := m["caption"]; has {
			var desc string
			msg.Text, desc = s.text("sendMediaGroup", "caption", caption, parseMode, 1024)
			if desc != "" {
				return nil, desc
			}
		}
		out = append(out, msg)
	}
	for name := range files {
		if !used[name] {
			s.errorf("sendMediaGroup: file %q is uploaded but no medium attaches it", name)
		}
	}
	return out, ""
}

// poll reads sendPoll's fields: a question of 1-300 characters, 2-12
// InputPollOption of 1-100 characters (Bot API 9.1 raised 10 to 12),
// open_period 5-600 seconds; a poll in a channel is anonymous.
func (s *Server) poll(c *Chat, form map[string]string) (*Poll, string) {
	p := &Poll{Question: form["question"]}
	if n := len([]rune(p.Question)); n < 1 || n > 300 {
		return nil, "Bad Request: poll question length must not exceed 300"
	}
	var options []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(form["options"]), &options); err != nil {
		s.errorf("sendPoll: options %q is not a JSON array of InputPollOption: %v", form["options"], err)
		return nil, "Bad Request: can't parse options JSON object"
	}
	for i, o := range options {
		for k := range o {
			if k != "text" {
				s.errorf("sendPoll: options[%d] has field %q, not one Herald sends of InputPollOption", i, k)
			}
		}
		var text string
		if err := json.Unmarshal(o["text"], &text); err != nil {
			s.errorf("sendPoll: options[%d].text is not a string", i)
		}
		if n := len([]rune(text)); n < 1 || n > 100 {
			return nil, "Bad Request: poll options length must not exceed 100"
		}
		p.Options = append(p.Options, text)
	}
	if len(p.Options) < 2 || len(p.Options) > 12 {
		return nil, "Bad Request: poll must have at least 2 option"
	}
	if v, ok := form["open_period"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.errorf("sendPoll: open_period %q is not an integer", v)
		}
		if n < 5 || n > 600 {
			return nil, "Bad Request: wrong open period specified"
		}
		p.OpenPeriod = n
	}
	if v, ok := form["allows_multiple_answers"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.errorf("sendPoll: allows_multiple_answers %q is not a boolean", v)
		}
		p.Multiple = b
	}
	if v, ok := form["is_anonymous"]; ok {
		b, _ := strconv.ParseBool(v)
		p.IsAnonymous = &b
	}
	if c.Type == "channel" && p.IsAnonymous != nil && !*p.IsAnonymous {
		return nil, "Bad Request: non-anonymous polls can't be sent to channel chats"
	}
	return p, ""
}

func chatJSON(c *Chat) map[string]any {
	j := map[string]any{"id": c.ID, "type": c.Type, "title": c.Title}
	if c.Username != "" {
		j["username"] = c.Username
	}
	return j
}

// messageJSON is a Message object as the Bot API returns it.
func messageJSON(c *Chat, m Message) map[string]any {
	j := map[string]any{"message_id": m.ID, "date": 1764666000, "chat": chatJSON(c)}
	if c.Type == "channel" {
		j["sender_chat"] = chatJSON(c)
	}
	switch {
	case m.Poll != nil:
		var options []any
		for _, o := range m.Poll.Options {
			options = append(options, map[string]any{"text": o, "voter_count": 0})
		}
		j["poll"] = map[string]any{"id": fmt.Sprint(m.ID), "question": m.Poll.Question, "options": options,
			"total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular",
			"allows_multiple_answers": m.Poll.Multiple}
	case m.PhotoName != "":
		j["photo"] = []any{map[string]any{"file_id": "AgAC" + fmt.Sprint(m.ID), "file_unique_id": "AQAD" + fmt.Sprint(m.ID), "width": 1280, "height": 720}}
		if m.Text != "" {
			j["caption"] = html.UnescapeString(tag.ReplaceAllString(m.Text, ""))
		}
		if m.GroupID != "" {
			j["media_group_id"] = m.GroupID
		}
	default:
		j["text"] = html.UnescapeString(tag.ReplaceAllString(m.Text, ""))
	}
	if m.ReplyTo != 0 {
		j["reply_to_message"] = map[string]any{"message_id": m.ReplyTo, "date": 1764666000, "chat": chatJSON(c)}
	}
	return j
}
