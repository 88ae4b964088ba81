package x

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// chunkSize is the size of an append segment of a chunked upload.
const chunkSize = 4 << 20

// maxPolls bounds how many times a processing medium's status is read.
const maxPolls = 30

// mediaData is the data of the media upload answers.
type mediaData struct {
	Data struct {
		ID             string `json:"id"`
		ProcessingInfo *struct {
			State          string `json:"state"`
			CheckAfterSecs int    `json:"check_after_secs"`
		} `json:"processing_info"`
	} `json:"data"`
}

// upload sends a medium and sets its alt text, and returns its media id.
// Images go in one request (POST /2/media/upload); videos and GIFs in
// chunks (initialize, append, finalize), then their status is read until
// X has processed them. Nobody sees a medium until a post carries it:
// every step may be sent again.
func (c *Client) upload(ctx context.Context, files fs.FS, m networks.Medium) (string, error) {
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return "", c.permanent(fmt.Errorf("medium %s: %w", m.Path, err))
	}
	var id string
	switch {
	case strings.HasPrefix(m.MIME, "video/"):
		id, err = c.chunked(ctx, m, data, "tweet_video")
	case m.MIME == "image/gif":
		id, err = c.chunked(ctx, m, data, "tweet_gif")
	case strings.HasPrefix(m.MIME, "image/"):
		id, err = c.oneShot(ctx, m, data)
	default:
		return "", c.permanent(fmt.Errorf("medium %s: X takes images and videos, not %s", m.Path, m.MIME))
	}
	if err != nil {
		return "", fmt.Errorf("medium %s: %w", m.Path, err)
	}
	if m.Alt != "" {
		body := map[string]any{"id": id, "metadata": map[string]any{"alt_text": map[string]string{"text": m.Alt}}}
		if err := c.postJSON(ctx, "/2/media/metadata", body, true, nil); err != nil {
			return "", fmt.Errorf("medium %s: alt text: %w", m.Path, err)
		}
	}
	return id, nil
}

// oneShot uploads an image as multipart/form-data: media and
// media_category (MediaUploadRequest).
func (c *Client) oneShot(ctx context.Context, m networks.Medium, data []byte) (string, error) {
	var out mediaData
	err := c.multipart(ctx, "/2/media/upload", map[string]string{"media_category": "tweet_image"}, path.Base(m.Path), m.MIME, data, &out)
	if err != nil {
		return "", err
	}
	if out.Data.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("POST /2/media/upload: the answer has no data.id")}
	}
	return out.Data.ID, nil
}

// chunked uploads a video or GIF: POST /2/media/upload/initialize, then
// /2/media/upload/{id}/append per segment, /2/media/upload/{id}/finalize,
// and GET /2/media/upload?command=STATUS while X processes it.
func (c *Client) chunked(ctx context.Context, m networks.Medium, data []byte, category string) (string, error) {
	var init mediaData
	err := c.postJSON(ctx, "/2/media/upload/initialize",
		map[string]any{"media_type": m.MIME, "total_bytes": len(data), "media_category": category}, true, &init)
	if err != nil {
		return "", err
	}
	id := init.Data.ID
	if id == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("POST /2/media/upload/initialize: the answer has no data.id")}
	}
	for i := 0; i*chunkSize < len(data); i++ {
		chunk := data[i*chunkSize : min((i+1)*chunkSize, len(data))]
		err := c.multipart(ctx, "/2/media/upload/"+url.PathEscape(id)+"/append",
			map[string]string{"segment_index": strconv.Itoa(i)}, path.Base(m.Path), m.MIME, chunk, nil)
		if err != nil {
			return "", err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/2/media/upload/"+url.PathEscape(id)+"/finalize", nil), nil)
	if err != nil {
		return "", err
	}
	var fin mediaData
	if err := c.send(httpx.MarkIdempotent(req), &fin); err != nil {
		return "", err
	}
	info := fin.Data.ProcessingInfo
	for attempt := 0; info != nil && info.State != "succeeded"; attempt++ {
		if info.State == "failed" {
			return "", c.permanent(fmt.Errorf("X could not process the medium (media id %s)", id))
		}
		if attempt >= maxPolls {
			return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: fmt.Errorf("X is still processing the medium (media id %s)", id)}
		}
		if err := c.http.Wait(ctx, attempt); err != nil {
			return "", &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("X is still processing the medium (media id %s): %w", id, err)}
		}
		var st mediaData
		if err := c.get(ctx, "/2/media/upload", url.Values{"media_id": {id}, "command": {"STATUS"}}, &st); err != nil {
			return "", err
		}
		info = st.Data.ProcessingInfo
	}
	return id, nil
}

// multipart POSTs a multipart/form-data body: fields, then the bytes as
// the part media.
func (c *Client) multipart(ctx context.Context, p string, fields map[string]string, name, mimeType string, data []byte, out any) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			return err
		}
	}
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{fmt.Sprintf(`form-data; name="media"; filename=%q`, name)}
	h["Content-Type"] = []string{mimeType}
	part, err := w.CreatePart(h)
	if err != nil {
		return err
	}
	part.Write(data)
	if err := w.Close(); err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint(p, nil), bytes.NewReader(buf.Bytes()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.send(httpx.MarkIdempotent(req), out)
}
