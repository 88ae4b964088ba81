// Package schedule decides, for each post and account of a calendar at a
// given instant, what is due, what is being published, what comes in the
// next days, what was missed and what is skipped, each with its reason.
//
// Post times are absolute instants (check.Post.When), so daylight saving
// changes need no special case here: a local time that the clocks skip or
// repeat is already an error of check. Times are shown in the charter's
// time zone.
//
// The package reads the publication state through StateReader and never
// writes it: the publish package owns the state files.
package schedule

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// Status is what the plan says about one post on one account.
type Status string

const (
	Due        Status = "due"         // publish it now (late by Item.LateBy)
	InProgress Status = "in_progress" // a run has started publishing it; publish reconciles it
	Upcoming   Status = "upcoming"    // due within the horizon
	Missed     Status = "missed"      // due longer ago than max_lateness, never published
	Skipped    Status = "skipped"     // draft, check errors, account not configured, unreadable state
	Done       Status = "done"        // published; listed only with Options.IncludeDone
)

// StateReader tells what publish has recorded about a post on an account.
type StateReader interface {
	// Status returns the recorded status (state.Publishing...), "" when
	// nothing is recorded, or an error when the state cannot be read: the
	// item is then skipped with the error as its reason.
	Status(postID, account string) (state.Status, error)
}

// DefaultHorizon is how far ahead upcoming items are listed.
const DefaultHorizon = 7 * 24 * time.Hour

// Options tune a plan. The zero value lists every item up to 7 days ahead,
// with every account configured and published items left out.
type Options struct {
	Horizon time.Duration // how far ahead to list; 0 is DefaultHorizon
	// Configured says why an account cannot publish (a networks.Error of
	// kind NotConfigured names the variable to set), nil when it can; its
	// items that are due or upcoming are then skipped with that reason.
	// Nil means every account can.
	Configured func(*load.Account) error
	// IncludeDone lists the items already published.
	IncludeDone bool
}

// Item is one post on one account.
type Item struct {
	Post    *check.Post // the post as check read it
	PostID  string
	Path    string // the post's display path
	Account string // the account key; "" when the post names no valid account
	Network string // the account's network
	DueAt   time.Time
	Status  Status
	Reason  string        // why, in English words (Explain says it in another language); "" for an item due on time
	why     []reason      // Reason's parts, for Explain
	LateBy  time.Duration // how long ago it was due, for Due and Missed items
	State   state.Status  // the status recorded in the state, "" when none
	// Unreadable says that the post's file, or its state file, cannot be
	// read: the item is skipped, and while it would be due (see Blocked)
	// plan and publish fail. Nothing is journaled for it.
	Unreadable bool
}

// Blocked reports whether the item cannot go out although it would be due
// at now if it could be read: a skipped item, not a draft, whose post or
// state cannot be read or whose post has check errors, due at or before
// now, or with no date to tell. Plan and publish name it and fail: a
// scheduled job must not stay green on a post that never goes out.
func (it Item) Blocked(now time.Time) bool {
	if it.Status != Skipped || it.Post != nil && it.Post.Post != nil && it.Post.IsDraft() {
		return false
	}
	if !it.Unreadable && (it.Post == nil || firstError(it.Post) == nil) {
		return false // not configured, account not in the charter...
	}
	return it.DueAt.IsZero() || !it.DueAt.After(now)
}

// Blocked returns the items that would be due and cannot go out (see
// Item.Blocked).
func (r *Result) Blocked() []Item {
	var out []Item
	for _, it := range r.Items {
		if it.Blocked(r.Now) {
			out = append(out, it)
		}
	}
	return out
}

// Result is a calendar's plan at an instant.
type Result struct {
	Calendar    *check.Calendar
	Now         time.Time // in the charter's time zone
	MaxLateness time.Duration
	Horizon     time.Duration
	Items       []Item // by due time, then post id, then account
}

