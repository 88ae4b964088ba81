// Package stats collects the engagement of published posts (likes,
// reposts, replies, quotes, views) and each account's follower count, and
// appends them to the calendar's state/ files: a time series per
// publication in its post's state file, and state/accounts/<key>.json per
// account. Samples are only ever added, never rewritten; they are
// committed and pushed with the journal of package publish, which builds
// the commit again on a newer head when someone pushed meanwhile.
package stats

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/journal"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/publish/gitstore"
	"github.com/herald-social/herald/pipeline/state"
)

// Options configure a run. The zero value collects what is due now in the
// calendars of the working directory, committing and pushing to origin.
type Options struct {
	Dir   string   // where herald runs; PATHs are relative to it
	Paths []string // as for herald check: the posts sampled

	// Now is the instant the samples are taken at (--now); zero is the
	// wall clock. NowText is Now as the user wrote it: RFC 3339, or
	// "YYYY-MM-DD HH:MM" in each calendar's time zone. It wins over Now.
	Now     time.Time
	NowText string
	Wall    func() time.Time // the wall clock, for commits; default time.Now

	NoPush bool // commit locally, never fetch or push

	// Getenv looks credentials up; default os.Getenv.
	Getenv func(string) string
	// Publishers makes the publisher of an account; default
	// registry.Reader (Bluesky's AppView needs no app password). Channels
	// (feed, outbox) get a Store that refuses writes.
	Publishers networks.Open
	// Log receives one line per step; default discarded.
	Log io.Writer
	// Git configures the repository access (author, remote...).
	Git gitstore.Options
	// Hook, when set, is called before each step with its name: "fetch",
	// "networks" (before the first network call), "commit".
	Hook func(step string)
}

// Sample is the engagement of one publication that this run took.
type Sample struct {
	Calendar string // the calendar root, relative to Options.Dir: "." or "brands/a"
	PostID   string
	Account  string
	Network  string
	At       time.Time
	state.Counts
	// Previous is the publication's last sample before this one, nil for
	// its first.
	Previous *state.Sample

	ids []string // the network's ids the counts are of
}

// Followers is the follower count of one account that this run took.
type Followers struct {
	Calendar  string
	Account   string
	Network   string
	At        time.Time
	Followers int64
	// Previous is the account's last count before this one, nil for its
	// first.
	Previous *FollowerSample
}

// Problem is an account, or a post's state file, that could not be
// sampled.
type Problem struct {
	Calendar string
	Account  string
	PostID   string // "" for the whole account
	// What is "not-configured" (no credentials, or no client for the
	// network: not a failure, as in herald publish) or "failed".
	What string
	Err  error
}

// Report is what a run did.
type Report struct {
	Samples   []Sample    // by calendar, account, post
	Followers []Followers // by calendar, account
	Instances []Instance  // servers whose limits were read again
	Problems  []Problem

	// Publications that were not sampled, and why: sampled less than
	// their interval ago (Recent), published longer ago than their
	// account's window (Expired), on a network that has no engagement to
	// read (Unsupported: feed, outbox), gone from their network, which
	// gave no count for any of their posts (NotFound).
	Recent, Expired, Unsupported, NotFound int

	// Repository is where the samples were committed: the repository's
	// root and branch, or "" when a calendar is not in git (the files
	// were written in its folder).
	Repository string
	Commits    []string // short hashes, oldest first
	Pushed     bool
}

// Failed reports whether an account or a state file failed: the exit
// code is then 1.
func (r *Report) Failed() bool {
	for _, p := range r.Problems {
		if p.What == "failed" {
			return true
		}
	}
	return false
}

// Collect samples what is due in the calendars opts names.
func Collect(ctx context.Context, opts Options) (*Report, error) {
	if opts.Wall == nil {
		opts.Wall = time.Now
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Publishers == nil {
		opts.Publishers = registry.Reader
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Hook == nil {
		opts.Hook = func(string) {}
	}
	dir := opts.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		dir = wd
	}
	res, err := check.Calendars(ctx, dir, opts.Paths)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, cal := range res.Calendars {
		r, err := newRun(ctx, opts, dir, cal)
		if err != nil {
			return rep, err
		}
		err = r.run(ctx, rep)
		r.journal.Close()
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// run is the collection of one calendar.
type run struct {
	opts    Options
	cal     *check.Calendar
	display string // the calendar root relative to Options.Dir
	now     time.Time
	journal *journal.Journal
	made    map[string]made // publishers by account key
	// unconfigured are the accounts whose client found no credentials
	// when called: asked nothing more.
	unconfigured map[string]bool
}

type made struct {
	p   networks.Publisher
	err error
}

func newRun(ctx context.Context, opts Options, dir string, cal *check.Calendar) (*run, error) {
	r := &run{opts: opts, cal: cal, display: ".", made: map[string]made{}, unconfigured: map[string]bool{}, now: opts.Now}
	if rel, err := filepath.Rel(dir, cal.Root); err == nil {
		r.display = filepath.ToSlash(rel)
	}
	if opts.NowText != "" {
		now, err := check.ParseDate(opts.NowText, cal.Charter.Location)
		if err != nil {
			return nil, &load.UsageError{Err: fmt.Errorf("--now %q: %w", opts.NowText, err)}
		}
		r.now = now
	}
	if r.now.IsZero() {
		r.now = opts.Wall()
	}
	// A sample's time is written to the second, without the monotonic
	// clock, so that the same run applied again compares equal.
	r.now = r.now.Round(0).Truncate(time.Second)
	j, err := journal.Open(ctx, cal.Root, journal.GitOptions(opts.Git, opts.NoPush, opts.Getenv, opts.Wall, opts.Log))
	if err != nil {
		return nil, err
	}
	r.journal = j
	return r, nil
}

// env is what a publisher needs besides its account.
func (r *run) env() networks.Env {
	return networks.Env{Getenv: r.opts.Getenv, Brand: r.cal.Charter.Brand}
}

// readOnly is the calendar as a channel's Stats sees it: stats writes
// nothing but state/.
type readOnly struct{ fsys fs.FS }

func (s readOnly) ReadFile(name string) ([]byte, error) { return fs.ReadFile(s.fsys, name) }

func (s readOnly) WriteFile(name string, data []byte) error {
	return fmt.Errorf("%s: herald stats writes nothing but state/", name)
}
