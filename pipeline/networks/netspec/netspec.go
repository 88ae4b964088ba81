// Package netspec is the table of what Herald knows of each network from
// its documentation: how it counts text and its limits, the media it
// accepts, whether it has threads and polls. It is pure data, so that
// render, check and preview read it without pulling in any API client;
// the clients live in the sub-packages of pipeline/networks.
package netspec

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Unit is how a network counts the length of a text.
type Unit string

const (
	Weighted   Unit = "weighted"   // X: twitter-text v3 weights
	Graphemes  Unit = "graphemes"  // user-perceived characters (extended grapheme clusters)
	Characters Unit = "characters" // Unicode code points, in NFC
)

// MediaLimit is what a network accepts for one kind of medium.
type MediaLimit struct {
	Types    []string // MIME types
	MaxBytes int64    // 0: no documented limit
	// MinBytes is the smallest file the network takes (LinkedIn's videos:
	// 75 kB); 0: no documented limit.
	MinBytes int64
}

// Network is one network's documented limits.
type Network struct {
	Name      string
	TextLimit int // 0: no limit
	// CaptionLimit is the limit of a text sent with media, where it is
	// another (a Telegram caption); 0: TextLimit.
	CaptionLimit int
	Unit         Unit
	Threads      bool // posts can be chained as a thread
	// MaxMedia is the most media one post (or thread part) may carry.
	MaxMedia int
	Image    MediaLimit
	Video    MediaLimit
	// AltTextLimit is the longest alt text the network keeps, 0 for none.
	AltTextLimit int
	// VideoAltTextLimit is the longest alt text of a video where it is
	// shorter than an image's (Bluesky's: 1,000); 0: AltTextLimit.
	VideoAltTextLimit int
	// MaxVideoDuration is the longest video the network takes, 0 for no
	// limit Herald knows. Herald reads a video's duration from MP4 and
	// QuickTime files (ReadMP4).
	MaxVideoDuration time.Duration
	// MinVideoDuration is the shortest video the network takes (LinkedIn:
	// 3 seconds), 0 for none.
	MinVideoDuration time.Duration
	// VideoAlone is true where a post that carries a video carries nothing
	// else (LinkedIn, a Facebook Page's video post).
	VideoAlone bool
	// NeedsMedia is true where a post cannot be text alone (Instagram).
	NeedsMedia bool
	// MaxHashtags is the most hashtags a post may hold, 0 for no limit
	// (Instagram refuses a caption with more than 30).
	MaxHashtags int
	// MaxMentions is the most @mentions a post may hold, 0 for no limit
	// (Instagram refuses a caption with more than 20 @ tags).
	MaxMentions int
	// NeedsMediaURL is true where the network fetches a post's media from
	// a public URL rather than taking the file (Instagram, Threads): the
	// charter's media_url must say where the calendar's files are served.
	NeedsMediaURL bool
	// Poll is what the network takes of a post's poll; nil where it has
	// no polls: the post goes without it there.
	Poll *PollLimits
}

// AltLimit returns the longest alt text the network keeps for a medium of
// this MIME type, 0 for no limit; "" (a type unknown) gives the image's.
func (s Network) AltLimit(mime string) int {
	if s.VideoAltTextLimit > 0 && slices.Contains(s.Video.Types, mime) {
		return s.VideoAltTextLimit
	}
	return s.AltTextLimit
}

// Accepts reports whether the network takes a medium of this MIME type,
// and the size limit for it.
func (s Network) Accepts(mime string) (ok bool, maxBytes int64) {
	for _, m := range []MediaLimit{s.Image, s.Video} {
		if slices.Contains(m.Types, mime) || slices.Contains(m.Types, "*") {
			return true, m.MaxBytes
		}
	}
	return false, 0
}

// Limit returns what the network documents for media of this MIME type:
// its images' or its videos' limit; ok is false where it takes none.
func (s Network) Limit(mime string) (limit MediaLimit, ok bool) {
	for _, m := range []MediaLimit{s.Image, s.Video} {
		if slices.Contains(m.Types, mime) || slices.Contains(m.Types, "*") {
			return m, true
		}
	}
	return MediaLimit{}, false
}

// IsVideo reports whether a MIME type is one of the network's video types.
func (s Network) IsVideo(mime string) bool { return slices.Contains(s.Video.Types, mime) }

