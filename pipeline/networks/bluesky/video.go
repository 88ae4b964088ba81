package bluesky

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"

	"github.com/herald-social/herald/pipeline/media"

	"github.com/bluesky-social/indigo/api/bsky"
	lexutil "github.com/bluesky-social/indigo/lex/util"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render/length"
)

// A video goes through Bluesky's video service, as Bluesky's guide
// "Uploading video" (docs.bsky.app/docs/tutorials/video) says: a video
// uploaded to the PDS with uploadBlob is processed only once its post is
// in the firehose, and the Bluesky app shows it missing meanwhile, or for
// good. The service processes the video, stores it on the account's PDS
// with a service token the account gives it, and answers its blob.
const (
	getServiceAuthNSID  = "com.atproto.server.getServiceAuth"
	uploadBlobNSID      = "com.atproto.repo.uploadBlob"
	getUploadLimitsNSID = "app.bsky.video.getUploadLimits"
	uploadVideoNSID     = "app.bsky.video.uploadVideo"
	getJobStatusNSID    = "app.bsky.video.getJobStatus"

	jobCompleted = "JOB_STATE_COMPLETED"
	jobFailed    = "JOB_STATE_FAILED"

	// uploadTokenTTL is how long the token the video service stores the
	// video with lasts: the guide recommends 30 minutes, for processing
	// takes a while; a PDS refuses more than an hour.
	uploadTokenTTL = 30 * time.Minute
	// limitsTokenTTL is how long the token that asks the upload limits
	// lasts: it is used at once.
	limitsTokenTTL = 5 * time.Minute
	// maxVideoPolls bounds how often a job is asked about; the run's
	// time budget usually ends the wait first.
	maxVideoPolls = 120
)

// videoEmbed returns the embed of a part's video: processed by the
// account's video service, or, with video: pds, uploaded to the PDS as it
// is. The video's limits are checked first, its size before it is read.
func (c *Client) videoEmbed(ctx context.Context, files fs.FS, m networks.Medium) (*bsky.FeedPost_Embed, error) {
	data, info, err := c.readVideo(files, m)
	if err != nil {
		return nil, err
	}
	var blob *lexutil.LexBlob
	if c.video == "" {
		blob, err = c.uploadBlob(ctx, data, m.MIME)
	} else {
		blob, err = c.processVideo(ctx, m, data)
	}
	if err != nil {
		return nil, err
	}
	video := &bsky.EmbedVideo{Video: blob}
	if m.Alt != "" {
		alt := m.Alt
		video.Alt = &alt
	}
	if info.Width > 0 && info.Height > 0 {
		video.AspectRatio = &bsky.EmbedDefs_AspectRatio{Width: int64(info.Width), Height: int64(info.Height)}
	}
	return &bsky.FeedPost_Embed{EmbedVideo: video}, nil
}

// readVideo reads a video after checking what Bluesky would refuse: its
// format and size (from the file's size, before reading it), its alt
// text, and, for MP4 and QuickTime, its duration. The limits come from
// netspec.Lookup("bluesky"), which herald check holds videos against
// too. Each refusal is Permanent: the same video fails again until the
// post changes.
func (c *Client) readVideo(files fs.FS, m networks.Medium) ([]byte, media.VideoInfo, error) {
	refuse := func(format string, args ...any) ([]byte, media.VideoInfo, error) {
		return nil, media.VideoInfo{}, &networks.Error{Kind: networks.Permanent, Account: c.account,
			Err: fmt.Errorf("video %s: "+format, append([]any{m.Path}, args...)...)}
	}
	spec, _ := netspec.Lookup("bluesky")
	accepted, maxBytes := spec.Accepts(m.MIME)
	if !accepted {
		return refuse("Bluesky does not take %s videos: convert it to MP4", m.MIME)
	}
	fi, err := fs.Stat(files, m.Path)
	if err != nil {
		return refuse("%v", err)
	}
	if maxBytes > 0 && fi.Size() > maxBytes {
		return refuse("%d bytes, more than the %d Bluesky takes: compress or shorten it", fi.Size(), maxBytes)
	}
	if n, limit := length.Graphemes(m.Alt), spec.AltLimit(m.MIME); limit > 0 && n > limit {
		return refuse("its alt text is %d characters; Bluesky keeps at most %d for a video: shorten it", n, limit)
	}
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return refuse("%v", err)
	}
	if maxBytes > 0 && int64(len(data)) > maxBytes { // it grew since Stat
		return refuse("%d bytes, more than the %d Bluesky takes: compress or shorten it", len(data), maxBytes)
	}
	info, _ := media.ParseMP4(data)
	if limit := spec.MaxVideoDuration; limit > 0 && info.Duration > limit {
		return refuse("it lasts %s; Bluesky takes videos of %s at most: shorten it", info.Duration.Round(time.Second), limit)
	}
	return data, info, nil
}

