package facebook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// Publish posts p on the Page as one post: its images uploaded
// unpublished first, then the post with its message and the images
// attached. The engine asks Lookup before it publishes again after a
// failure: the post itself is never sent twice.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	if len(p.Parts) > 1 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s is a thread of %d parts: a Facebook Page post has no thread; make it one part for this account", p.PostID, len(p.Parts)))
	}
	if p.Poll != nil {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has a poll: the Graph API makes no poll on a Page", p.PostID))
	}
	part := p.Parts[0]
	if strings.TrimSpace(part.Text) == "" && len(part.Media) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	for _, m := range part.Media {
		if strings.HasPrefix(m.MIME, "video/") {
			// A video is a post of its own: nothing goes beside it.
			if len(part.Media) > 1 {
				return networks.Result{}, c.permanent(fmt.Errorf("post %s has a video and %d other media: a Facebook video post holds the video alone; make the video a post of its own", p.PostID, len(part.Media)-1))
			}
			return c.publishVideo(ctx, p, part)
		}
	}
	form := url.Values{}
	if part.Text != "" {
		form.Set("message", part.Text)
	}
	for i, m := range part.Media {
		id, err := c.uploadPhoto(ctx, p.Files, m)
		if err != nil {
			return networks.Result{}, fmt.Errorf("medium %s: %w", m.Path, err)
		}
		ref, _ := json.Marshal(map[string]string{"media_fbid": id})
		form.Set("attached_media["+strconv.Itoa(i)+"]", string(ref))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/"+url.PathEscape(c.page)+"/feed", nil), strings.NewReader(form.Encode()))
	if err != nil {
		return networks.Result{}, c.permanent(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// Not marked idempotent: a post that may have reached Facebook is
	// looked up, not sent again.
	var out struct {
		ID string `json:"id"`
	}
	if err := c.send(req, &out); err != nil {
		return networks.Result{}, err
	}
	if out.ID == "" {
		return networks.Result{}, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /{page-id}/feed: the answer has no post id")}
	}
	return resultOf(out.ID), nil
}

// resultOf is the Result of a Page post: its id ({page-id}_{post-id})
// and its page on facebook.com.
func resultOf(id string) networks.Result {
	return networks.Result{IDs: []string{id}, URLs: []string{"https://www.facebook.com/" + id}}
}

// uploadPhoto uploads a medium as an unpublished photo of the Page and
// returns its id. Nobody sees an unpublished photo until a post attaches
// it: the upload may be sent again.
func (c *Client) uploadPhoto(ctx context.Context, files fs.FS, m networks.Medium) (string, error) {
	if !strings.HasPrefix(m.MIME, "image/") {
		return "", c.permanent(fmt.Errorf("%s is %s: a Facebook Page post takes photos, or one video alone", m.Path, m.MIME))
	}
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return "", c.permanent(err)
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("published", "false")
	if m.Alt != "" {
		w.WriteField("alt_text_custom", m.Alt)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="source"; filename=%q`, path.Base(m.Path)))
	h.Set("Content-Type", m.MIME)
	fw, err := w.CreatePart(h)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", c.permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/"+url.PathEscape(c.page)+"/photos", nil), bytes.NewReader(body.Bytes()))
	if err != nil {
		return "", c.permanent(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var out struct {
		ID string `json:"id"`
	}
	if err := c.send(httpx.MarkIdempotent(req), &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /{page-id}/photos: the answer has no photo id")}
	}
	return out.ID, nil
}
