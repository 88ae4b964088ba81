package mastodontest

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

type errorBody = map[string]string

func notFound() (int, any) { return http.StatusNotFound, errorBody{"error": "Record not found"} }

func invalid(msg string) (int, any) {
	return http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: " + msg}
}

// accountStatuses is GET /api/v1/accounts/:id/statuses: newest first,
// limit (default 20, at most 40), max_id, exclude_reblogs.
func (s *Server) accountStatuses(id string, r *http.Request) (int, any) {
	q := r.URL.Query()
	for name := range q {
		if !slices.Contains([]string{"limit", "max_id", "since_id", "min_id", "exclude_reblogs", "exclude_replies", "only_media", "pinned", "tagged"}, name) {
			s.errorf("GET /api/v1/accounts/:id/statuses: parameter %q is not one the docs list", name)
		}
	}
	if id != s.AccountID {
		return notFound()
	}
	limit := 20
	if l := atoi(q.Get("limit")); l > 0 {
		limit = min(l, 40)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for i := len(s.statuses) - 1; i >= 0 && len(out) < limit; i-- {
		st := s.statuses[i]
		if maxID := q.Get("max_id"); maxID != "" && !olderThan(st.ID, maxID) {
			continue
		}
		if st.Reblog && q.Get("exclude_reblogs") == "true" {
			continue
		}
		out = append(out, s.statusJSON(st))
	}
	return http.StatusOK, out
}

// olderThan compares two snowflake ids.
func olderThan(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// upload is POST /api/v2/media.
func (s *Server) upload(form map[string][]string, files map[string]string, r *http.Request) (int, any) {
	file, ok := form["file"]
	if !ok || files["file"] == "" {
		s.errorf("POST /api/v2/media: no file part with a Content-Type (the docs: the file must have a MIME type)")
		return invalid("File content type is invalid, File is invalid")
	}
	ct := files["file"]
	if !slices.Contains([]string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"}, ct) {
		return invalid("File content type is invalid, File is invalid")
	}
	desc := strings.Join(form["description"], "")
	if len([]rune(desc)) > s.DescriptionLimit {
		return invalid(fmt.Sprintf("Description is too long (maximum is %d characters)", s.DescriptionLimit))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m := &Medium{ID: s.newID(), Filename: file[0], ContentType: ct, Description: desc, Data: []byte(file[1])}
	if strings.HasPrefix(ct, "video/") || s.ProcessingPolls > 0 {
		m.Pending = max(s.ProcessingPolls, 1)
	}
	s.media[m.ID] = m
	if m.Pending > 0 {
		return http.StatusAccepted, s.mediaJSON(m)
	}
	return http.StatusOK, s.mediaJSON(m)
}

// getMedia is GET /api/v1/media/:id: 206 while processing, then 200.
func (s *Server) getMedia(id string) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.media[id]
	if !ok {
		return notFound()
	}
	if m.Pending > 0 {
		m.Pending--
		return http.StatusPartialContent, nil
	}
	return http.StatusOK, s.mediaJSON(m)
}

func (s *Server) mediaJSON(m *Medium) any {
	var url any
	if m.Pending == 0 {
		url = s.base() + "/system/media_attachments/" + m.ID + "/original/" + m.Filename
	}
	kind := "image"
	if strings.HasPrefix(m.ContentType, "video/") {
		kind = "video"
	}
	return map[string]any{"id": m.ID, "type": kind, "url": url, "preview_url": s.base() + "/small/" + m.ID,
		"remote_url": nil, "description": nilIfEmpty(m.Description), "blurhash": "UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}"}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// post is POST /api/v1/statuses.
func (s *Server) post(form map[string][]string, key string) (int, any) {
	get := func(k string) string { return strings.Join(form[k], "") }
	s.mu.Lock()
	defer s.mu.Unlock()
	if key != "" {
		if id, ok := s.keys[key]; ok {
			return http.StatusOK, s.statusJSON(s.status(id))
		}
	}
	text, mediaIDs := get("status"), form["media_ids[]"]
	if strings.TrimSpace(text) == "" && len(mediaIDs) == 0 {
		return invalid("Text can't be blank")
	}
	if n := graphemes(text); n > s.MaxCharacters {
		return invalid(fmt.Sprintf("Text character limit of %d exceeded", s.MaxCharacters))
	}
	if len(mediaIDs) > s.MaxMedia {
		return invalid(fmt.Sprintf("Media attachments limit of %d exceeded", s.MaxMedia))
	}
	for _, id := range mediaIDs {
		m, ok := s.media[id]
		if !ok || m.StatusID != "" {
			return invalid("Media ids are invalid")
		}
		if m.Pending > 0 {
			return http.StatusUnprocessableEntity, errorBody{"error": "Cannot attach files that have not finished processing. Try again in a moment!"}
		}
	}
	poll, code, body := s.pollOf(form)
	if code != 0 {
		return code, body
	}
	if poll != nil && len(mediaIDs) > 0 {
		// PostStatusService#validate_media!
		return invalid(fmt.Sprintf("Cannot attach more than %d files", s.MaxMedia))
	}
	visibility := get("visibility")
	if visibility != "" && !slices.Contains([]string{"public", "unlisted", "private", "direct"}, visibility) {
		return invalid("Visibility is not included in the list")
	}
	if visibility == "" {
		visibility = "public"
	}
	reply := get("in_reply_to_id")
	if reply != "" && s.status(reply) == nil {
		return http.StatusNotFound, errorBody{"error": "The post you are trying to reply to does not appear to exist."}
	}
	st := &Status{ID: s.newID(), Text: text, InReplyToID: reply, Visibility: visibility, Language: get("language"),
		MediaIDs: slices.Clone(mediaIDs), IdempotencyKey: key, CreatedAt: s.now(), Poll: poll}
	for _, id := range mediaIDs {
		s.media[id].StatusID = st.ID
	}
	s.statuses = append(s.statuses, st)
	if key != "" {
		s.keys[key] = st.ID
	}
	return http.StatusOK, s.statusJSON(st)
}

// Mastodon's default poll limits (configuration.polls of /api/v2/instance).
const (
	pollMaxOptions   = 4
	pollMaxChars     = 50
	pollMinExpiresIn = 5 * 60
	pollMaxExpiresIn = 30 * 24 * 60 * 60
)

// pollOf reads the poll[...] fields of POST /api/v1/statuses as the docs
// define them: poll[options][] (an array of strings), poll[expires_in]
// (an integer of seconds), poll[multiple] and poll[hide_totals]
// (booleans); a fault in how they are sent fails the test, and what a real
// server refuses (PollValidator) is a 422. It returns nil when there is
// no poll, or the status code and body of the refusal.
func (s *Server) pollOf(form map[string][]string) (*Poll, int, any) {
	options, hasOptions := form["poll[options][]"]
	if !hasOptions {
		for _, k := range []string{"poll[expires_in]", "poll[multiple]", "poll[hide_totals]"} {
			if _, ok := form[k]; ok {
				s.errorf("POST /api/v1/statuses: %s without poll[options][]", k)
			}
		}
		return nil, 0, nil
	}
	poll := &Poll{Options: slices.Clone(options)}
	single := func(k string) (string, bool) {
		v, ok := form[k]
		if len(v) > 1 {
			s.errorf("POST /api/v1/statuses: %s sent %d times", k, len(v))
		}
		if !ok || len(v) == 0 {
			return "", false
		}
		return v[0], true
	}
	expires, ok := single("poll[expires_in]")
	if !ok {
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Expires at can't be blank"}
	}
	n, err := strconv.Atoi(expires)
	if err != nil {
		s.errorf("POST /api/v1/statuses: poll[expires_in] %q is not an integer number of seconds", expires)
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Expires at is invalid"}
	}
	poll.ExpiresIn = n
	for _, f := range []struct {
		key string
		to  *bool
	}{{"poll[multiple]", &poll.Multiple}, {"poll[hide_totals]", &poll.HideTotals}} {
		if v, ok := single(f.key); ok {
			b, err := strconv.ParseBool(v)
			if err != nil {
				s.errorf("POST /api/v1/statuses: %s %q is not a boolean", f.key, v)
			}
			*f.to = b
		}
	}
	switch {
	case len(options) < 2:
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Poll must have at least 2 options"}
	case len(options) > pollMaxOptions:
		return nil, http.StatusUnprocessableEntity, errorBody{"error": fmt.Sprintf("Validation failed: Poll cannot contain more than %d items", pollMaxOptions)}
	case slices.ContainsFunc(options, func(o string) bool { return graphemes(o) > pollMaxChars }):
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Poll contains an item that is too long"}
	case slices.ContainsFunc(options, func(o string) bool { return strings.TrimSpace(o) == "" }):
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Poll contains an empty item"}
	case len(slices.Compact(slices.Sorted(slices.Values(options)))) < len(options):
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Poll contains duplicate items"}
	case n < pollMinExpiresIn:
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Poll duration too short"}
	case n > pollMaxExpiresIn:
		return nil, http.StatusUnprocessableEntity, errorBody{"error": "Validation failed: Poll duration too long"}
	}
	return poll, 0, nil
}

// pollJSON is a Poll entity.
func (s *Server) pollJSON(st *Status) any {
	if st.Poll == nil {
		return nil
	}
	options := []any{}
	for _, o := range st.Poll.Options {
		var votes any = 0
		if st.Poll.HideTotals {
			votes = nil
		}
		options = append(options, map[string]any{"title": o, "votes_count": votes})
	}
	expiresAt := st.CreatedAt.Add(time.Duration(st.Poll.ExpiresIn) * time.Second)
	var voters any
	if st.Poll.Multiple {
		voters = 0
	}
	return map[string]any{
		"id": st.ID, "expires_at": expiresAt.UTC().Format("2006-01-02T15:04:05.000Z"), "expired": !s.now().Before(expiresAt),
		"multiple": st.Poll.Multiple, "votes_count": 0, "voters_count": voters, "options": options, "emojis": []any{},
	}
}

// getStatuses is GET /api/v1/statuses?id[]= (Mastodon 4.3): at most 20.
func (s *Server) getStatuses(r *http.Request) (int, any) {
	if s.NoBatchStats {
		return http.StatusNotFound, errorBody{"error": "Not Found"}
	}
	ids := r.URL.Query()["id[]"]
	if len(ids) == 0 {
		s.errorf("GET /api/v1/statuses without id[]")
	}
	if len(ids) > 20 {
		return http.StatusUnprocessableEntity, errorBody{"error": "Validation failed"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []any{}
	for _, id := range ids {
		if st := s.status(id); st != nil {
			out = append(out, s.statusJSON(st))
		}
	}
	return http.StatusOK, out
}

func (s *Server) getStatus(id string) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.status(id)
	if st == nil {
		return notFound()
	}
	return http.StatusOK, s.statusJSON(st)
}

// statusJSON is a Status entity, as Mastodon serializes it (without the
// source text, which it gives only on delete).
func (s *Server) statusJSON(st *Status) map[string]any {
	var reply, lang any
	if st.InReplyToID != "" {
		reply = st.InReplyToID
	}
	if st.Language != "" {
		lang = st.Language
	}
	attachments := []any{}
	for _, id := range st.MediaIDs {
		attachments = append(attachments, s.mediaJSON(s.media[id]))
	}
	j := map[string]any{
		"id": st.ID, "created_at": st.CreatedAt.UTC().Format("2006-01-02T15:04:05.000Z"),
		"in_reply_to_id": reply, "in_reply_to_account_id": nil, "sensitive": false, "spoiler_text": "",
		"visibility": st.Visibility, "language": lang,
		"uri": fmt.Sprintf("%s/users/%s/statuses/%s", s.base(), s.Acct, st.ID), "url": s.statusURL(st.ID),
		"replies_count": st.Replies, "reblogs_count": st.Reblogs, "favourites_count": st.Favourites,
		"content": s.content(st.Text), "reblog": nil, "media_attachments": attachments,
		"account":  map[string]any{"id": s.AccountID, "username": s.Acct, "acct": s.Acct},
		"mentions": []any{}, "tags": []any{}, "emojis": []any{}, "card": nil, "poll": s.pollJSON(st),
	}
	if st.Quotes != nil {
		j["quotes_count"] = *st.Quotes
	}
	if st.Reblog {
		j["reblog"] = map[string]any{"id": "1", "content": "<p>someone else</p>"}
	}
	return j
}

// token is what Mastodon's formatter turns into a link: a URL, a mention,
// a hashtag.
var token = regexp.MustCompile(`https?://[^\s<>"]+|(?:^|\B)@(\w+)(?:@([\w-]+(?:\.[\w-]+)+))?|(?:^|\B)#(\w+)`)

// content renders a text as Mastodon's TextFormatter does: paragraphs,
// line breaks, escaped text, shortened links with their hidden parts,
// mentions shown as @user alone, hashtags.
func (s *Server) content(text string) string {
	var b strings.Builder
	for _, para := range regexp.MustCompile(`\n\n+`).Split(strings.TrimSpace(text), -1) {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br />")
			}
			last := 0
			for _, m := range token.FindAllStringSubmatchIndex(line, -1) {
				b.WriteString(html.EscapeString(line[last:m[0]]))
				b.WriteString(s.link(line, m))
				last = m[1]
			}
			b.WriteString(html.EscapeString(line[last:]))
		}
		b.WriteString("</p>")
	}
	return b.String()
}

func (s *Server) link(line string, m []int) string {
	whole := line[m[0]:m[1]]
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return line[m[2*i]:m[2*i+1]]
	}
	switch {
	case strings.HasPrefix(whole, "http"):
		scheme, rest, _ := strings.Cut(whole, "://")
		shown, hidden := rest, ""
		if len(rest) > 30 {
			shown, hidden = rest[:30], rest[30:]
		}
		return fmt.Sprintf(`<a href="%s" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">%s://</span><span class="ellipsis">%s</span><span class="invisible">%s</span></a>`,
			html.EscapeString(whole), scheme, html.EscapeString(shown), html.EscapeString(hidden))
	case group(1) != "":
		domain := group(2)
		if domain == "" {
			domain = strings.TrimPrefix(s.base(), "http://")
		}
		return fmt.Sprintf(`<span class="h-card" translate="no"><a href="https://%s/@%s" class="u-url mention">@<span>%s</span></a></span>`, domain, group(1), group(1))
	default:
		return fmt.Sprintf(`<a href="%s/tags/%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`, s.base(), strings.ToLower(group(3)), group(3))
	}
}