// processVideo has the account's video service process a video and
// returns the blob the service stored on the PDS. It asks first whether
// the account may upload it (getUploadLimits), then uploads it
// (uploadVideo) and asks about the job (getJobStatus) until it is done,
// within the run's time budget.
//
// uploadVideo is not idempotent: it is sent once. When its answer is
// lost, the engine tries again; the service then answers 409
// already_exists with the job of the same video, which is taken as the
// answer, so a retry never processes a video twice.
func (c *Client) processVideo(ctx context.Context, m networks.Medium, data []byte) (*lexutil.LexBlob, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.checkUploadLimits(ctx, m, len(data)); err != nil {
		return nil, err
	}
	// The video service stores the video on the account's PDS with this
	// token: its audience is that PDS, not the entryway (bsky.social).
	token, err := c.serviceToken(ctx, didWeb(cmpOr(s.pds, c.pds)), uploadBlobNSID, uploadTokenTTL)
	if err != nil {
		return nil, err
	}
	var job jobAnswer
	err = c.send(ctx, call{host: c.video, nsid: uploadVideoNSID,
		query: url.Values{"did": {s.did}, "name": {path.Base(m.Path)}},
		raw:   data, contentType: m.MIME, accept: []int{http.StatusConflict}}, token, &job)
	if err != nil {
		return nil, fmt.Errorf("video %s: %w", m.Path, err)
	}
	st := job.status()
	switch {
	case st.Blob != nil: // a video the service processed before
		c.logf("video %s: processed already (%s)", m.Path, jobMessage(st, "job "+st.JobId))
		return st.Blob, nil
	case st.JobId == "":
		return nil, &networks.Error{Kind: networks.Permanent, Account: c.account,
			Err: fmt.Errorf("video %s: the video service took no job: %s", m.Path, jobMessage(st, "it gave no reason"))}
	}
	c.logf("video %s: uploaded, job %s %s", m.Path, st.JobId, progress(st))
	return c.waitForVideo(ctx, m, st.JobId)
}

// checkUploadLimits asks the video service whether the account may upload
// a video of size bytes now. The service refuses accounts whose e-mail
// address is not verified, and counts videos and bytes per day.
func (c *Client) checkUploadLimits(ctx context.Context, m networks.Medium, size int) error {
	token, err := c.serviceToken(ctx, didWeb(c.video), getUploadLimitsNSID, limitsTokenTTL)
	if err != nil {
		return err
	}
	var limits bsky.VideoGetUploadLimits_Output
	if err := c.send(ctx, call{host: c.video, nsid: getUploadLimitsNSID}, token, &limits); err != nil {
		return fmt.Errorf("video %s: %w", m.Path, err)
	}
	switch {
	case !limits.CanUpload:
		why := cmpOr(deref(limits.Message), deref(limits.Error))
		if why == "" {
			why = "it gave no reason (Bluesky asks for a verified e-mail address, and takes a few videos a day)"
		}
		return &networks.Error{Kind: networks.Permanent, Account: c.account,
			Err: fmt.Errorf("video %s: Bluesky's video service does not let %s upload videos now: %s", m.Path, c.handle, why)}
	case limits.RemainingDailyVideos != nil && *limits.RemainingDailyVideos <= 0:
		return &networks.Error{Kind: networks.RateLimited, Account: c.account,
			Err: fmt.Errorf("video %s: %s may upload no more videos today; the next run after the daily limit resets tries again", m.Path, c.handle)}
	case limits.RemainingDailyBytes != nil && *limits.RemainingDailyBytes < int64(size):
		return &networks.Error{Kind: networks.RateLimited, Account: c.account,
			Err: fmt.Errorf("video %s: %d bytes, and %s may upload %d more today; the next run after the daily limit resets tries again", m.Path, size, c.handle, *limits.RemainingDailyBytes)}
	}
	return nil
}

