package discord

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// message is the part of Discord's message object Herald reads.
type message struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	Content   string `json:"content"`
	// Nonce is in the answer to a create, and in the gateway's events:
	// a message read later has none.
	Nonce            any        `json:"nonce"`
	Author           user       `json:"author"`
	Attachments      []attached `json:"attachments"`
	MessageReference *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
	Reactions []struct {
		Count int64 `json:"count"`
	} `json:"reactions"`
}

type attached struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description"`
}

// create is the body of Create Message and Execute Webhook, as Herald
// sends it: the fields both take, and, for a bot, nonce, enforce_nonce
// and message_reference.
type create struct {
	Content          string       `json:"content,omitempty"`
	Nonce            string       `json:"nonce,omitempty"`
	EnforceNonce     bool         `json:"enforce_nonce,omitempty"`
	MessageReference *reference   `json:"message_reference,omitempty"`
	Attachments      []attachment `json:"attachments,omitempty"`
	Poll             *poll        `json:"poll,omitempty"`
}

type reference struct {
	MessageID string `json:"message_id"`
}

type attachment struct {
	ID          int    `json:"id"`
	Filename    string `json:"filename"`
	Description string `json:"description,omitempty"`
}

type poll struct {
	Question         pollMedia    `json:"question"`
	Answers          []pollAnswer `json:"answers"`
	Duration         int          `json:"duration,omitempty"`
	AllowMultiselect bool         `json:"allow_multiselect"`
}

type pollMedia struct {
	Text string `json:"text"`
}

type pollAnswer struct {
	PollMedia pollMedia `json:"poll_media"`
}

// Publish posts each part of p as a message, in order: with a bot, the
// parts after the first reply to the one before, and the messages the
// channel already has for p's first parts (a run that stopped halfway)
// are not posted again; with a webhook, the parts follow each other. On
// an error, the Result holds the messages that exist.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	guild, err := c.guildID(ctx)
	if err != nil {
		return networks.Result{}, err
	}
	var done []*message
	if c.webhook == nil {
		if done, err = c.find(ctx, p); err != nil {
			return networks.Result{}, err
		}
	}
	res := c.resultOf(guild, done)
	for i := len(done); i < len(p.Parts); i++ {
		replyTo := ""
		if i > 0 && c.webhook == nil {
			replyTo = res.IDs[i-1]
		}
		m, err := c.postPart(ctx, p, i, replyTo)
		if err != nil {
			if len(p.Parts) > 1 {
				err = fmt.Errorf("part %d of %d: %w", i+1, len(p.Parts), err)
			}
			return res, err
		}
		res.IDs = append(res.IDs, m.ID)
		if guild != "" {
			res.URLs = append(res.URLs, c.link(guild, m))
		}
	}
	return res, nil
}

// resultOf is the Result of messages found in the channel.
func (c *Client) resultOf(guild string, msgs []*message) networks.Result {
	var r networks.Result
	for _, m := range msgs {
		r.IDs = append(r.IDs, m.ID)
		if guild != "" {
			r.URLs = append(r.URLs, c.link(guild, m))
		}
	}
	return r
}

// link is a message's web page.
func (c *Client) link(guild string, m *message) string {
	ch := m.ChannelID
	if ch == "" {
		ch = c.channel
	}
	return "https://discord.com/channels/" + guild + "/" + ch + "/" + m.ID
}

// Nonce is the nonce of part i (from 0) of a publication whose
// idempotency key is key: 25 characters (Discord's most) of a hash of
// both. "" when the publication has no key.
func Nonce(key string, i int) string {
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key + "#" + strconv.Itoa(i+1)))
	return strings.ToLower(base32.HexEncoding.EncodeToString(sum[:]))[:25]
}

// postPart creates part i's message: JSON, or multipart/form-data with
// its images as files[n] and the JSON in payload_json.
func (c *Client) postPart(ctx context.Context, p networks.Publication, i int, replyTo string) (*message, error) {
	part := p.Parts[i]
	body := create{Content: part.Text}
	if c.webhook == nil {
		body.Nonce = Nonce(p.IdempotencyKey, i)
		body.EnforceNonce = body.Nonce != ""
	}
	if replyTo != "" {
		body.MessageReference = &reference{MessageID: replyTo}
	}
	if i == 0 && p.Poll != nil {
		body.Poll = pollOf(p)
	}
	var files [][]byte
	for n, m := range part.Media {
		data, err := fs.ReadFile(p.Files, m.Path)
		if err != nil {
			return nil, c.permanent(fmt.Errorf("medium %s: %w", m.Path, err))
		}
		files = append(files, data)
		body.Attachments = append(body.Attachments, attachment{ID: n, Filename: path.Base(m.Path), Description: m.Alt})
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	contentType := "application/json"
	if len(files) > 0 {
		payload, contentType, err = multipartBody(payload, part.Media, files)
		if err != nil {
			return nil, err
		}
	}
	var req *http.Request
	if c.webhook != nil {
		u := *c.webhook
		u.RawQuery = url.Values{"wait": {"true"}}.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(payload))
	} else {
		req, err = c.newRequest(ctx, http.MethodPost, "/channels/"+url.PathEscape(c.channel)+"/messages", nil, bytes.NewReader(payload))
	}
	if err != nil {
		return nil, errors.New("discord: cannot build the request") // its error would say the webhook URL
	}
	req.Header.Set("Content-Type", contentType)
	if body.EnforceNonce {
		// Discord answers a second create with the same nonce, within
		// minutes, with the first message: sending it again is safe.
		req = httpx.MarkIdempotent(req)
	}
	resp, err := c.do(ctx, req)
	if err != nil {
		return nil, err
	}
	var m message
	if err := c.decode(resp, &m); err != nil {
		return nil, err
	}
	if m.ID == "" {
		return nil, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("the answer to the message's creation has no message id")}
	}
	return &m, nil
}

// multipartBody is a create with files: payload_json, then files[n].
func multipartBody(payload []byte, media []networks.Medium, files [][]byte) ([]byte, string, error) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	pw, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	pw.Write(payload)
	for n, m := range media {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="files[%d]"; filename=%q`, n, path.Base(m.Path)))
		h.Set("Content-Type", m.MIME)
		fw, err := w.CreatePart(h)
		if err != nil {
			return nil, "", err
		}
		if _, err := io.Copy(fw, bytes.NewReader(files[n])); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), w.FormDataContentType(), nil
}

// pollOf is a publication's poll as Discord takes it: the question is the
// post's title, else its first part's text, cut to Discord's 300
// characters; the duration is in whole hours, from 1 to 768 (32 days).
func pollOf(p networks.Publication) *poll {
	q := p.Title
	if q == "" {
		q = p.Parts[0].Text
	}
	if r := []rune(strings.TrimSpace(q)); len(r) > 300 {
		q = string(r[:299]) + "…"
	}
	out := &poll{Question: pollMedia{Text: strings.TrimSpace(q)}, AllowMultiselect: p.Poll.Multiple}
	for _, o := range p.Poll.Options {
		out.Answers = append(out.Answers, pollAnswer{PollMedia: pollMedia{Text: o}})
	}
	if d := p.Poll.ExpiresIn; d > 0 {
		hours := int((d + time.Hour - 1) / time.Hour)
		out.Duration = min(max(hours, 1), 768)
	}
	return out
}