// PollLimits is what a network documents of the polls a post can carry.
// A zero limit is no limit.
type PollLimits struct {
	MinOptions, MaxOptions int
	OptionLimit            int  // the longest option, in OptionUnit
	OptionUnit             Unit // how OptionLimit counts
	// MinDuration and MaxDuration bound how long a poll runs, after it is
	// rounded up to Step.
	MinDuration, MaxDuration time.Duration
	// Step is the unit the network takes a duration in (Discord: whole
	// hours); a duration is rounded up to it. 0: seconds.
	Step time.Duration
	// OpenEnded is true where a duration outside MinDuration-MaxDuration
	// is not refused: the poll is sent without one and stays open until
	// it is closed (Telegram's open_period).
	OpenEnded  bool
	Multiple   bool // people may choose more than one option
	HideTotals bool // the counts can stay hidden until the poll ends
	WithMedia  bool // the post that carries the poll may carry media too
	// Question is true where the poll's question is a text of its own
	// (Herald sends the post's first part, or Discord's title), of at
	// most QuestionLimit characters.
	Question      bool
	QuestionLimit int
}

// Duration returns how long a poll of duration d runs as the network takes
// it: rounded up to Step (a second where Step is 0); ok is false where the
// network takes it without a duration (OpenEnded, d outside its range).
func (p PollLimits) Duration(d time.Duration) (sent time.Duration, ok bool) {
	step := p.Step
	if step <= 0 {
		step = time.Second
	}
	sent = (d + step - 1) / step * step
	if p.OpenEnded && !p.InRange(sent) {
		return 0, false
	}
	return sent, true
}

// FormatDuration writes a duration as a poll's expires_in does: "30d",
// "5m", "1h30m", "10s".
func FormatDuration(d time.Duration) string {
	const day = 24 * time.Hour
	if d >= day && d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + "d"
	}
	s := d.String() // "1h30m0s", "5m0s", "1h0m0s"
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// InRange reports whether a duration, as Duration gives it, is within
// the network's MinDuration and MaxDuration.
func (p PollLimits) InRange(d time.Duration) bool {
	return d >= p.MinDuration && (p.MaxDuration == 0 || d <= p.MaxDuration)
}

const (
	kb = 1_000
	mb = 1_000_000
	gb = 1_000_000_000
)
const mib = 1 << 20

var (
	jpegPNG          = []string{"image/jpeg", "image/png"}
	commonImages     = []string{"image/jpeg", "image/png", "image/gif", "image/webp"}
	mp4MOV           = []string{"video/mp4", "video/quicktime"}
	anyType          = []string{"*"}
	mastodonImages   = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "image/avif"}
	mastodonVideos   = []string{"video/mp4", "video/quicktime", "video/webm"}
	blueskyVideos    = []string{"video/mp4", "video/mpeg", "video/webm", "video/quicktime"}
	facebookImages   = []string{"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"}
	telegramPhotoMax = int64(10 * mb)
)

