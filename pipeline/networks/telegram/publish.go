package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// Bot API limits Herald keeps to before it sends.
const (
	// maxGroup is the most media sendMediaGroup takes ("2-10 items").
	maxGroup = 10
	// openPeriodMin and openPeriodMax bound sendPoll's open_period, in
	// seconds ("5-600"); a poll open longer is sent without one (it stays
	// open until closed).
	openPeriodMin, openPeriodMax = 5, 600
)

// ErrNoHistory is what Lookup returns: a bot cannot read a chat's
// history, so nothing tells whether an interrupted run's message went out.
// herald publish reports the item unconfirmed, with the command a person
// runs once they have looked in the chat (herald publish --confirm).
var ErrNoHistory = errors.New("the Telegram Bot API cannot read a chat's history, so Herald cannot tell whether an interrupted run's post went out")

// message is the part of the Bot API's Message object Herald reads.
type message struct {
	MessageID int64 `json:"message_id"`
}

// Publish sends each part of p, in order, each after the first replying
// to the one before: a poll (the first part's text as its question) where
// p has one, a text, a photo with its caption, or an album of 2 to 10
// photos with the caption on the first. On an error, the Result holds the
// messages that were sent; an error after the first part is Transient
// (see halfSent).
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	var res networks.Result
	var prev int64
	for i, part := range p.Parts {
		var id int64
		var err error
		if i == 0 && p.Poll != nil {
			id, err = c.sendPoll(ctx, part, p.Poll)
		} else {
			id, err = c.sendPart(ctx, p.Files, part, prev)
		}
		if err != nil {
			if i > 0 {
				return res, c.halfSent(err, i, len(p.Parts), res)
			}
			if len(p.Parts) > 1 {
				err = fmt.Errorf("part 1 of %d: %w", len(p.Parts), err)
			}
			return res, err
		}
		res.IDs = append(res.IDs, strconv.FormatInt(id, 10))
		if u := c.link(id); u != "" {
			res.URLs = append(res.URLs, u)
		}
		prev = id
	}
	return res, nil
}

// halfSent is the error of a thread that stopped at part i (from 0)
// after the parts before it went out. The publish engine journals no
// partial result and tries a failed publication again from its first
// part, which would post those parts twice: the error is Transient,
// whatever stopped the thread, so that the engine asks Lookup first, which
// leaves the thread for a person to finish.
func (c *Client) halfSent(err error, i, parts int, res networks.Result) error {
	sent := strings.Join(res.IDs, ", ")
	if len(res.URLs) > 0 {
		sent = strings.Join(res.URLs, " ")
	}
	went := "part 1 went out"
	if i > 1 {
		went = fmt.Sprintf("parts 1 to %d went out", i)
	}
	return &networks.Error{Kind: networks.Transient, Account: c.account,
		Err: fmt.Errorf("part %d of %d: %s; %s (%s): Herald does not send them again, a person must finish the thread",
			i+1, parts, networks.Reason(err, c.account), went, sent)}
}

// replyTo is reply_parameters for a reply to message id.
func replyTo(id int64) map[string]any { return map[string]any{"message_id": id} }

// sendPart sends one part: sendMessage, sendPhoto or sendMediaGroup, as a
// reply to message prev unless it is 0. It returns the id of the part's
// (first) message.
func (c *Client) sendPart(ctx context.Context, files fs.FS, part networks.Part, prev int64) (int64, error) {
	for _, m := range part.Media {
		if !strings.HasPrefix(m.MIME, "image/") {
			return 0, c.permanent(fmt.Errorf("medium %s is %s: Herald sends only images to Telegram", m.Path, m.MIME))
		}
	}
	switch n := len(part.Media); {
	case n == 0:
		params := map[string]any{"chat_id": c.chat, "text": part.Text, "parse_mode": "HTML"}
		if prev != 0 {
			params["reply_parameters"] = replyTo(prev)
		}
		var msg message
		if err := c.call(ctx, "sendMessage", params, &msg); err != nil {
			return 0, err
		}
		return c.sent("sendMessage", msg)
	case n > maxGroup:
		return 0, c.permanent(fmt.Errorf("a Telegram album holds at most %d photos, this part has %d", maxGroup, n))
	}
	form := newForm()
	form.field("chat_id", c.chat)
	if prev != 0 {
		form.json("reply_parameters", replyTo(prev))
	}
	if len(part.Media) == 1 {
		if err := form.file(files, "photo", part.Media[0]); err != nil {
			return 0, c.permanent(err)
		}
		if part.Text != "" {
			form.field("caption", part.Text)
			form.field("parse_mode", "HTML")
		}
		var msg message
		if err := c.upload(ctx, "sendPhoto", form, &msg); err != nil {
			return 0, err
		}
		return c.sent("sendPhoto", msg)
	}
	var media []map[string]string
	for i, m := range part.Media {
		name := "photo" + strconv.Itoa(i+1)
		if err := form.file(files, name, m); err != nil {
			return 0, c.permanent(err)
		}
		item := map[string]string{"type": "photo", "media": "attach://" + name}
		if i == 0 && part.Text != "" {
			item["caption"], item["parse_mode"] = part.Text, "HTML"
		}
		media = append(media, item)
	}
	form.json("media", media)
	var msgs []message
	if err := c.upload(ctx, "sendMediaGroup", form, &msgs); err != nil {
		return 0, err
	}
	if len(msgs) == 0 {
		return 0, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("sendMediaGroup: the answer has no message")}
	}
	return c.sent("sendMediaGroup", msgs[0])
}