// waitForVideo asks about a processing job until it has a blob, with a
// backoff between the questions. As the guide says, a blob is the answer
// whatever the job's state: a video the service processed before may
// answer already_exists, even as a failure, with the earlier blob.
func (c *Client) waitForVideo(ctx context.Context, m networks.Medium, jobID string) (*lexutil.LexBlob, error) {
	said := ""
	for attempt := 0; ; attempt++ {
		if attempt == maxVideoPolls {
			return nil, c.stillProcessing(m, attempt)
		}
		if err := c.http.Wait(ctx, attempt); err != nil {
			if errors.Is(err, httpx.ErrBudget) {
				return nil, c.stillProcessing(m, attempt)
			}
			return nil, err
		}
		// Public: the guide asks about a job with no token.
		var job jobAnswer
		if err := c.send(ctx, call{host: c.video, nsid: getJobStatusNSID, query: url.Values{"jobId": {jobID}}}, "", &job); err != nil {
			return nil, fmt.Errorf("video %s: %w", m.Path, err)
		}
		st := job.status()
		switch {
		case st.Blob != nil:
			c.logf("video %s: processed", m.Path)
			return st.Blob, nil
		case st.State == jobFailed:
			return nil, &networks.Error{Kind: networks.Permanent, Account: c.account,
				Err: fmt.Errorf("video %s: the video service could not process it: %s", m.Path, jobMessage(st, "it gave no reason"))}
		case st.State == jobCompleted:
			return nil, &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("video %s: the video service completed job %s without a blob; the next run tries again", m.Path, jobID)}
		}
		if now := progress(st); now != said {
			c.logf("video %s: %s", m.Path, now)
			said = now
		}
	}
}

func (c *Client) stillProcessing(m networks.Medium, polls int) error {
	return &networks.Error{Kind: networks.Transient, Account: c.account,
		Err: fmt.Errorf("video %s: the video service is still processing it after %d checks: nothing was posted; the next run takes the processed video", m.Path, polls)}
}

// serviceToken asks the PDS for a token that lets another service act
// for the account (com.atproto.server.getServiceAuth): aud is that
// service's DID, lxm the one method the token allows.
func (c *Client) serviceToken(ctx context.Context, aud, lxm string, ttl time.Duration) (string, error) {
	q := url.Values{"aud": {aud}, "lxm": {lxm}, "exp": {strconv.FormatInt(c.now().Add(ttl).Unix(), 10)}}
	var out struct {
		Token string `json:"token"` // comatproto.ServerGetServiceAuth_Output
	}
	if err := c.do(ctx, call{host: c.pds, nsid: getServiceAuthNSID, query: q, auth: accessAuth}, &out); err != nil {
		return "", err
	}
	if out.Token == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("%s: the answer holds no token", getServiceAuthNSID)}
	}
	return out.Token, nil
}

// jobAnswer is what uploadVideo and getJobStatus answer: the lexicons
// wrap the job in {"jobStatus": ...}, but the video service answers
// uploadVideo with the job itself (bluesky-social/atproto#3026, #3097);
// both are read.
type jobAnswer struct {
	JobStatus *bsky.VideoDefs_JobStatus `json:"jobStatus"`
	bsky.VideoDefs_JobStatus
}

func (a *jobAnswer) status() *bsky.VideoDefs_JobStatus {
	if a.JobStatus != nil {
		return a.JobStatus
	}
	return &a.VideoDefs_JobStatus
}

// jobMessage is what a job says of itself: its message and its error.
func jobMessage(st *bsky.VideoDefs_JobStatus, none string) string {
	msg, code := deref(st.Message), deref(st.Error)
	switch {
	case msg != "" && code != "" && msg != code:
		return msg + " (" + code + ")"
	case msg != "":
		return msg
	case code != "":
		return code
	}
	return none
}

// progress says where a job is: its state, and how far it is through it.
func progress(st *bsky.VideoDefs_JobStatus) string {
	s := cmpOr(st.State, "state unknown")
	if st.Progress != nil {
		s += fmt.Sprintf(" %d%%", *st.Progress)
	}
	return s
}

// didWeb is the did:web of a service at base (the host alone, as
// Bluesky's app derives it).
func didWeb(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "did:web:"
	}
	return "did:web:" + u.Hostname()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