// Count returns how many items have status s.
func (r *Result) Count(s Status) int {
	n := 0
	for _, it := range r.Items {
		if it.Status == s {
			n++
		}
	}
	return n
}

// Plan computes the plan of cal at now. A nil state means nothing has been
// published yet.
func Plan(cal *check.Calendar, now time.Time, state StateReader, opts Options) *Result {
	loc := cal.Charter.Location
	if loc == nil {
		loc = time.UTC
	}
	p := &planner{
		cal: cal, now: now.In(loc), loc: loc, state: state, opts: opts,
		maxLate: cal.Charter.Cadence.Lateness(),
		horizon: cmp.Or(opts.Horizon, DefaultHorizon),
	}
	res := &Result{Calendar: cal, Now: p.now, MaxLateness: p.maxLate, Horizon: p.horizon}
	for _, post := range cal.Unreadable {
		// Its date, when what can be read of it says (post.When), tells
		// whether it would be due; without one, it may be.
		it := Item{Post: post, PostID: post.ID, Path: post.Path, Status: Skipped, Unreadable: true}
		id, args := "plan.reason.unreadable", map[string]any{}
		if d := firstError(post); d != nil {
			id, args["Problem"] = "plan.reason.unreadable-because", describe(*d)
		}
		switch {
		case post.When.IsZero():
			it.because(id+".undated", args)
		case post.When.Sub(p.now) > p.horizon:
			continue
		default:
			it.DueAt = post.When.In(loc)
			it.because(id, args)
		}
		res.Items = append(res.Items, it)
	}
	for _, post := range cal.Posts {
		keys := accountKeys(post)
		if len(keys) == 0 {
			keys = []string{""}
		}
		for _, key := range keys {
			if it, ok := p.item(post, key); ok {
				res.Items = append(res.Items, it)
			}
		}
	}
	slices.SortFunc(res.Items, func(a, b Item) int {
		return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.PostID, b.PostID), cmp.Compare(a.Account, b.Account))
	})
	return res
}

type planner struct {
	cal     *check.Calendar
	now     time.Time
	loc     *time.Location
	state   StateReader
	opts    Options
	maxLate time.Duration
	horizon time.Duration
}

// item classifies post on the account key; false when it is beyond the
// horizon, or done and done items are not wanted.
func (p *planner) item(post *check.Post, key string) (Item, bool) {
	it := Item{Post: post, PostID: post.ID, Path: post.Path, Account: key}
	acct := p.cal.Charter.Accounts[key]
	if acct != nil {
		it.Network = acct.Network
	}
	if !post.When.IsZero() {
		it.DueAt = post.When.In(p.loc)
		if it.DueAt.Sub(p.now) > p.horizon {
			return it, false
		}
	}
	skip := func(id string, args map[string]any) (Item, bool) {
		it.Status = Skipped
		it.because(id, args)
		return it, true
	}

	if p.state != nil && key != "" {
		st, err := p.state.Status(post.ID, key)
		if err != nil && post.IsDraft() {
			return skip("plan.reason.draft", nil)
		}
		if err != nil {
			// Whether it went out is unknown: never published blindly.
			it.Unreadable = true
			return skip("plan.reason.state-unreadable", map[string]any{"Err": err.Error()})
		}
		it.State = st
	}
	switch it.State {
	case state.Published:
		it.Status = Done
		it.because("plan.reason.published", nil)
		return it, p.opts.IncludeDone
	case state.Publishing:
		it.Status = InProgress
		it.because("plan.reason.publishing", nil)
		return it, true
	case "", state.Failed, state.Missed:
	default:
		it.Unreadable = true
		return skip("plan.reason.unknown-status", map[string]any{"Status": quoted(it.State)})
	}
	switch {
	case post.IsDraft():
		return skip("plan.reason.draft", nil)
	case firstError(post) != nil:
		return skip("plan.reason.check", map[string]any{"Problem": describe(*firstError(post))})
	case key == "":
		return skip("plan.reason.no-account", nil)
	case acct == nil:
		return skip("plan.reason.unknown-account", map[string]any{"Account": quoted(key)})
	case it.DueAt.IsZero():
		return skip("plan.reason.no-date", nil)
	}

	late := p.now.Sub(it.DueAt)
	if late > p.maxLate || it.State == state.Missed {
		it.Status, it.LateBy = Missed, max(late, 0)
		if it.State == state.Missed {
			it.because("plan.reason.recorded-missed", map[string]any{"Due": it.DueAt})
		} else {
			it.because("plan.reason.missed", map[string]any{"Due": it.DueAt, "Now": p.now, "Late": late, "Max": p.maxLate})
		}
		if it.State == state.Failed {
			it.alsoBecause("plan.reason.last-failed", nil)
		}
		return it, true
	}
	if p.opts.Configured != nil {
		if err := p.opts.Configured(acct); err != nil {
			return skip(notConfigured(err))
		}
	}
	if late < 0 {
		it.Status = Upcoming
		it.because("plan.reason.upcoming", map[string]any{"In": -late})
		return it, true
	}
	it.Status = Due
	if late > 0 {
		it.LateBy = late
		it.alsoBecause("plan.reason.late", map[string]any{"Late": late})
	}
	if it.State == state.Failed {
		it.alsoBecause("plan.reason.retry", nil)
	}
	return it, true
}