// sent checks that a sent message has an id.
func (c *Client) sent(method string, msg message) (int64, error) {
	if msg.MessageID == 0 {
		return 0, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("%s: the answer has no message_id", method)}
	}
	return msg.MessageID, nil
}

// sendPoll sends the poll of a publication, whose question is the first
// part's text without its HTML (a question takes no formatting), as
// sendPoll takes it: options as InputPollOption, open_period only within
// 5-600 s, anonymous (as a channel's polls must be).
func (c *Client) sendPoll(ctx context.Context, part networks.Part, poll *networks.Poll) (int64, error) {
	if len(part.Media) > 0 {
		return 0, c.permanent(errors.New("a Telegram poll carries no media: move the media to a part of their own, or drop the poll"))
	}
	options := make([]map[string]string, len(poll.Options))
	for i, o := range poll.Options {
		options[i] = map[string]string{"text": o}
	}
	params := map[string]any{"chat_id": c.chat, "question": visible(part.Text), "options": options}
	if s := int(poll.ExpiresIn / time.Second); s >= openPeriodMin && s <= openPeriodMax {
		params["open_period"] = s
	}
	if poll.Multiple {
		params["allows_multiple_answers"] = true
	}
	var msg message
	if err := c.call(ctx, "sendPoll", params, &msg); err != nil {
		return 0, err
	}
	return c.sent("sendPoll", msg)
}

var tag = regexp.MustCompile(`<[^>]*>`)

// visible is a text in Telegram's HTML parse mode as people read it.
func visible(text string) string {
	return strings.TrimSpace(html.UnescapeString(tag.ReplaceAllString(text, "")))
}

// multipartForm is a multipart/form-data body being written.
type multipartForm struct {
	buf bytes.Buffer
	w   *multipart.Writer
	err error
}

func newForm() *multipartForm {
	f := &multipartForm{}
	f.w = multipart.NewWriter(&f.buf)
	return f
}

func (f *multipartForm) field(name, value string) {
	if f.err == nil {
		f.err = f.w.WriteField(name, value)
	}
}

func (f *multipartForm) json(name string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		f.err = err
		return
	}
	f.field(name, string(b))
}

// file adds a calendar's file under a field name; an unreadable file is
// the error returned.
func (f *multipartForm) file(files fs.FS, name string, m networks.Medium) error {
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return fmt.Errorf("medium %s: %w", m.Path, err)
	}
	if f.err != nil {
		return nil
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, path.Base(m.Path)))
	h.Set("Content-Type", m.MIME)
	w, err := f.w.CreatePart(h)
	if err == nil {
		_, err = w.Write(data)
	}
	f.err = err
	return nil
}

// upload sends a method with a multipart body.
func (c *Client) upload(ctx context.Context, method string, form *multipartForm, out any) error {
	if form.err == nil {
		form.err = form.w.Close()
	}
	if form.err != nil {
		return form.err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(method), bytes.NewReader(form.buf.Bytes()))
	if err != nil {
		return c.scrubbed(err)
	}
	req.Header.Set("Content-Type", form.w.FormDataContentType())
	return c.send(req, method, out)
}

// Lookup cannot find a publication: a bot cannot read a chat's history.
// It returns an Unsupported error that wraps ErrNoHistory, on which the
// publish engine leaves the item in progress for a person to confirm,
// rather than send it a second time.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	return networks.Result{}, false, &networks.Error{Kind: networks.Unsupported, Account: c.account, Err: ErrNoHistory}
}

// Stats is unsupported: the Bot API gives a bot neither the views nor the
// reactions of a channel's posts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	return nil, &networks.Error{Kind: networks.Unsupported, Account: c.account,
		Err: errors.New("the Telegram Bot API gives a bot no views or reactions of a channel's posts")}
}
