package linkedintest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that keeps the failures the server reports,
// and the cleanups it registers for the test to run.
type recorder struct {
	testing.TB
	mu       sync.Mutex
	errs     []string
	cleanups []func()
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }
func (r *recorder) Cleanup(f func())                  { r.cleanups = append(r.cleanups, f) }

func (r *recorder) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

const goodPost = `{"author":"urn:li:organization:2414183","commentary":"Bonjour \\(vous\\)","visibility":"PUBLIC",` +
	`"distribution":{"feedDistribution":"MAIN_FEED","targetEntities":[],"thirdPartyDistributionChannels":[]},` +
	`"lifecycleState":"PUBLISHED","isReshareDisabledByAuthor":false}`

// TestStrict: the server fails the test on each request the docs do not
// allow, answers it as LinkedIn would, and serves a well-made one.
func TestStrict(t *testing.T) {
	tests := []struct {
		name, method, path, contentType, body string
		header                                map[string]string // replaces the good headers' values; "" removes one
		wantFailure                           string            // "" for none
		wantStatus                            int
	}{
		{name: "a post", method: "POST", path: "/rest/posts", contentType: "application/json", body: goodPost, wantStatus: 201},
		{name: "an unescaped reserved character", method: "POST", path: "/rest/posts", contentType: "application/json",
			body: strings.Replace(goodPost, `\\(vous\\)`, `(vous)`, 1), wantFailure: "unescaped reserved character", wantStatus: 201},
		{name: "an unknown field", method: "POST", path: "/rest/posts", contentType: "application/json",
			body: strings.Replace(goodPost, `"visibility"`, `"title":"x","visibility"`, 1), wantFailure: `unknown field "title"`, wantStatus: 422},
		{name: "a missing field", method: "POST", path: "/rest/posts", contentType: "application/json",
			body: strings.Replace(goodPost, `"lifecycleState":"PUBLISHED",`, ``, 1), wantFailure: "required", wantStatus: 422},
		{name: "a form", method: "POST", path: "/rest/posts", contentType: "application/x-www-form-urlencoded",
			body: "commentary=x", wantFailure: "want application/json", wantStatus: 400},
		{name: "no LinkedIn-Version", method: "POST", path: "/rest/posts", contentType: "application/json", body: goodPost,
			header: map[string]string{"LinkedIn-Version": ""}, wantFailure: "LinkedIn-Version", wantStatus: 400},
		{name: "no Rest.li 2.0.0", method: "GET", path: "/rest/networkSizes/urn%3Ali%3Aorganization%3A2414183?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
			header: map[string]string{"X-Restli-Protocol-Version": "1.0.0"}, wantFailure: "X-Restli-Protocol-Version", wantStatus: 400},
		{name: "no token", method: "GET", path: "/rest/organizations/2414183",
			header: map[string]string{"Authorization": ""}, wantFailure: "Authorization", wantStatus: 401},
		{name: "a wrong token", method: "GET", path: "/rest/organizations/2414183",
			header: map[string]string{"Authorization": "Bearer nope"}, wantStatus: 401},
		{name: "an unknown parameter", method: "GET", path: "/rest/posts?author=urn%3Ali%3Aorganization%3A2414183&q=author&limit=5",
			wantFailure: `"limit"`, wantStatus: 400},
		{name: "an unencoded URN", method: "GET", path: "/rest/posts?author=urn:li:organization:2414183&q=author",
			wantFailure: "not encoded", wantStatus: 200},
		{name: "the finder", method: "GET", path: "/rest/posts?author=urn%3Ali%3Aorganization%3A2414183&q=author&count=10&sortBy=LAST_MODIFIED",
			header: map[string]string{"X-RestLi-Method": "FINDER"}, wantStatus: 200},
		{name: "a GET to create", method: "GET", path: "/rest/images?action=initializeUpload", wantFailure: "HTTP GET, want POST", wantStatus: 400},
		{name: "an unknown path", method: "GET", path: "/v2/me", wantFailure: "not a call Herald makes", wantStatus: 404},
		{name: "a video upload", method: "POST", path: "/rest/videos?action=initializeUpload", contentType: "application/json",
			body: `{"initializeUploadRequest":{"owner":"urn:li:organization:2414183","fileSizeBytes":5000000,"uploadCaptions":false,"uploadThumbnail":false}}`, wantStatus: 200},
		{name: "a video upload without its size", method: "POST", path: "/rest/videos?action=initializeUpload", contentType: "application/json",
			body: `{"initializeUploadRequest":{"owner":"urn:li:organization:2414183"}}`, wantFailure: "fileSizeBytes", wantStatus: 422},
		{name: "a finalize of no video", method: "POST", path: "/rest/videos?action=finalizeUpload", contentType: "application/json",
			body: `{"finalizeUploadRequest":{"video":"urn:li:video:nope","uploadToken":"","uploadedPartIds":[]}}`, wantFailure: "no video", wantStatus: 404},
		{name: "a part to no upload URL", method: "PUT", path: "/videoupload/nope/0", contentType: "application/octet-stream",
			body: "bytes", wantFailure: "no upload URL", wantStatus: 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			s := New(rec)
			defer func() {
				for _, f := range rec.cleanups {
					f()
				}
			}()
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, _ := http.NewRequest(tt.method, s.URL+tt.path, body)
			h := map[string]string{"Authorization": "Bearer " + s.Token, "LinkedIn-Version": s.Version, "X-Restli-Protocol-Version": "2.0.0"}
			if tt.contentType != "" {
				h["Content-Type"] = tt.contentType
			}
			for k, v := range tt.header {
				h[k] = v
			}
			for k, v := range h {
				if v != "" {
					req.Header.Set(k, v)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.wantStatus)
			}
			got := strings.Join(rec.failures(), "\n")
			if tt.wantFailure == "" && got != "" {
				t.Errorf("the server failed the test: %s", got)
			}
			if tt.wantFailure != "" && !strings.Contains(got, tt.wantFailure) {
				t.Errorf("failures %q, want one about %q", got, tt.wantFailure)
			}
		})
	}
}

