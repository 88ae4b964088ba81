// Package netspec is the table of what Herald knows of each network from
// its documentation: how it counts text and its limits, the media it
// accepts, whether it has threads and polls. It is pure data, so that
// render, check and preview read it without pulling in any API client;
// the clients live in the sub-packages of pipeline/networks.
package netspec

import (
	"slices"
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
	// Polls is true where a post can carry a poll (Mastodon's; the outbox
	// writes it down). Elsewhere the post goes without it.
	Polls bool
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

const mb = 1_000_000
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
	"mastodon": {Name: "mastodon", TextLimit: 500, Polls: true, Unit: Graphemes, Threads: true, MaxMedia: 4,
		Image: MediaLimit{mastodonImages, 16 * mib}, Video: MediaLimit{mastodonVideos, 99 * mib}, AltTextLimit: 1500},
	// app.bsky.feed.post: 300 graphemes; app.bsky.embed.images: 4 images of
	// at most 1,000,000 bytes, alt text of 2,000 graphemes;
	// app.bsky.embed.video: 100,000,000 bytes, alt text of 1,000. The video
	// service takes 3 minutes since Bluesky 1.99 (March 2025; 60 s before).
	"bluesky": {Name: "bluesky", TextLimit: 300, Unit: Graphemes, Threads: true, MaxMedia: 4,
		Image: MediaLimit{[]string{"image/jpeg", "image/png", "image/webp", "image/gif"}, 1 * mb},
		Video: MediaLimit{blueskyVideos, 100 * mb}, AltTextLimit: 2000,
		VideoAltTextLimit: 1000, MaxVideoDuration: 3 * time.Minute},
	// X: POST /2/tweets takes a poll (CreatePostsPoll: 2 to 4 options of
	// 1 to 25 characters, 5 to 10080 minutes), and a thread's parts are
	// replies (reply.in_reply_to_tweet_id).
	"x": {Name: "x", TextLimit: 280, Unit: Weighted, Threads: true, Polls: true, MaxMedia: 4,
		Image: MediaLimit{commonImages, 5 * mb}, Video: MediaLimit{mp4MOV, 512 * mb}, AltTextLimit: 1000},
	// LinkedIn (Posts API, Images API): commentary up to 3,000 characters;
	// a multi-image post holds 2 to 20 images, each JPG, GIF or PNG, whose
	// limit the Images API gives in pixels (36,152,320), not in bytes;
	// altText up to 4,086 characters. Herald sends images only (the
	// Videos API's multipart upload is not written): a video is refused
	// here rather than at publish.
	"linkedin": {Name: "linkedin", TextLimit: 3000, Unit: Characters, MaxMedia: 20,
		Image: MediaLimit{[]string{"image/jpeg", "image/png", "image/gif"}, 0}, AltTextLimit: 4086},
	// Facebook Pages: a post has no thread and the Graph API no polls.
	// Herald attaches photos only (POST /{page-id}/photos unpublished, then
	// attached_media on /{page-id}/feed); a video, which the Graph API
	// takes on /{page-id}/videos as a post of its own, is refused here
	// rather than at publish.
	"facebook": {Name: "facebook", TextLimit: 63206, Unit: Characters, MaxMedia: 10,
		Image: MediaLimit{facebookImages, 10 * mb}},
	// Instagram's content publishing API takes JPEG images only, and no
	// post without a medium; it fetches each medium from a public URL
	// ("Media on a public server"); a caption holds at most 2,200
	// characters, 30 hashtags and 20 @ tags (IG User Media reference,
	// caption: developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media).
	"instagram": {Name: "instagram", TextLimit: 2200, Unit: Characters, MaxMedia: 10, NeedsMedia: true, MaxHashtags: 30,
		MaxMentions: 20, NeedsMediaURL: true,
		Image: MediaLimit{[]string{"image/jpeg"}, 8 * mib}, Video: MediaLimit{mp4MOV, 1024 * mb}},
	// Threads API, Posts: text posts of 500 characters, a carousel of up to
	// 20 images and videos; Media Specifications: JPEG and PNG of 8 MB,
	// MOV and MP4 of 1 GB. Polls: a poll_attachment of 2 to 4 options on
	// a text-only post (the client refuses the others before posting).
	// Threads fetches media from a public URL, as Instagram does.
	"threads": {Name: "threads", TextLimit: 500, Unit: Characters, Threads: true, MaxMedia: 20, Polls: true, NeedsMediaURL: true,
		Image: MediaLimit{jpegPNG, 8 * mb}, Video: MediaLimit{mp4MOV, 1024 * mb}},
	// Discord: a thread's parts are replies (message_reference).
	"discord": {Name: "discord", TextLimit: 2000, Unit: Characters, Threads: true, MaxMedia: 10,
		Image: MediaLimit{anyType, 10 * mib}, AltTextLimit: 1024},
	// Slack threads a message's replies (chat.postMessage's thread_ts).
	"slack": {Name: "slack", TextLimit: 40000, Unit: Characters, Threads: true, MaxMedia: 10,
		Image: MediaLimit{anyType, 1024 * mb}},
	// Bot API: sendPhoto 10 MB; a caption is 1,024. Both limits count the
	// text after entities parsing: without its HTML. A thread's parts are
	// replies (reply_parameters). Herald sends photos only (sendPhoto,
	// sendMediaGroup): a video is refused here rather than at publish.
	"telegram": {Name: "telegram", TextLimit: 4096, CaptionLimit: 1024, Unit: Characters, Threads: true, MaxMedia: 10,
		Image: MediaLimit{commonImages, telegramPhotoMax}},
	// A webhook receives a thread's parts in its payload's parts.
	"webhook": {Name: "webhook", Unit: Characters, Threads: true, Image: MediaLimit{anyType, 0}},
	"feed":    {Name: "feed", Unit: Characters, Image: MediaLimit{anyType, 0}},
	"outbox":  {Name: "outbox", Unit: Characters, Image: MediaLimit{anyType, 0}, Polls: true},
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