// accountKeys returns the account keys the post names, once each.
func accountKeys(post *check.Post) []string {
	var keys []string
	for _, n := range post.Networks {
		if n.Value != "" && !slices.Contains(keys, n.Value) {
			keys = append(keys, n.Value)
		}
	}
	return keys
}

// firstError returns the post's first error in position order, nil when
// check found none (warnings do not stop a post).
func firstError(post *check.Post) *diag.Diagnostic {
	for i, d := range post.Diagnostics {
		if d.Severity == diag.Error {
			return &post.Diagnostics[i]
		}
	}
	return nil
}

func describe(d diag.Diagnostic) string {
	if d.Line > 0 {
		return fmt.Sprintf("%d:%d: %s [%s]", d.Line, d.Column, d.Message, d.Rule)
	}
	return fmt.Sprintf("%s [%s]", d.Message, d.Rule)
}

// formatTime shows an instant as people read it in the charter's zone,
// with the zone's abbreviation, which tells apart the two 02:30 of the
// night the clocks go back.
func formatTime(t time.Time) string {
	if t.Second() != 0 {
		return t.Format("2006-01-02 15:04:05 MST")
	}
	return t.Format("2006-01-02 15:04 MST")
}

// FormatDuration writes d briefly, in days, hours, minutes and seconds:
// 47m, 1h5m, 29d30m. Past a day it is rounded to the minute.
func FormatDuration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	d = d.Round(time.Second)
	if d >= 24*time.Hour {
		d = d.Round(time.Minute)
	}
	if d == 0 {
		return "0s"
	}
	var s string
	for _, u := range []struct {
		unit   time.Duration
		suffix string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			s += fmt.Sprintf("%d%s", n, u.suffix)
			d -= n * u.unit
		}
	}
	return s
}

// notConfigured is the reason an account that cannot publish gives, in
// the catalog's words: the variable to set when that is what is missing.
func notConfigured(err error) (id string, args map[string]any) {
	ne, ok := errors.AsType[*networks.Error](err)
	switch {
	case ok && ne.Kind == networks.NotConfigured && ne.Env != "":
		return "plan.reason.not-set", map[string]any{"Env": ne.Env}
	case ok && ne.Err != nil:
		return "plan.reason.not-configured", map[string]any{"Why": ne.Err.Error()} // without "account x: ", which the plan says
	}
	return "plan.reason.not-configured", map[string]any{"Why": err.Error()}
}
