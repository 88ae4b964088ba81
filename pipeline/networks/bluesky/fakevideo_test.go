package bluesky

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
)

// videoCID is the CID of the processed video the fake's jobs end with.
const videoCID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"

// videoBlob is the blob of the processed video, as the service answers it.
func videoBlob(size int) map[string]any {
	return map[string]any{"$type": "blob", "ref": map[string]string{"$link": videoCID}, "mimeType": "video/mp4", "size": size}
}

// fakeVideo is an httptest server speaking Bluesky's video service as its
// guide and lexicons define it (app.bsky.video.*), that asserts each
// request: a getUploadLimits or an uploadVideo carries a service token the
// fake PDS issued for that service and that method, a getJobStatus none.
type fakeVideo struct {
	t   *testing.T
	pds *blueskytest.PDS
	srv *httptest.Server

	mu       sync.Mutex
	requests []blueskytest.Request
	// limits is getUploadLimits's answer.
	limits map[string]any
	// upload is uploadVideo's answer (its status and body); the default
	// is the bare job the service answers, JOB_STATE_CREATED.
	uploadStatus int
	upload       any
	// loseUpload makes the first uploadVideo read the video and hang up.
	loseUpload bool
	// jobs are getJobStatus's answers in turn, the last one over and over.
	jobs  []map[string]any
	polls int
}

func newFakeVideo(t *testing.T, pds *blueskytest.PDS) *fakeVideo {
	v := &fakeVideo{t: t, pds: pds, limits: map[string]any{"canUpload": true, "remainingDailyVideos": 24, "remainingDailyBytes": 9_000_000_000}}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.srv.Close)
	return v
}

func (v *fakeVideo) URL() string { return v.srv.URL }

// host is the video service's host, its did:web.
func (v *fakeVideo) host() string {
	u, _ := url.Parse(v.srv.URL)
	return u.Hostname()
}

func (v *fakeVideo) calls(nsid string) []blueskytest.Request {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out []blueskytest.Request
	for _, r := range v.requests {
		if r.Path == "/xrpc/"+nsid {
			out = append(out, r)
		}
	}
	return out
}

func (v *fakeVideo) all() []blueskytest.Request {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]blueskytest.Request(nil), v.requests...)
}

// authorized reports whether a request carries a service token the fake
// PDS issued for aud and lxm.
func (v *fakeVideo) authorized(req blueskytest.Request, aud, lxm string) bool {
	token, ok := strings.CutPrefix(req.Auth, "Bearer ")
	if !ok {
		return false
	}
	g, ok := v.pds.GrantOf(token)
	return ok && g.Aud == aud && g.Lxm == lxm
}

func (v *fakeVideo) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	req := blueskytest.Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
		ContentType: r.Header.Get("Content-Type"), Body: body}
	v.mu.Lock()
	v.requests = append(v.requests, req)
	v.mu.Unlock()
	answer := func(status int, a any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(a)
	}
	unauthorized := func() {
		v.t.Errorf("%s %s with Authorization %q: not a service token for it", r.Method, r.URL.Path, req.Auth)
		answer(http.StatusUnauthorized, map[string]string{"error": "AuthMissing", "message": "Authentication Required"})
	}
	switch r.URL.Path {
	case "/xrpc/" + getUploadLimitsNSID:
		if r.Method != http.MethodGet || r.URL.RawQuery != "" {
			v.t.Errorf("getUploadLimits: %s ?%s, want GET without parameters", r.Method, r.URL.RawQuery)
		}
		if !v.authorized(req, "did:web:"+v.host(), getUploadLimitsNSID) {
			unauthorized()
			return
		}
		answer(http.StatusOK, v.limits)
	case "/xrpc/" + uploadVideoNSID:
		if r.Method != http.MethodPost {
			v.t.Errorf("uploadVideo: %s, want POST", r.Method)
		}
		// The service stores the video on the account's own PDS.
		pds := v.pds.DIDDocPDS()
		if pds == "" {
			pds = v.pds.URL()
		}
		if !v.authorized(req, didWeb(pds), uploadBlobNSID) {
			unauthorized()
			return
		}
		v.mu.Lock()
		lose := v.loseUpload
		v.loseUpload = false
		v.mu.Unlock()
		if lose {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		switch {
		case v.upload != nil:
			answer(v.uploadStatus, v.upload)
		default:
			answer(http.StatusOK, map[string]any{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_CREATED"})
		}
	case "/xrpc/" + getJobStatusNSID:
		if r.Method != http.MethodGet || req.Auth != "" {
			v.t.Errorf("getJobStatus: %s with Authorization %q, want GET with none", r.Method, req.Auth)
		}
		v.mu.Lock()
		jobs, n := v.jobs, v.polls
		v.polls++
		v.mu.Unlock()
		if len(jobs) == 0 {
			v.t.Errorf("getJobStatus asked, but the test made no job")
			answer(http.StatusBadRequest, map[string]string{"error": "InvalidRequest", "message": "no such job"})
			return
		}
		answer(http.StatusOK, map[string]any{"jobStatus": jobs[min(n, len(jobs)-1)]})
	default:
		v.t.Errorf("the video service was asked %s %s", r.Method, r.URL.Path)
		answer(http.StatusNotImplemented, map[string]string{"error": "MethodNotImplemented", "message": "Method Not Implemented"})
	}
}