// TestUnusedReply: a queued reply never used fails the test at its end.
func TestUnusedReply(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	s.Queue("posts.create", Reply{Status: 500})
	for _, f := range rec.cleanups {
		f()
	}
	if got := rec.failures(); len(got) != 1 || !strings.Contains(got[0], "never used") {
		t.Errorf("failures %q, want one about the reply never used", got)
	}
}

// TestVideoPartSizes: a part that is not exactly the bytes initializeUpload
// named fails the test; finalizeUpload wants every part's ETag in order.
func TestVideoPartSizes(t *testing.T) {
	rec := &recorder{TB: t}
	s := New(rec)
	defer func() {
		for _, f := range rec.cleanups {
			f()
		}
	}()
	do := func(method, path, contentType, body string) *http.Response {
		req, _ := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+s.Token)
		req.Header.Set("LinkedIn-Version", s.Version)
		req.Header.Set("X-Restli-Protocol-Version", "2.0.0")
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	size := VideoPartSize + 10
	do("POST", "/rest/videos?action=initializeUpload", "application/json",
		fmt.Sprintf(`{"initializeUploadRequest":{"owner":%q,"fileSizeBytes":%d}}`, s.Author, size))
	var urn string
	for u := range s.videos {
		urn = u
	}
	id := strings.TrimPrefix(urn, "urn:li:video:")
	if resp := do("PUT", "/videoupload/"+id+"/1", "application/octet-stream", "short"); resp.StatusCode != 400 {
		t.Errorf("a short last part: status %d, want 400", resp.StatusCode)
	}
	if got := strings.Join(rec.failures(), "\n"); !strings.Contains(got, "has 5 bytes, want bytes 4194304 to 4194313") {
		t.Errorf("failures %q, want one about the part's size", got)
	}
	rec.errs = nil
	first := do("PUT", "/videoupload/"+id+"/0", "application/octet-stream", strings.Repeat("a", VideoPartSize))
	last := do("PUT", "/videoupload/"+id+"/1", "application/octet-stream", strings.Repeat("b", 10))
	etags := []string{first.Header.Get("ETag"), last.Header.Get("ETag")}
	if etags[0] == "" || etags[1] == "" {
		t.Fatalf("ETags %q", etags)
	}
	if resp := do("POST", "/rest/videos?action=finalizeUpload", "application/json",
		fmt.Sprintf(`{"finalizeUploadRequest":{"video":%q,"uploadToken":"upload-token-%s","uploadedPartIds":[%q,%q]}}`, urn, id, etags[1], etags[0])); resp.StatusCode != 400 {
		t.Errorf("ETags out of order: status %d, want 400", resp.StatusCode)
	}
	if got := strings.Join(rec.failures(), "\n"); !strings.Contains(got, "in order") {
		t.Errorf("failures %q, want one about the ETags' order", got)
	}
}
