package networks

import (
	"context"
	"io/fs"
	"time"

	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/state"
)

// Publisher is what a network client, or a channel that writes into the
// calendar (feed, outbox), implements for the publish engine.
//
// The engine calls Publish at most once per intent it has committed; after
// a crash, or after any error but a Permanent or NotConfigured one, the
// publication may or may not exist, and the engine asks Lookup before it
// tries again. A Publisher keeps no state between calls that the engine
// relies on: everything it must remember is in the Result, which the engine
// journals.
type Publisher interface {
	// Publish publishes every part of p, in order, as one post or thread.
	Publish(ctx context.Context, p Publication) (Result, error)
	// Lookup finds a publication that an earlier, interrupted run made of
	// p, by its idempotency key where the network keeps one, else by what
	// the network lets one search. found is false when it does not exist.
	Lookup(ctx context.Context, p Publication) (r Result, found bool, err error)
	// Stats returns the engagement of published posts, one Counts per id
	// (the ids of a Result). A network without an engagement API returns
	// an error that Is ErrUnsupported.
	Stats(ctx context.Context, ids []string) ([]state.Counts, error)
}

// Batcher is what a channel that writes into the calendar implements
// besides Publisher when publishing many posts at once costs less than
// publishing them one by one: the feed reads and writes its file once for
// a whole run, where Publish would decode and re-encode it for each post.
// The engine calls PublishAll, when a channel has it, with every
// publication of the account that one commit journals (and again on the
// new head when it rebuilds the commit). It returns a Result and an error
// for each publication, in order: errs[i] is what Publish would have
// returned for ps[i], nil when it went out.
type Batcher interface {
	PublishAll(ctx context.Context, ps []Publication) (results []Result, errs []error)
}

// FollowerCounter is what a Publisher whose network says how many people
// follow the account implements besides: herald stats records the count
// once per run.
type FollowerCounter interface {
	Followers(ctx context.Context) (int64, error)
}

// Publication is one post as one account publishes it.
type Publication struct {
	PostID  string // the post's id: posts/2026/12/avent-1
	Account string // the account key
	Title   string // the post's title, "" when it has none
	// Campaign is the post's campaign key, "" when it has none; Tags are
	// its editorial line tags, in the post's order.
	Campaign string
	Tags     []string
	// Parts are the texts as the account's network receives them (see
	// render.Render), one per thread part, each with its media.
	Parts []Part
	// Files is the calendar, where each Medium.Path is found.
	Files fs.FS
	// IdempotencyKey is derived from PostID, Account and Digest: the same
	// publication always has the same key, and networks that take one
	// refuse a second post with it.
	IdempotencyKey string
	Digest         string    // the content digest of Parts and their media: sha256:<hex>
	Lang           string    // BCP 47 language of the text (the charter's locale), "" if unknown
	When           time.Time // the post's date
	At             time.Time // when the run publishes it (the run's clock, --now)
	// Link is a web page for the post, "" when the calendar has none.
	Link string
	// Poll goes with the first part; nil when the post has none or the
	// account's network has no polls.
	Poll *Poll
}

// Poll is a poll as a network receives it.
type Poll struct {
	Options    []string
	ExpiresIn  time.Duration
	Multiple   bool // people may choose more than one option
	HideTotals bool // vote counts stay hidden until the poll ends
}

// Part is one post of a thread: its text and its media.
type Part struct {
	Text  string
	Media []Medium
}

// Medium is an image or video, a file of the calendar.
type Medium struct {
	Path string // slash-separated, relative to the calendar root: media/avent-1.jpg
	Alt  string
	MIME string // image/jpeg...
}

// Result is what a publication made, for the engine to journal.
type Result struct {
	IDs  []string // the network's ids, one per post it made, in order
	URLs []string // where people see them, one per id; empty when there is no web page
	// Files are the files a channel wrote into the calendar (slash-separated,
	// relative to the calendar root), for the engine to commit with the
	// state. Network clients leave it empty.
	Files []string
}

// FactsReader is what a Publisher whose servers differ in their limits
// implements besides (Mastodon's max_characters, media types...): herald
// stats caches what it returns in state/instances/<account>.json, where
// check and preview read it (state.ReadFacts).
type FactsReader interface {
	Facts(ctx context.Context) (netspec.Facts, error)
}
