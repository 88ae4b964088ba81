package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/mp4test"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// ownPDS is where the fake account's DID document says its PDS is: the
// fake PDS plays an entryway (bsky.social) in front of it.
const ownPDS = "https://morel.us-east.host.bsky.network"

// logBuffer keeps what a client logs, and passes it on to the test's log.
type logBuffer struct {
	t  *testing.T
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.t.Log(strings.TrimSpace(string(p)))
	return l.b.Write(p)
}

func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// newVideoClient is a client of the account "bluesky" on the fake PDS
// whose videos go to video (a URL, or "pds"), on a clock stopped at now,
// with waits that do not wait.
func newVideoClient(t *testing.T, pds, video string, now time.Time, log *logBuffer) *Client {
	t.Helper()
	a := &load.Account{Key: "bluesky", Network: "bluesky", Handle: blueskytest.Handle, PDS: pds, AppView: pds, Video: video}
	c, err := New(a, Options{
		Getenv: func(k string) (string, bool) { return blueskytest.Password, k == "HERALD_BLUESKY_PASSWORD" },
		Retry: httpx.Options{Now: func() time.Time { return now }, Rand: func() float64 { return 0 },
			Sleep: func(context.Context, time.Duration) error { return nil }},
		Cards: noCards(t),
		Log:   log,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// videoPost is a post whose one part carries a video.
func videoPost(file string, data []byte, mime, alt string) networks.Publication {
	return networks.Publication{
		PostID: "posts/2026/12/atelier", Account: "bluesky", Lang: "fr",
		Parts: []networks.Part{{Text: "Une journée à l'atelier.", Media: []networks.Medium{{Path: "media/" + file, Alt: alt, MIME: mime}}}},
		Files: fstest.MapFS{"media/" + file: {Data: data}},
		When:  time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
	}
}

// embedOf returns the embed of the record createRecord wrote.
func embedOf(t *testing.T, create blueskytest.Request) any {
	t.Helper()
	var in struct {
		Record struct {
			Embed json.RawMessage `json:"embed"`
		} `json:"record"`
	}
	if err := json.Unmarshal(create.Body, &in); err != nil {
		t.Fatal(err)
	}
	return decode(t, in.Record.Embed)
}

func TestPublishVideo(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	pds := blueskytest.NewPDS(t)
	pds.SetDIDDocPDS(ownPDS)
	video := newFakeVideo(t, pds)
	clip := mp4test.MP4(720, 1280, 42*time.Second)
	video.jobs = []map[string]any{
		{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_ENCODING", "progress": 10},
		{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_ENCODING", "progress": 60},
		{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_COMPLETED", "blob": videoBlob(len(clip) / 2)},
	}
	log := &logBuffer{t: t}
	c := newVideoClient(t, pds.URL(), video.URL(), now, log)
	p := videoPost("atelier.mp4", clip, "video/mp4", "Les mains d'une brodeuse")
	res, err := c.Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{blueskytest.AtURI(RecordKey("bluesky", p.PostID, 0))}; !cmp.Equal(want, res.IDs) {
		t.Errorf("IDs %v, want %v", res.IDs, want)
	}

	// Two service tokens, asked with the session's access token: one for
	// the video service's getUploadLimits, one for the account's own PDS
	// (from its DID document, not the entryway) to store the video.
	var grants []url.Values
	for _, r := range pds.Calls(getServiceAuthNSID) {
		if r.Method != http.MethodGet || r.Auth != "Bearer access-jwt-1" {
			t.Errorf("getServiceAuth: %s with Authorization %q, want GET with the access JWT", r.Method, r.Auth)
		}
		q, _ := url.ParseQuery(r.Query)
		grants = append(grants, q)
	}
	wantGrants := []url.Values{
		{"aud": {"did:web:" + video.host()}, "lxm": {"app.bsky.video.getUploadLimits"}, "exp": {fmt.Sprint(now.Add(5 * time.Minute).Unix())}},
		{"aud": {"did:web:morel.us-east.host.bsky.network"}, "lxm": {"com.atproto.repo.uploadBlob"}, "exp": {fmt.Sprint(now.Add(30 * time.Minute).Unix())}},
	}
	if diff := cmp.Diff(wantGrants, grants); diff != "" {
		t.Errorf("getServiceAuth queries (-want +got):\n%s", diff)
	}

	// The video service: limits, the upload, then the job until done.
	type sent struct{ Method, Path, Query, Auth, ContentType string }
	var got []sent
	for _, r := range video.all() {
		got = append(got, sent{r.Method, r.Path, r.Query, r.Auth, r.ContentType})
	}
	poll := sent{"GET", "/xrpc/app.bsky.video.getJobStatus", "jobId=job-1", "", ""}
	want := []sent{
		{"GET", "/xrpc/app.bsky.video.getUploadLimits", "", "Bearer service-jwt-1", ""},
		{"POST", "/xrpc/app.bsky.video.uploadVideo", "did=" + url.QueryEscape(blueskytest.DID) + "&name=atelier.mp4", "Bearer service-jwt-2", "video/mp4"},
		poll, poll, poll,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("video service requests (-want +got):\n%s", diff)
	}
	if up := video.calls(uploadVideoNSID); len(up) != 1 || !bytes.Equal(up[0].Body, clip) {
		t.Errorf("uploadVideo: %d calls, want one with the video's %d bytes", len(up), len(clip))
	}
	if n := len(pds.Calls("com.atproto.repo.uploadBlob")); n != 0 {
		t.Errorf("uploadBlob called %d times: the video service stores the video", n)
	}

	creates := pds.Calls("com.atproto.repo.createRecord")
	if len(creates) != 1 {
		t.Fatalf("createRecord called %d times, want once", len(creates))
	}
	wantEmbed := decode(t, []byte(`{"$type":"app.bsky.embed.video","alt":"Les mains d'une brodeuse",
		"aspectRatio":{"width":720,"height":1280},
		"video":{"$type":"blob","ref":{"$link":"`+videoCID+`"},"mimeType":"video/mp4","size":`+fmt.Sprint(len(clip)/2)+`}}`))
	if diff := cmp.Diff(wantEmbed, embedOf(t, creates[0])); diff != "" {
		t.Errorf("the record's embed (-want +got):\n%s", diff)
	}
	for _, said := range []string{"uploaded, job job-1", "JOB_STATE_ENCODING 10%", "JOB_STATE_ENCODING 60%", "processed"} {
		if !strings.Contains(log.String(), said) {
			t.Errorf("the log does not say %q:\n%s", said, log)
		}
	}
}

func TestVideoAlreadyProcessed(t *testing.T) {
	clip := mp4test.MP4(1920, 1080, 10*time.Second)
	tests := []struct {
		name   string
		status int
		upload any              // uploadVideo's answer
		jobs   []map[string]any // getJobStatus's answers
		polls  int
	}{
		// The service's answer (bluesky-social/atproto#3097): the job
		// itself, with no blob: getJobStatus gives it.
		{"409 names the job", http.StatusConflict,
			map[string]any{"did": blueskytest.DID, "error": "already_exists", "jobId": "job-0", "message": "Video already processed", "state": "JOB_STATE_COMPLETED"},
			[]map[string]any{{"did": blueskytest.DID, "jobId": "job-0", "state": "JOB_STATE_COMPLETED", "blob": videoBlob(1234)}}, 1},
		{"409 with the blob", http.StatusConflict,
			map[string]any{"did": blueskytest.DID, "error": "already_exists", "jobId": "job-0", "state": "JOB_STATE_COMPLETED", "blob": videoBlob(1234)},
			nil, 0},
		// The guide: getJobStatus may answer already_exists as a failure,
		// with the blob of the earlier job.
		{"the job fails with already_exists and the blob", http.StatusOK,
			map[string]any{"did": blueskytest.DID, "jobId": "job-2", "state": "JOB_STATE_CREATED"},
			[]map[string]any{{"did": blueskytest.DID, "jobId": "job-2", "state": "JOB_STATE_FAILED", "error": "already_exists", "blob": videoBlob(1234)}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pds := blueskytest.NewPDS(t)
			video := newFakeVideo(t, pds)
			video.uploadStatus, video.upload, video.jobs = tt.status, tt.upload, tt.jobs
			c := newVideoClient(t, pds.URL(), video.URL(), time.Now(), &logBuffer{t: t})
			if _, err := c.Publish(context.Background(), videoPost("a.mp4", clip, "video/mp4", "")); err != nil {
				t.Fatal(err)
			}
			if n := len(video.calls(getJobStatusNSID)); n != tt.polls {
				t.Errorf("getJobStatus called %d times, want %d", n, tt.polls)
			}
			creates := pds.Calls("com.atproto.repo.createRecord")
			if len(creates) != 1 {
				t.Fatalf("createRecord called %d times, want once", len(creates))
			}
			want := decode(t, []byte(`{"$type":"app.bsky.embed.video","aspectRatio":{"width":1920,"height":1080},
				"video":{"$type":"blob","ref":{"$link":"`+videoCID+`"},"mimeType":"video/mp4","size":1234}}`))
			if diff := cmp.Diff(want, embedOf(t, creates[0])); diff != "" {
				t.Errorf("the record's embed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVideoLostAnswer: uploadVideo's answer is lost after the service has
// the video. It is not sent again in that run (it is no idempotent
// call); the engine's next try uploads it again, and the service's 409
// already_exists gives the job: one upload processed, one record.
func TestVideoLostAnswer(t *testing.T) {
	pds := blueskytest.NewPDS(t)
	video := newFakeVideo(t, pds)
	video.loseUpload = true
	video.jobs = []map[string]any{{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_COMPLETED", "blob": videoBlob(99)}}
	c := newVideoClient(t, pds.URL(), video.URL(), time.Now(), &logBuffer{t: t})
	p := videoPost("a.mp4", mp4test.MP4(8, 8, time.Second), "video/mp4", "")
	_, err := c.Publish(context.Background(), p)
	if networks.KindOf(err) != networks.Transient || !strings.Contains(err.Error(), "may have reached the server") {
		t.Fatalf("Publish with the upload's answer lost: %v, want a transient error that says the upload may have gone through", err)
	}
	if n := len(video.calls(uploadVideoNSID)); n != 1 {
		t.Fatalf("uploadVideo sent %d times in the run, want once", n)
	}
	if n := len(pds.Calls("com.atproto.repo.createRecord")); n != 0 {
		t.Fatalf("createRecord called %d times", n)
	}

	video.uploadStatus = http.StatusConflict
	video.upload = map[string]any{"did": blueskytest.DID, "error": "already_exists", "jobId": "job-1", "message": "Video already processed", "state": "JOB_STATE_COMPLETED"}
	if _, found, err := c.Lookup(context.Background(), p); err != nil || found {
		t.Fatalf("Lookup: %v, %v; want nothing published", found, err)
	}
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if n := len(pds.Calls("com.atproto.repo.createRecord")); n != 1 {
		t.Errorf("createRecord called %d times, want once", n)
	}
}

func TestVideoRefused(t *testing.T) {
	clip := mp4test.MP4(640, 360, 20*time.Second)
	tests := []struct {
		name    string
		limits  map[string]any
		status  int
		upload  any
		jobs    []map[string]any
		kind    networks.Kind
		message string
		uploads int
	}{
		{name: "the account may not upload",
			limits: map[string]any{"canUpload": false, "error": "unconfirmed_email", "message": "You must confirm your email address to upload videos"},
			kind:   networks.Permanent, message: "does not let maison.example.com upload videos now: You must confirm your email address to upload videos"},
		{name: "the account may not upload, no reason given", limits: map[string]any{"canUpload": false},
			kind: networks.Permanent, message: "Bluesky asks for a verified e-mail address"},
		{name: "no bytes left today", limits: map[string]any{"canUpload": true, "remainingDailyVideos": 3, "remainingDailyBytes": 100},
			kind: networks.RateLimited, message: "may upload 100 more today"},
		{name: "no video left today", limits: map[string]any{"canUpload": true, "remainingDailyVideos": 0},
			kind: networks.RateLimited, message: "no more videos today"},
		{name: "the upload is refused with no job", status: http.StatusOK,
			upload:  map[string]any{"jobStatus": map[string]any{"did": "", "error": "unconfirmed_email", "jobId": "", "state": ""}},
			uploads: 1, kind: networks.Permanent, message: "the video service took no job: unconfirmed_email"},
		{name: "the job fails",
			jobs: []map[string]any{
				{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_ENCODING", "progress": 30},
				{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_FAILED", "error": "video processing error for job: job-1", "message": "Failed to process video"},
			},
			uploads: 1, kind: networks.Permanent,
			message: "video media/a.mp4: the video service could not process it: Failed to process video (video processing error for job: job-1)"},
		{name: "the job never ends",
			jobs:    []map[string]any{{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_ENCODING", "progress": 99}},
			uploads: 1, kind: networks.Transient, message: "still processing it after 120 checks: nothing was posted"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pds := blueskytest.NewPDS(t)
			video := newFakeVideo(t, pds)
			if tt.limits != nil {
				video.limits = tt.limits
			}
			video.uploadStatus, video.upload, video.jobs = tt.status, tt.upload, tt.jobs
			c := newVideoClient(t, pds.URL(), video.URL(), time.Now(), &logBuffer{t: t})
			_, err := c.Publish(context.Background(), videoPost("a.mp4", clip, "video/mp4", ""))
			var ne *networks.Error
			if !errors.As(err, &ne) || ne.Kind != tt.kind {
				t.Fatalf("Publish: %v (%v), want a %v error", err, networks.KindOf(err), tt.kind)
			}
			// What the engine journals is the error's message.
			if !strings.Contains(err.Error(), tt.message) {
				t.Errorf("the error %q does not say %q", err, tt.message)
			}
			if strings.Contains(err.Error(), "jwt") {
				t.Errorf("the error %q holds a token", err)
			}
			if n := len(video.calls(uploadVideoNSID)); n != tt.uploads {
				t.Errorf("uploadVideo called %d times, want %d", n, tt.uploads)
			}
			if n := len(pds.Calls("com.atproto.repo.createRecord")); n != 0 {
				t.Errorf("createRecord called %d times: nothing may be posted", n)
			}
		})
	}
}

// hugeFS holds one file that says it is size bytes long and fails the
// test if it is read.
type hugeFS struct {
	t    *testing.T
	name string
	size int64
}

func (h hugeFS) Open(name string) (fs.File, error) {
	h.t.Errorf("%s was opened: a video too large must be refused before it is read", name)
	return nil, fs.ErrPermission
}

func (h hugeFS) Stat(name string) (fs.FileInfo, error) {
	if name != h.name {
		return nil, fs.ErrNotExist
	}
	return hugeInfo(h), nil
}

type hugeInfo hugeFS

func (h hugeInfo) Name() string       { return h.name }
func (h hugeInfo) Size() int64        { return h.size }
func (h hugeInfo) Mode() fs.FileMode  { return 0o644 }
func (h hugeInfo) ModTime() time.Time { return time.Time{} }
func (h hugeInfo) IsDir() bool        { return false }
func (h hugeInfo) Sys() any           { return nil }

// TestVideoLimits: what Bluesky would refuse is refused before any
// upload, Permanent, saying what to change.
func TestVideoLimits(t *testing.T) {
	tests := []struct {
		name    string
		post    networks.Publication
		message string
	}{
		{"over 100 MB", func() networks.Publication {
			p := videoPost("long.mp4", nil, "video/mp4", "")
			p.Files = hugeFS{t, "media/long.mp4", 100_000_001}
			return p
		}(), "video media/long.mp4: 100000001 bytes, more than the 100000000 Bluesky takes: compress or shorten it"},
		{"over 3 minutes", videoPost("long.mp4", mp4test.MP4(1280, 720, 3*time.Minute+time.Second), "video/mp4", ""),
			"video media/long.mp4: it lasts 3m1s; Bluesky takes videos of 3m0s at most: shorten it"},
		{"alt text over 1000 characters", videoPost("a.mp4", mp4test.MP4(8, 8, time.Second), "video/mp4", strings.Repeat("é", 1001)),
			"its alt text is 1001 characters; Bluesky keeps at most 1000 for a video"},
		{"a format Bluesky does not take", videoPost("a.avi", []byte("RIFF....AVI "), "video/x-msvideo", ""),
			"Bluesky does not take video/x-msvideo videos"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pds := blueskytest.NewPDS(t)
			video := newFakeVideo(t, pds)
			c := newVideoClient(t, pds.URL(), video.URL(), time.Now(), &logBuffer{t: t})
			_, err := c.Publish(context.Background(), tt.post)
			if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("Publish: %v, want a permanent error saying %q", err, tt.message)
			}
			if n := len(video.all()); n != 0 {
				t.Errorf("%d requests to the video service, want none", n)
			}
			for _, nsid := range []string{getServiceAuthNSID, uploadBlobNSID, "com.atproto.repo.createRecord"} {
				if n := len(pds.Calls(nsid)); n != 0 {
					t.Errorf("%s called %d times, want never", nsid, n)
				}
			}
		})
	}
	// Exactly 3 minutes passes; 5 MB go through the uploads client.
	pds := blueskytest.NewPDS(t)
	video := newFakeVideo(t, pds)
	video.jobs = []map[string]any{{"did": blueskytest.DID, "jobId": "job-1", "state": "JOB_STATE_COMPLETED", "blob": videoBlob(1)}}
	c := newVideoClient(t, pds.URL(), video.URL(), time.Now(), &logBuffer{t: t})
	mov := append(mp4test.MP4(8, 8, 3*time.Minute), mp4test.Box("free", make([]byte, 5<<20))...)
	if _, err := c.Publish(context.Background(), videoPost("a.mov", mov, "video/quicktime", "")); err != nil {
		t.Fatalf("a video of 3 minutes: %v", err)
	}
	up := video.calls(uploadVideoNSID)
	if len(up) != 1 || up[0].ContentType != "video/quicktime" || up[0].Query != "did="+url.QueryEscape(blueskytest.DID)+"&name=a.mov" || !bytes.Equal(up[0].Body, mov) {
		t.Errorf("uploadVideo: %d calls, want one upload of the %d bytes as video/quicktime named a.mov", len(up), len(mov))
	}
}

// TestVideoOnPDS: video: pds uploads the video to the PDS itself, as a
// PDS without a video service needs, with no service token.
func TestVideoOnPDS(t *testing.T) {
	pds := blueskytest.NewPDS(t)
	c := newVideoClient(t, pds.URL(), load.VideoPDS, time.Now(), &logBuffer{t: t})
	clip := mp4test.MP4(1080, 1080, 5*time.Second)
	p := videoPost("carre.mp4", clip, "video/mp4", "Un carré")
	p.Parts[0].Media = append(p.Parts[0].Media, networks.Medium{Path: "media/logo.png", MIME: "image/png"})
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	uploads := pds.Calls(uploadBlobNSID)
	if len(uploads) != 1 || uploads[0].ContentType != "video/mp4" || !bytes.Equal(uploads[0].Body, clip) {
		t.Fatalf("uploadBlob: %d calls, want one with the video as video/mp4 (and not the image beside it)", len(uploads))
	}
	if n := len(pds.Calls(getServiceAuthNSID)); n != 0 {
		t.Errorf("getServiceAuth called %d times, want never", n)
	}
	want := decode(t, []byte(`{"$type":"app.bsky.embed.video","alt":"Un carré","aspectRatio":{"width":1080,"height":1080},
		"video":{"$type":"blob","ref":{"$link":"`+blueskytest.BlobCIDs[0]+`"},"mimeType":"video/mp4","size":`+fmt.Sprint(len(clip))+`}}`))
	if diff := cmp.Diff(want, embedOf(t, pds.Calls("com.atproto.repo.createRecord")[0])); diff != "" {
		t.Errorf("the record's embed (-want +got):\n%s", diff)
	}
}

func TestVideoServiceURL(t *testing.T) {
	getenv := func(string) (string, bool) { return "x", true }
	for video, want := range map[string]string{
		"":                           "https://video.bsky.app",
		"pds":                        "",
		"https://video.example.net/": "https://video.example.net",
	} {
		c, err := New(&load.Account{Key: "b", Network: "bluesky", Handle: blueskytest.Handle, Video: video}, Options{Getenv: getenv})
		if err != nil || c.video != want {
			t.Errorf("video: %q gives %q, %v; want %q", video, c.video, err, want)
		}
	}
	_, err := New(&load.Account{Key: "b", Network: "bluesky", Handle: blueskytest.Handle, Video: "none"}, Options{Getenv: getenv})
	if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), `video "none" is not an http(s) URL`) {
		t.Errorf("video: none gives %v, want a permanent error", err)
	}
}

func TestPDSEndpoint(t *testing.T) {
	doc := func(js string) *any {
		var v any
		if err := json.Unmarshal([]byte(js), &v); err != nil {
			t.Fatal(err)
		}
		return &v
	}
	tests := []struct {
		name string
		doc  *any
		want string
	}{
		{"none", nil, ""},
		{"relative id", doc(`{"id":"did:plc:a","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"https://pds.example"}]}`), "https://pds.example"},
		{"full id", doc(`{"id":"did:plc:a","service":[{"id":"did:plc:a#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":"https://pds.example"}]}`), "https://pds.example"},
		{"another service", doc(`{"id":"did:plc:a","service":[{"id":"#atproto_labeler","type":"AtprotoLabeler","serviceEndpoint":"https://mod.example"}]}`), ""},
		{"wrong type", doc(`{"id":"did:plc:a","service":[{"id":"#atproto_pds","type":"Other","serviceEndpoint":"https://pds.example"}]}`), ""},
		{"endpoint not a string", doc(`{"id":"did:plc:a","service":[{"id":"#atproto_pds","type":"AtprotoPersonalDataServer","serviceEndpoint":{"a":"b"}}]}`), ""},
		{"not a document", doc(`"did:plc:a"`), ""},
	}
	for _, tt := range tests {
		if got := pdsEndpoint(tt.doc); got != tt.want {
			t.Errorf("%s: pdsEndpoint = %q, want %q", tt.name, got, tt.want)
		}
	}
}
