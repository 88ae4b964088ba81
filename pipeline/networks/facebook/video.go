package facebook

import (
	"bytes"
	"context"
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

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// maxTransfers bounds the transfer requests of one upload: Facebook
// chooses the chunks' sizes, and a server that never moves its offset on
// must not keep Herald uploading.
const maxTransfers = 10_000

// publishVideo publishes a part whose medium is a video as a video post
// of the Page, through the Graph API's resumable upload
// (POST /{page-id}/videos, Uploading Videos with the Graph API): a start
// phase with the file's size gives an upload session, the video's id and
// the first chunk's offsets; each transfer phase sends the chunk Facebook
// asked for (video_file_chunk) and gets the next offsets, until the start
// offset is the end one; the finish phase publishes the video with the
// text as its description (and the post's title). Nobody sees the video
// before finish: start and transfer may be sent again, finish is not.
// The video's id is the publication's: Stats reads it as a video.
//
// Meta's older guides send uploads to graph-video.facebook.com; the
// current ones say that host is deprecated in favour of
// graph.facebook.com, the account's api:, which Herald uses for every
// call.
func (c *Client) publishVideo(ctx context.Context, p networks.Publication, part networks.Part) (networks.Result, error) {
	m := part.Media[0]
	f, err := p.Files.Open(m.Path)
	if err != nil {
		return networks.Result{}, c.permanent(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return networks.Result{}, c.permanent(err)
	}
	at, size, err := readerAt(f, fi)
	if err != nil {
		return networks.Result{}, c.permanent(err)
	}
	var start struct {
		UploadSessionID string `json:"upload_session_id"`
		VideoID         string `json:"video_id"`
		StartOffset     string `json:"start_offset"`
		EndOffset       string `json:"end_offset"`
	}
	if err := c.videoPhase(ctx, map[string]string{"upload_phase": "start", "file_size": strconv.FormatInt(size, 10)}, nil, true, &start); err != nil {
		return networks.Result{}, fmt.Errorf("medium %s: %w", m.Path, err)
	}
	if start.UploadSessionID == "" || start.VideoID == "" {
		return networks.Result{}, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /{page-id}/videos (start): the answer has no upload_session_id or video_id")}
	}
	from, to := start.StartOffset, start.EndOffset
	for transfers := 0; ; transfers++ {
		lo, hi, err := c.offsets(from, to, size)
		if err != nil {
			return networks.Result{}, err
		}
		if lo == hi {
			break
		}
		if transfers == maxTransfers {
			return networks.Result{}, &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("POST /{page-id}/videos: still asked for bytes %d to %d after %d transfers: Herald stops here, the video is not published", lo, hi, maxTransfers)}
		}
		chunk := &fileChunk{name: path.Base(m.Path), r: io.NewSectionReader(at, lo, hi-lo)}
		var next struct {
			StartOffset string `json:"start_offset"`
			EndOffset   string `json:"end_offset"`
		}
		fields := map[string]string{"upload_phase": "transfer", "upload_session_id": start.UploadSessionID, "start_offset": from}
		if err := c.videoPhase(ctx, fields, chunk, true, &next); err != nil {
			return networks.Result{}, fmt.Errorf("medium %s, bytes %d to %d: %w", m.Path, lo, hi, err)
		}
		from, to = next.StartOffset, next.EndOffset
	}
	finish := map[string]string{"upload_phase": "finish", "upload_session_id": start.UploadSessionID}
	if part.Text != "" {
		finish["description"] = part.Text
	}
	if t := strings.TrimSpace(p.Title); t != "" {
		finish["title"] = t
	}
	var done struct {
		Success bool `json:"success"`
	}
	if err := c.videoPhase(ctx, finish, nil, false, &done); err != nil {
		return networks.Result{}, err
	}
	if !done.Success {
		return networks.Result{}, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /{page-id}/videos (finish): the answer is not success: the video may be published, Lookup will tell")}
	}
	return videoResult(c.page, start.VideoID), nil
}

// videoResult is the Result of a video post: the video's id and its page.
func videoResult(page, id string) networks.Result {
	return networks.Result{IDs: []string{id}, URLs: []string{"https://www.facebook.com/" + page + "/videos/" + id + "/"}}
}

// isVideoID tells a video's id (digits) from a Page post's
// ({page-id}_{post-id}).
func isVideoID(id string) bool { return !strings.Contains(id, "_") }

// offsets reads the offsets Facebook asks for next, which must lie within
// the file.
func (c *Client) offsets(from, to string, size int64) (int64, int64, error) {
	lo, err1 := strconv.ParseInt(from, 10, 64)
	hi, err2 := strconv.ParseInt(to, 10, 64)
	if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi > size {
		return 0, 0, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("POST /{page-id}/videos: offsets %q to %q are not within the %d-byte file", from, to, size)}
	}
	return lo, hi, nil
}

// fileChunk is the video_file_chunk of a transfer phase.
type fileChunk struct {
	name string
	r    *io.SectionReader
}

// videoPhase sends one phase of the upload to POST /{page-id}/videos as
// multipart/form-data, as the docs' examples do (-F), with the chunk of a
// transfer phase.
func (c *Client) videoPhase(ctx context.Context, fields map[string]string, chunk *fileChunk, idempotent bool, out any) error {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for _, k := range []string{"upload_phase", "upload_session_id", "file_size", "start_offset", "title", "description"} {
		if v, ok := fields[k]; ok {
			w.WriteField(k, v)
		}
	}
	if chunk != nil {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="video_file_chunk"; filename=%q`, chunk.name))
		h.Set("Content-Type", "application/octet-stream")
		fw, err := w.CreatePart(h)
		if err != nil {
			return c.permanent(err)
		}
		if _, err := io.Copy(fw, io.NewSectionReader(chunk.r, 0, chunk.r.Size())); err != nil {
			return c.permanent(err)
		}
	}
	if err := w.Close(); err != nil {
		return c.permanent(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/"+url.PathEscape(c.page)+"/videos", nil), bytes.NewReader(body.Bytes()))
	if err != nil {
		return c.permanent(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if idempotent {
		req = httpx.MarkIdempotent(req)
	}
	return c.send(req, out)
}

// readerAt reads a file at offsets: the file itself where it can, else
// its bytes read whole.
func readerAt(f fs.File, fi fs.FileInfo) (io.ReaderAt, int64, error) {
	if at, ok := f.(io.ReaderAt); ok {
		return at, fi.Size(), nil
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, 0, err
	}
	return bytes.NewReader(data), int64(len(data)), nil
}
