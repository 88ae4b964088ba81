// Package publish publishes the posts that are due, exactly once per
// account, and journals every step in the calendar's state/ files, committed
// and pushed with go-git before the next step that could be repeated.
// README.md beside this file writes the protocol down, with why each step
// is safe.
package publish

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/journal"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/publish/gitstore"
	"github.com/herald-social/herald/pipeline/schedule"
)

// DefaultLease is how long a run's publishing intents keep other runs away.
const DefaultLease = 10 * time.Minute

// Options configure a run. The zero value publishes what is due now in the
// calendars of the working directory, committing and pushing to origin.
type Options struct {
	Dir   string   // where herald runs; PATHs are relative to it
	Paths []string // as for herald check

	// Now is the instant the plan is computed at (--now); zero is the wall
	// clock. Wall is the wall clock, for leases and the journal's times:
	// leases are measured on it whatever Now says.
	Now time.Time
	// NowText is Now as the user wrote it (--now): RFC 3339, or
	// "YYYY-MM-DD HH:MM" in each calendar's time zone. It wins over Now.
	NowText string
	Wall    func() time.Time
	// Lease is how long this run's intents keep other runs away, written
	// into each intent; 0 is DefaultLease. Another run's intents keep the
	// lease written in them, whatever this one is.
	Lease time.Duration
	// Recover reconciles every intent now, whatever its lease, through
	// the network's Lookup: for a person who knows no other run is alive.
	Recover bool

	DryRun bool // plan, and say what would be published; change nothing
	NoPush bool // commit locally, never fetch or push

	// Getenv looks credentials up; default os.Getenv.
	Getenv func(string) string
	// Publishers makes the publisher of an account; default registry.Open.
	Publishers networks.Open
	// Log receives one line per step; default discarded.
	Log io.Writer
	// Git configures the repository access (author, remote...).
	Git gitstore.Options
	// Hook, when set, is called before each step of the protocol with the
	// step's name; tests use it to stop a run at every step in turn.
	Hook func(step string)
	// Language chooses the language of check's diagnostics, which the
	// reasons of skipped posts quote, from each charter's locale; nil is
	// English. The journal is written in English whatever it says.
	Language func(charterLocale string) *i18n.Printer
}

func (r *run) env(store networks.Store) networks.Env {
	return networks.Env{Getenv: r.opts.Getenv, Store: store, Brand: r.cal.Charter.Brand, MediaURL: r.cal.Charter.MediaURL}
}

// Outcome is what became of one item of the plan.
type Outcome struct {
	schedule.Item
	Result networks.Result
	Err    error // the failure, for Failed
	// What is one of: published, failed, missed, skipped, in-progress,
	// would-publish (dry run), reconciled (found published by an earlier
	// run), lost (another run took it meanwhile), unconfirmed (an earlier
	// run may have published it and its network cannot tell: a person
	// looks and says so in the journal; Err says how).
	What string
}

// Report is what a run did.
type Report struct {
	Plans    []*schedule.Result
	Outcomes []Outcome
	// Repository is where the journal was committed: the repository's root
	// and branch, or "" when the calendar is not in git (nothing was
	// committed).
	Repository string
	Commits    []string // short hashes, oldest first
	Pushed     bool
	// Confirmed are what Confirm recorded (or would record, in a dry run).
	Confirmed []Confirmation
}

// Failed reports whether anything failed, was missed, or waits for a
// person to confirm it (unconfirmed): the exit code is then 1.
//
// A due post that check stops (it has errors), that cannot be read, or
// whose state cannot be read fails the run too: it is not published, and
// SPEC.md wants the exit code to say so. A draft, or an account without
// credentials, does not.
func (r *Report) Failed() bool {
	for _, o := range r.Outcomes {
		if o.What == "failed" || o.What == "missed" || o.What == "unconfirmed" || o.What == "skipped" && (blockedByCheck(o) || o.Unreadable) {
			return true
		}
	}
	return false
}

// blockedByCheck reports whether a skipped item (always a due one) is not
// a draft and has check errors.
func blockedByCheck(o Outcome) bool {
	if o.Post == nil || o.Post.IsDraft() {
		return false
	}
	errs, _ := diag.Count(o.Post.Diagnostics)
	return errs > 0
}

// Run publishes what is due.
func Run(ctx context.Context, opts Options) (*Report, error) {
	opts = opts.withDefaults()
	res, err := check.CalendarsIn(ctx, opts.Dir, opts.Paths, opts.Language)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	for _, cal := range res.Calendars {
		r, err := newRun(ctx, opts, cal)
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

// withDefaults fills in the zero fields of the options.
func (opts Options) withDefaults() Options {
	if opts.Wall == nil {
		opts.Wall = time.Now
	}
	opts.Lease = cmp.Or(opts.Lease, DefaultLease)
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Publishers == nil {
		opts.Publishers = registry.Open
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Hook == nil {
		opts.Hook = func(string) {}
	}
	return opts
}

// run is the publication of one calendar.
type run struct {
	opts Options
	cal  *check.Calendar
	id   string // names this run in its intents
	now  time.Time

	journal *journal.Journal
	states  *states
	// released are the intents of runs that are gone which reconcile
	// found unpublished, by post id and account: their run's id. This run
	// may journal over them.
	released map[[2]string]string
	// unconfirmed are the items whose network cannot tell whether an
	// earlier run published them (its Lookup is Unsupported: Telegram's
	// bots cannot read a chat's history), by post id and account: what
	// Lookup said. They stay in progress until a person confirms.
	unconfirmed map[[2]string]error
}

func newRun(ctx context.Context, opts Options, cal *check.Calendar) (*run, error) {
	r := &run{opts: opts, cal: cal, id: runID(opts.Wall()), released: map[[2]string]string{},
		unconfirmed: map[[2]string]error{}}
	r.now = opts.Now
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
	gitOpts := journal.GitOptions(opts.Git, opts.NoPush, opts.Getenv, opts.Wall, opts.Log)
	j, err := journal.Open(ctx, cal.Root, gitOpts)
	if err != nil {
		return nil, err
	}
	r.journal = j
	return r, nil
}

// runID names a run: its start on the wall clock and a random suffix, so
// that two runs started together are told apart.
func runID(start time.Time) string {
	var b [4]byte
	rand.Read(b[:])
	return start.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// base is the calendar as the journal sees it: the base commit's tree in
// git, else the folder.
func (r *run) base() fs.FS { return r.journal.Base() }
