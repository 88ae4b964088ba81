package linkedintest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Video statuses, as GET /rest/videos/{urn} gives them.
const (
	statusWaitingUpload = "WAITING_UPLOAD"
	statusProcessing    = "PROCESSING"
	statusFailed        = "PROCESSING_FAILED"
	statusAvailable     = "AVAILABLE"
)

// status is a video's status now, without counting a read.
func (s *Server) status(v *Video) string {
	switch {
	case !v.Finalized:
		return statusWaitingUpload
	case v.Reads <= s.VideoPolls:
		return statusProcessing
	case s.FailVideo:
		return statusFailed
	}
	return statusAvailable
}

// initializeVideo is POST /rest/videos?action=initializeUpload: a video
// owned by the author, cut into parts of VideoPartSize, each with its
// upload URL.
func (s *Server) initializeVideo(w http.ResponseWriter, q map[string]string, data []byte) {
	s.t.Helper()
	if q["action"] != "initializeUpload" {
		s.errorf("videos: action=%q, want initializeUpload", q["action"])
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var body struct {
		Req *struct {
			Owner           string `json:"owner"`
			FileSizeBytes   *int64 `json:"fileSizeBytes"`
			UploadCaptions  bool   `json:"uploadCaptions"`
			UploadThumbnail bool   `json:"uploadThumbnail"`
		} `json:"initializeUploadRequest"`
	}
	if err := dec.Decode(&body); err != nil || body.Req == nil || body.Req.FileSizeBytes == nil {
		s.errorf("videos.initializeUpload: want {initializeUploadRequest: {owner, fileSizeBytes, ...}}: %s (%v)", data, err)
		s.fail(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", "initializeUploadRequest.fileSizeBytes is required")
		return
	}
	req := body.Req
	if req.UploadCaptions || req.UploadThumbnail {
		s.errorf("videos.initializeUpload: Herald uploads no captions and no thumbnail: %s", data)
	}
	if req.Owner != s.Author {
		s.fail(w, http.StatusForbidden, "ACCESS_DENIED", "Not enough permissions to access: videos.ACTION-initializeUpload")
		return
	}
	size := *req.FileSizeBytes
	if size <= 0 {
		s.errorf("videos.initializeUpload: fileSizeBytes %d", size)
		s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "fileSizeBytes must be positive")
		return
	}
	s.next++
	id := fmt.Sprintf("C5F10AQHerald%05d", s.next)
	v := &Video{URN: "urn:li:video:" + id, Owner: s.Author, Size: size, UploadToken: "upload-token-" + id}
	var instructions []any
	for first := int64(0); first < size; first += VideoPartSize {
		last := min(first+VideoPartSize, size) - 1
		instructions = append(instructions, map[string]any{
			"uploadUrl": s.URL + "/videoupload/" + id + "/" + strconv.Itoa(len(v.Parts)),
			"firstByte": first, "lastByte": last})
		v.Parts = append(v.Parts, nil)
		v.ETags = append(v.ETags, "")
	}
	s.videos[v.URN] = v
	s.json(w, http.StatusOK, map[string]any{"value": map[string]any{
		"uploadUrlsExpireAt": s.now().Add(time.Hour).UnixMilli(),
		"video":              v.URN,
		"uploadInstructions": instructions,
		"uploadToken":        v.UploadToken,
		"thumbnailUploadUrl": "",
		"captionsUploadUrl":  ""}})
}

// uploadVideoPart is a PUT of one part to its upload URL: exactly the
// bytes initializeUpload said, answered with the part's ETag.
func (s *Server) uploadVideoPart(w http.ResponseWriter, key string, data []byte) {
	s.t.Helper()
	id, n, _ := strings.Cut(key, "/")
	v := s.videos["urn:li:video:"+id]
	part, err := strconv.Atoi(n)
	if v == nil || err != nil || part < 0 || part >= len(v.Parts) {
		s.errorf("videoUpload: %s is no upload URL initializeUpload gave", key)
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
		return
	}
	first := int64(part) * VideoPartSize
	want := min(first+VideoPartSize, v.Size) - first
	if int64(len(data)) != want {
		s.errorf("videoUpload: part %d of %s has %d bytes, want bytes %d to %d (%d)", part, v.URN, len(data), first, first+want-1, want)
		s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "part size does not match the upload instructions")
		return
	}
	v.Parts[part] = data
	v.ETags[part] = fmt.Sprintf("/AQHerald%s-%d", id, part)
	w.Header().Set("ETag", v.ETags[part])
	w.WriteHeader(http.StatusOK)
}

// finalizeVideo is POST /rest/videos?action=finalizeUpload: every part
// uploaded, named by its ETag in order, with the upload token.
func (s *Server) finalizeVideo(w http.ResponseWriter, q map[string]string, data []byte) {
	s.t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var body struct {
		Req *struct {
			Video           string   `json:"video"`
			UploadToken     *string  `json:"uploadToken"`
			UploadedPartIDs []string `json:"uploadedPartIds"`
		} `json:"finalizeUploadRequest"`
	}
	if err := dec.Decode(&body); err != nil || body.Req == nil || body.Req.UploadToken == nil || body.Req.UploadedPartIDs == nil {
		s.errorf("videos.finalizeUpload: want {finalizeUploadRequest: {video, uploadToken, uploadedPartIds}}: %s (%v)", data, err)
		s.fail(w, http.StatusUnprocessableEntity, "UNPROCESSABLE_ENTITY", "finalizeUploadRequest is required")
		return
	}
	v := s.videos[body.Req.Video]
	switch {
	case v == nil:
		s.errorf("videos.finalizeUpload: no video %q was initialized", body.Req.Video)
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
		return
	case *body.Req.UploadToken != v.UploadToken:
		s.errorf("videos.finalizeUpload: uploadToken %q, want %q", *body.Req.UploadToken, v.UploadToken)
		s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "invalid uploadToken")
		return
	case slices.Contains(v.ETags, ""):
		s.errorf("videos.finalizeUpload: a part of %s was not uploaded", v.URN)
		s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "not all parts were uploaded")
		return
	case !slices.Equal(body.Req.UploadedPartIDs, v.ETags):
		s.errorf("videos.finalizeUpload: uploadedPartIds %q, want the ETags %q in order", body.Req.UploadedPartIDs, v.ETags)
		s.fail(w, http.StatusBadRequest, "ILLEGAL_ARGUMENT", "uploadedPartIds do not match the uploaded parts")
		return
	}
	v.Finalized = true
	w.Header().Set("X-RestLi-Protocol-Version", "2.0.0")
	w.WriteHeader(http.StatusOK)
}

// getVideo is GET /rest/videos/{urn}: the video and its status.
func (s *Server) getVideo(w http.ResponseWriter, key string) {
	s.t.Helper()
	v := s.videos[s.urn("videos.get", key)]
	if v == nil {
		s.fail(w, http.StatusNotFound, "NOT_FOUND", "Not Found")
		return
	}
	if v.Finalized {
		v.Reads++
	}
	out := map[string]any{"id": v.URN, "owner": v.Owner, "status": s.status(v)}
	if out["status"] == statusAvailable {
		out["duration"] = 12000
		out["aspectRatioWidth"], out["aspectRatioHeight"] = 16.0, 9.0
		out["downloadUrl"] = s.URL + "/download/" + strings.TrimPrefix(v.URN, "urn:li:video:")
	}
	s.json(w, http.StatusOK, out)
}