// specs are the limits each network documents for its API (as of 2026).
var specs = map[string]Network{
	// Mastodon 4.x defaults; a server may differ (its /api/v2/instance says).
	// StatusLengthValidator counts grapheme clusters (each_grapheme_cluster)
	// of the text with each URL as 23 and each @user@domain as @user.
	// Polls (PollValidator, PollOptionsValidator; a server's
	// configuration.polls in /api/v2/instance may differ): 2 to 4 options
	// of 50 characters (grapheme clusters), 5 minutes to 30 days, multiple
	// choice; POST /api/v1/statuses: "If [poll] provided, media_ids cannot
	// be used" (docs.joinmastodon.org/methods/statuses).
	"mastodon": {Name: "mastodon", TextLimit: 500, Poll: &PollLimits{MinOptions: 2, MaxOptions: 4,
		OptionLimit: 50, OptionUnit: Graphemes, MinDuration: 5 * time.Minute, MaxDuration: 30 * 24 * time.Hour,
		Multiple: true, HideTotals: true}, Unit: Graphemes, Threads: true, MaxMedia: 4,
		Image: MediaLimit{Types: mastodonImages, MaxBytes: 16 * mib}, Video: MediaLimit{Types: mastodonVideos, MaxBytes: 99 * mib}, AltTextLimit: 1500},
	// app.bsky.feed.post: 300 graphemes; app.bsky.embed.images: 4 images of
	// at most 1,000,000 bytes, alt text of 2,000 graphemes;
	// app.bsky.embed.video: 100,000,000 bytes, alt text of 1,000. The video
	// service takes 3 minutes since Bluesky 1.99 (March 2025; 60 s before).
	"bluesky": {Name: "bluesky", TextLimit: 300, Unit: Graphemes, Threads: true, MaxMedia: 4,
		Image: MediaLimit{Types: []string{"image/jpeg", "image/png", "image/webp", "image/gif"}, MaxBytes: 1 * mb},
		Video: MediaLimit{Types: blueskyVideos, MaxBytes: 100 * mb}, AltTextLimit: 2000,
		VideoAltTextLimit: 1000, MaxVideoDuration: 3 * time.Minute},
	// Polls: POST /2/tweets poll.options, 2 to 4 of 1 to 25 characters,
	// poll.duration_minutes 5 to 10080 (7 days); a post has a poll or
	// media (media and poll are mutually exclusive), and one choice only.
	"x": {Name: "x", TextLimit: 280, Unit: Weighted, Threads: true, MaxMedia: 4,
		Poll: &PollLimits{MinOptions: 2, MaxOptions: 4, OptionLimit: 25, OptionUnit: Characters,
			MinDuration: 5 * time.Minute, MaxDuration: 7 * 24 * time.Hour, Step: time.Minute},
		Image: MediaLimit{Types: commonImages, MaxBytes: 5 * mb}, Video: MediaLimit{Types: mp4MOV, MaxBytes: 512 * mb}, AltTextLimit: 1000},
	// LinkedIn (Posts API, Images API): commentary up to 3,000 characters;
	// a multi-image post holds 2 to 20 images, each JPG, GIF or PNG, whose
	// limit the Images API gives in pixels (36,152,320), not in bytes;
	// altText up to 4,086 characters. Videos API, Video Specifications:
	// MP4, 3 seconds to 30 minutes, 75 KB to 500 MB; a video post holds
	// that video alone (content.media).
	"linkedin": {Name: "linkedin", TextLimit: 3000, Unit: Characters, MaxMedia: 20,
		Image: MediaLimit{Types: []string{"image/jpeg", "image/png", "image/gif"}}, AltTextLimit: 4086,
		Video:            MediaLimit{Types: []string{"video/mp4"}, MaxBytes: 500 * mb, MinBytes: 75 * kb},
		MaxVideoDuration: 30 * time.Minute, MinVideoDuration: 3 * time.Second, VideoAlone: true},
	// Facebook Pages: a post has no thread and the Graph API no polls.
	// Photos are uploaded unpublished (POST /{page-id}/photos), then
	// attached to a post (attached_media on /{page-id}/feed). A video is
	// a post of its own (POST /{page-id}/videos, resumable upload:
	// "Resumable uploading supports videos that are up to 10GB and 4
	// hours long", Video API, Uploading Videos), with nothing beside it.
	"facebook": {Name: "facebook", TextLimit: 63206, Unit: Characters, MaxMedia: 10,
		Image: MediaLimit{Types: facebookImages, MaxBytes: 10 * mb},
		Video: MediaLimit{Types: mp4MOV, MaxBytes: 10 * gb}, MaxVideoDuration: 4 * time.Hour, VideoAlone: true},
	// Instagram's content publishing API takes JPEG images only, and no
	// post without a medium; it fetches each medium from a public URL
	// ("Media on a public server"); a caption holds at most 2,200
	// characters, 30 hashtags and 20 @ tags (IG User Media reference,
	// caption: developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
	"instagram": {Name: "instagram", TextLimit: 2200, Unit: Characters, MaxMedia: 10, NeedsMedia: true, MaxHashtags: 30,
		MaxMentions: 20, NeedsMediaURL: true,
		Image: MediaLimit{Types: []string{"image/jpeg"}, MaxBytes: 8 * mib}, Video: MediaLimit{Types: mp4MOV, MaxBytes: 1024 * mb}},
	// Threads API, Posts: text posts of 500 characters, a carousel of up to
	// 20 images and videos; Media Specifications: JPEG and PNG of 8 MB,
	// MOV and MP4 of 1 GB. Polls: a poll_attachment of 2 to 4 options on
	// a text-only post (the client refuses the others before posting).
	// Threads fetches media from a public URL, as Instagram does.
	// A Threads poll runs 24 hours, whatever the post says: the API takes
	// no duration, so any expires_in goes without one.
	"threads": {Name: "threads", TextLimit: 500, Unit: Characters, Threads: true, MaxMedia: 20, NeedsMediaURL: true,
		Poll: &PollLimits{MinOptions: 2, MaxOptions: 4, OptionLimit: 25, OptionUnit: Characters,
			MinDuration: 24 * time.Hour, MaxDuration: 24 * time.Hour, OpenEnded: true},
		Image: MediaLimit{Types: jpegPNG, MaxBytes: 8 * mb}, Video: MediaLimit{Types: mp4MOV, MaxBytes: 1024 * mb}},
	// Discord: a thread's parts are replies (message_reference).
	// Polls (resources/poll, Poll Create Request Object): "up to 10"
	// answers, poll media text "300 for the question, and 55 for any
	// answer", a duration in "number of hours ... up to 32 days" (768),
	// allow_multiselect. Herald's question is the post's title, else its
	// first part.
	"discord": {Name: "discord", TextLimit: 2000, Unit: Characters, Threads: true, MaxMedia: 10,
		Poll: &PollLimits{MinOptions: 1, MaxOptions: 10, OptionLimit: 55, OptionUnit: Characters,
			MinDuration: time.Hour, MaxDuration: 768 * time.Hour, Step: time.Hour, Multiple: true,
			WithMedia: true, Question: true, QuestionLimit: 300},
		Image: MediaLimit{Types: anyType, MaxBytes: 10 * mib}, AltTextLimit: 1024},
	// Slack threads a message's replies (chat.postMessage's thread_ts).
	"slack": {Name: "slack", TextLimit: 40000, Unit: Characters, Threads: true, MaxMedia: 10,
		Image: MediaLimit{Types: anyType, MaxBytes: 1024 * mb}},
	// Bot API: sendPhoto 10 MB; a caption is 1,024. Both limits count the
	// text after entities parsing: without its HTML. A thread's parts are
	// replies (reply_parameters). Herald sends photos only (sendPhoto,
	// sendMediaGroup): a video is refused here rather than at publish.
	// sendPoll (Bot API 7.x): question "1-300 characters" (Herald's is the
	// first part's text), "a JSON-serialized list of 2-10 answer options"
	// of "1-100 characters" (TDLib's inputMessagePoll says the same;
	// Herald keeps to 10, the limit these documents give), open_period
	// "5-600" seconds (a poll open longer is sent without one: it stays
	// open until closed), allows_multiple_answers. A poll is a message of
	// its own: it carries no media.
	"telegram": {Name: "telegram", TextLimit: 4096, CaptionLimit: 1024, Unit: Characters, Threads: true, MaxMedia: 10,
		Poll: &PollLimits{MinOptions: 2, MaxOptions: 10, OptionLimit: 100, OptionUnit: Characters,
			MinDuration: 5 * time.Second, MaxDuration: 600 * time.Second, OpenEnded: true, Multiple: true,
			Question: true, QuestionLimit: 300},
		Image: MediaLimit{Types: commonImages, MaxBytes: telegramPhotoMax}},
	// A webhook receives a thread's parts in its payload's parts.
	"webhook": {Name: "webhook", Unit: Characters, Threads: true, Image: MediaLimit{Types: anyType, MaxBytes: 0}},
	"feed":    {Name: "feed", Unit: Characters, Image: MediaLimit{Types: anyType, MaxBytes: 0}},
	// The outbox writes down any poll.
	"outbox": {Name: "outbox", Unit: Characters, Image: MediaLimit{Types: anyType, MaxBytes: 0},
		Poll: &PollLimits{OptionUnit: Characters, Multiple: true, HideTotals: true, WithMedia: true}},
}

// Lookup returns the spec of a network by name.
func Lookup(network string) (Network, bool) {
	s, ok := specs[network]
	return s, ok
}

// Names returns the network names Herald knows, sorted.
func Names() []string {
	names := make([]string, 0, len(specs))
	for n := range specs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
