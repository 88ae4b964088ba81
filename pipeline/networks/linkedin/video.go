package linkedin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
)

// Video statuses of GET /rest/videos/{urn} (Videos API, "Video Status").
const (
	videoAvailable        = "AVAILABLE"
	videoProcessingFailed = "PROCESSING_FAILED"
)

// maxVideoPolls bounds how many times a video's status is read while
// LinkedIn processes it; the run's budget ends the wait earlier.
const maxVideoPolls = 60

// uploadInstruction is one part of a multipart video upload: the bytes
// firstByte to lastByte (both included) go to uploadUrl.
type uploadInstruction struct {
	UploadURL string `json:"uploadUrl"`
	FirstByte int64  `json:"firstByte"`
	LastByte  int64  `json:"lastByte"`
}

// uploadVideo uploads a medium through the Videos API and returns its
// video URN once LinkedIn has processed it (status AVAILABLE):
// initializeUpload with the author as owner and the file's size, a PUT of
// each part the answer's uploadInstructions name (LinkedIn cuts a file
// into parts of 4 MiB) collecting each answer's ETag, finalizeUpload with
// those ETags in order, then GET /rest/videos/{urn} until it is
// available. Nobody sees the video until a post holds it: every step may
// be sent again.
func (c *Client) uploadVideo(ctx context.Context, files fs.FS, m networks.Medium) (string, error) {
	f, err := files.Open(m.Path)
	if err != nil {
		return "", c.permanent(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", c.permanent(err)
	}
	size := fi.Size()
	// A part is read from where it starts: straight from the file where
	// it can be read at an offset, else from the file read whole.
	at, ok := f.(io.ReaderAt)
	if !ok {
		data, err := io.ReadAll(f)
		if err != nil {
			return "", c.permanent(err)
		}
		at, size = bytes.NewReader(data), int64(len(data))
	}
	var init struct {
		Value struct {
			Video              string              `json:"video"`
			UploadToken        string              `json:"uploadToken"`
			UploadInstructions []uploadInstruction `json:"uploadInstructions"`
		} `json:"value"`
	}
	body := map[string]any{"initializeUploadRequest": map[string]any{
		"owner": c.author, "fileSizeBytes": size, "uploadCaptions": false, "uploadThumbnail": false}}
	if _, err := c.do(ctx, call{method: http.MethodPost, url: c.endpoint("/rest/videos", "action=initializeUpload"),
		body: body, out: &init, rest: true, idempotent: true}); err != nil {
		return "", err
	}
	v := init.Value
	if v.Video == "" || len(v.UploadInstructions) == 0 {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /rest/videos?action=initializeUpload: the answer has no video or uploadInstructions")}
	}
	etags := make([]string, 0, len(v.UploadInstructions))
	for i, ins := range v.UploadInstructions {
		if ins.FirstByte < 0 || ins.LastByte < ins.FirstByte || ins.LastByte >= size {
			return "", &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("initializeUpload: part %d is bytes %d to %d of a %d-byte file", i+1, ins.FirstByte, ins.LastByte, size)}
		}
		etag, err := c.uploadPart(ctx, io.NewSectionReader(at, ins.FirstByte, ins.LastByte-ins.FirstByte+1), ins.UploadURL)
		if err != nil {
			return "", fmt.Errorf("part %d of %d: %w", i+1, len(v.UploadInstructions), err)
		}
		etags = append(etags, etag)
	}
	finalize := map[string]any{"finalizeUploadRequest": map[string]any{
		"video": v.Video, "uploadToken": v.UploadToken, "uploadedPartIds": etags}}
	if _, err := c.do(ctx, call{method: http.MethodPost, url: c.endpoint("/rest/videos", "action=finalizeUpload"),
		body: finalize, rest: true, idempotent: true}); err != nil {
		return "", err
	}
	return v.Video, c.awaitVideo(ctx, v.Video)
}

// uploadPart PUTs one part of a video to its upload URL and returns the
// ETag LinkedIn answers with, which finalizeUpload names it by.
func (c *Client) uploadPart(ctx context.Context, part *io.SectionReader, uploadURL string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, uploadURL, part)
	if err != nil {
		return "", c.permanent(fmt.Errorf("initializeUpload gave an upload URL Herald cannot use: %v", err))
	}
	// A retry sends the part again from its start.
	req.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(io.NewSectionReader(part, 0, part.Size())), nil
	}
	req.ContentLength = part.Size()
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.http.Do(req)
	if err != nil {
		return "", c.advise(err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	if etag == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: errors.New("the upload of a video part has no ETag in its answer")}
	}
	return etag, nil
}

// awaitVideo reads a video's status until LinkedIn has processed it, the
// wait growing between reads within the run's budget.
func (c *Client) awaitVideo(ctx context.Context, urn string) error {
	for attempt := 0; ; attempt++ {
		var out struct {
			Status string `json:"status"`
		}
		if _, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/rest/videos/"+enc(urn), ""), out: &out, rest: true}); err != nil {
			return err
		}
		switch out.Status {
		case videoAvailable:
			return nil
		case videoProcessingFailed:
			return c.permanent(fmt.Errorf("LinkedIn could not process video %s (PROCESSING_FAILED): check it is an MP4 of 3 seconds to 30 minutes and 75 kB to 500 MB", urn))
		}
		fmt.Fprintf(c.log, "video %s is %s; reading its status again\n", urn, out.Status)
		if attempt+1 >= maxVideoPolls {
			return &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("video %s is still %s after %d reads: LinkedIn is slow to process it; the next run tries again", urn, out.Status, maxVideoPolls)}
		}
		if err := c.http.Wait(ctx, attempt); err != nil {
			return &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("video %s is still %s: %w; the next run tries again", urn, out.Status, err)}
		}
	}
}

// videoTitle is the title LinkedIn shows above a video: the post's title,
// else the video's alt text, else its file name without extension.
func videoTitle(p networks.Publication, m networks.Medium) string {
	if t := strings.TrimSpace(p.Title); t != "" {
		return t
	}
	if a := strings.TrimSpace(m.Alt); a != "" {
		return a
	}
	base := path.Base(m.Path)
	return strings.TrimSuffix(base, path.Ext(base))
}
