package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// EventType is the event_type of the metadata of Herald's messages.
const EventType = "herald_post"

// payload is the event_payload of a Herald message's metadata.
type payload struct {
	IdempotencyKey string `json:"idempotency_key"`
	Post           string `json:"post"`
	Digest         string `json:"digest"`
	Part           int    `json:"part"` // from 0
}

type metadata struct {
	EventType    string  `json:"event_type"`
	EventPayload payload `json:"event_payload"`
}

// postMessage is the body of chat.postMessage as Herald sends it.
type postMessage struct {
	Channel  string   `json:"channel"`
	Text     string   `json:"text"`
	ThreadTS string   `json:"thread_ts,omitempty"`
	Metadata metadata `json:"metadata"`
}

// Publish posts each part of p as a message, the first in the channel and
// the others in its thread, after the messages the channel already has
// of p (a run that stopped halfway): a thread already whole is not posted
// again. On an error, the Result holds the messages that exist.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	for i, part := range p.Parts {
		if part.Text == "" {
			return networks.Result{}, c.permanent(fmt.Errorf("post %s: part %d has no text: every Slack message Herald posts carries text, where its metadata goes", p.PostID, i+1))
		}
	}
	if p.IdempotencyKey == "" {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no idempotency key: Herald finds its Slack messages by it", p.PostID))
	}
	ids, err := c.find(ctx, p)
	if err != nil {
		return networks.Result{}, err
	}
	res := networks.Result{IDs: ids}
	for i := len(ids); i < len(p.Parts); i++ {
		root := ""
		if i > 0 {
			root = res.IDs[0]
		}
		ts, err := c.postPart(ctx, p, i, root)
		if ts != "" {
			res.IDs = append(res.IDs, ts)
		}
		if err != nil {
			if len(p.Parts) > 1 {
				err = fmt.Errorf("part %d of %d: %w", i+1, len(p.Parts), err)
			}
			return res, err
		}
	}
	res.URLs = c.permalinks(ctx, res.IDs)
	return res, nil
}

// postPart uploads a part's images, posts its message with the metadata,
// then shares the images beside it; it returns the message's ts, set
// also when sharing the images failed.
func (c *Client) postPart(ctx context.Context, p networks.Publication, i int, root string) (string, error) {
	part := p.Parts[i]
	var files []fileRef
	for _, m := range part.Media {
		f, err := c.upload(ctx, p.Files, m)
		if err != nil {
			return "", err
		}
		files = append(files, f)
	}
	msg := postMessage{Channel: c.channel, Text: part.Text, ThreadTS: root, Metadata: metadata{EventType: EventType,
		EventPayload: payload{IdempotencyKey: p.IdempotencyKey, Post: p.PostID, Digest: p.Digest, Part: i}}}
	var out struct {
		TS string `json:"ts"`
	}
	// Not sent again after it may have reached Slack: the engine looks
	// the message up by its metadata first.
	if _, err := c.postJSON(ctx, "chat.postMessage", msg, false, &out); err != nil {
		return "", err
	}
	if out.TS == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("chat.postMessage: the answer has no ts")}
	}
	if len(files) > 0 {
		thread := root
		if err := c.share(ctx, files, thread); err != nil {
			return out.TS, fmt.Errorf("the message is posted (ts %s), its images are not: %w", out.TS, err)
		}
	}
	return out.TS, nil
}

// fileRef is an uploaded file, not shared yet.
type fileRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// upload sends a medium's bytes as files.getUploadURLExternal says: ask
// for a URL (with the file's name, length and alt text), POST the bytes
// to it. Nobody sees the file until it is shared: both steps may be sent
// again.
func (c *Client) upload(ctx context.Context, files fs.FS, m networks.Medium) (fileRef, error) {
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return fileRef{}, c.permanent(fmt.Errorf("medium %s: %w", m.Path, err))
	}
	name := path.Base(m.Path)
	form := url.Values{"filename": {name}, "length": {strconv.Itoa(len(data))}}
	if m.Alt != "" {
		form.Set("alt_txt", m.Alt)
	}
	var out struct {
		UploadURL string `json:"upload_url"`
		FileID    string `json:"file_id"`
	}
	if _, err := c.postForm(ctx, "files.getUploadURLExternal", form, &out); err != nil {
		return fileRef{}, fmt.Errorf("medium %s: %w", m.Path, err)
	}
	if out.UploadURL == "" || out.FileID == "" {
		return fileRef{}, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("files.getUploadURLExternal: the answer has no upload_url or file_id")}
	}
	// The upload URL is Slack's file service, not the Web API: it takes no
	// token, and gets none.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, out.UploadURL, bytes.NewReader(data))
	if err != nil {
		return fileRef{}, c.permanent(fmt.Errorf("files.getUploadURLExternal gave an upload URL Herald cannot use: %v", err))
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.http.Do(httpx.MarkIdempotent(req))
	if err != nil {
		return fileRef{}, fmt.Errorf("medium %s: %w", m.Path, err)
	}
	resp.Body.Close()
	return fileRef{ID: out.FileID, Title: name}, nil
}

// share shares uploaded files in the channel (files.completeUploadExternal),
// in the thread of root when it is set. Sent again, it would share them
// twice: it is not.
func (c *Client) share(ctx context.Context, files []fileRef, root string) error {
	args := map[string]any{"files": files, "channel_id": c.channel}
	if root != "" {
		args["thread_ts"] = root
	}
	_, err := c.postJSON(ctx, "files.completeUploadExternal", args, false, nil)
	return err
}

// permalinks returns the web page of each message (chat.getPermalink), or
// none when one of them cannot be had: the messages exist all the same.
func (c *Client) permalinks(ctx context.Context, ids []string) []string {
	var urls []string
	for _, ts := range ids {
		var out struct {
			Permalink string `json:"permalink"`
		}
		_, err := c.get(ctx, "chat.getPermalink", url.Values{"channel": {c.channel}, "message_ts": {ts}}, &out)
		if err != nil || out.Permalink == "" {
			fmt.Fprintf(c.log, "chat.getPermalink %s: %v; the publication is journaled without links\n", ts, err)
			return nil
		}
		urls = append(urls, out.Permalink)
	}
	return urls
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}
