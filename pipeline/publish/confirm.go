package publish

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/state"
)

// Confirmation is a person's word on a publication that Herald cannot
// confirm itself (an unconfirmed one: an interrupted run may have sent it,
// and its network cannot tell): it went out, with the network's ids if
// the person read them, or it did not, and the next run publishes it again.
type Confirmation struct {
	PostID  string
	Account string
	// Published says that the post went out (--published); false that it
	// did not (--not-published).
	Published bool
	IDs       []string // the network's ids, one per thread part; optional
	URLs      []string // where people see them; optional
	// Was is what the journal said before: publishing, or failed after a
	// transient error. Confirm sets it.
	Was state.Status
}

// Flag is the command-line flag that says what the person saw.
func (c Confirmation) Flag() string {
	if c.Published {
		return "--published"
	}
	return "--not-published"
}

// ConfirmCommand is the command a person runs once they have looked for
// an unconfirmed publication on its network.
func ConfirmCommand(postID, account string) string {
	return fmt.Sprintf("herald publish --confirm %s@%s --published [--id ID...] if it went out, --not-published if not", postID, account)
}

// confirmHelp is what an unconfirmed outcome adds to the network's word.
func confirmHelp(postID, account string) string {
	return "look in the channel, then run: " + ConfirmCommand(postID, account)
}

// Remedy says what a person does about an outcome, "" when nothing: for
// an unconfirmed one, the exact command that records what they saw.
func (o Outcome) Remedy() string {
	if o.What != "unconfirmed" {
		return ""
	}
	return confirmHelp(o.PostID, o.Account)
}

// Confirm journals what a person saw of publications herald reported
// unconfirmed, through the same journal as a run (fetch, commit, push; a
// push that loses a race is built again on the new head). It calls no
// network. Only an account whose status is publishing, with its lease run
// out, or failed after a transient error, can be confirmed: anything else
// is refused with a *load.UsageError, and nothing is written. With
// opts.DryRun it checks and says what it would record.
func Confirm(ctx context.Context, opts Options, confs []Confirmation) (*Report, error) {
	opts = opts.withDefaults()
	if len(confs) == 0 {
		return nil, &load.UsageError{Err: errors.New("nothing to confirm")}
	}
	res, err := check.Calendars(ctx, opts.Dir, opts.Paths)
	if err != nil {
		return nil, err
	}
	byCal := make([][]*Confirmation, len(res.Calendars))
	seen := map[[2]string]bool{}
	for i := range confs {
		c := &confs[i]
		item := [2]string{c.PostID, c.Account}
		if seen[item] {
			return nil, refuse(c, "it is given twice")
		}
		seen[item] = true
		var in []int
		for j, cal := range res.Calendars {
			if slices.ContainsFunc(cal.Posts, func(p *check.Post) bool { return p.ID == c.PostID }) {
				in = append(in, j)
			}
		}
		switch {
		case len(in) == 0:
			return nil, refuse(c, "there is no post %q here (its id is its path below the calendar root without .md, as herald plan lists it)", c.PostID)
		case len(in) > 1:
			return nil, refuse(c, "%d calendars have a post %q: give the calendar's folder as PATH", len(in), c.PostID)
		}
		byCal[in[0]] = append(byCal[in[0]], c)
	}
	rep := &Report{}
	for j, cal := range res.Calendars {
		if len(byCal[j]) == 0 {
			continue
		}
		r, err := newRun(ctx, opts, cal)
		if err != nil {
			return rep, err
		}
		err = r.confirm(ctx, rep, byCal[j])
		r.journal.Close()
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// refuse is a confirmation that cannot be recorded: exit code 2.
func refuse(c *Confirmation, format string, args ...any) error {
	return &load.UsageError{Err: fmt.Errorf("--confirm %s@%s: "+format, append([]any{c.PostID, c.Account}, args...)...)}
}

// confirm journals the confirmations of one calendar in one commit.
func (r *run) confirm(ctx context.Context, rep *Report, confs []*Confirmation) error {
	if rep.Repository = r.journal.Repository(); rep.Repository != "" && !r.opts.DryRun {
		r.opts.Hook("fetch")
		if err := r.journal.Fetch(ctx); err != nil {
			return err
		}
	}
	wall := r.opts.Wall()
	// Refuse before anything is written; then again on the base the
	// commit is built on, which another run may have moved.
	st := newStates(r.base())
	for _, c := range confs {
		if _, err := r.confirmable(st, c, wall); err != nil {
			return err
		}
	}
	if r.opts.DryRun {
		for _, c := range confs {
			rep.Confirmed = append(rep.Confirmed, *c)
		}
		return nil
	}
	changes := func(base fs.FS) (map[string]*state.File, map[string][]byte, error) {
		st := newStates(base)
		for _, c := range confs {
			a, err := r.confirmable(st, c, wall)
			if err != nil {
				return nil, nil, err
			}
			record(a, c, r.cal.Charter.Location, wall)
			st.changed[c.PostID] = true
		}
		return st.changedFiles(), nil, nil
	}
	r.opts.Hook("confirm")
	if err := r.commit(ctx, rep, confirmMessage(confs), changes); err != nil {
		return err
	}
	for _, c := range confs {
		rep.Confirmed = append(rep.Confirmed, *c)
	}
	return nil
}

// confirmable returns the journal's account of a confirmation if a person
// may confirm it, and sets c.Was: an intent whose lease ran out, or a
// failure after a transient error (either may have gone through). Else it
// says why not.
func (r *run) confirmable(st *states, c *Confirmation, wall time.Time) (*state.Account, error) {
	acct := r.cal.Charter.Accounts[c.Account]
	if acct == nil {
		return nil, refuse(c, "the charter has no account %q", c.Account)
	}
	if registry.IsChannel(acct) {
		return nil, refuse(c, "%s is a %s account, which herald publish checks itself: nothing to confirm", c.Account, acct.Network)
	}
	f, err := st.file(c.PostID)
	if err != nil {
		return nil, &load.UsageError{Err: fmt.Errorf("--confirm %s@%s: %w", c.PostID, c.Account, err)}
	}
	a := f.Accounts[c.Account]
	if a == nil {
		return nil, refuse(c, "nothing is recorded for it: herald publish never started it (herald plan says when it is due)")
	}
	switch {
	case a.Status == state.Publishing && !a.LeaseExpired(r.legacyLease(), wall):
		lease := a.LeaseOf(r.legacyLease())
		return nil, refuse(c, "a run started publishing it at %s and may still be at it: wait until its lease runs out at %s (the intent's lease, %s), then confirm",
			a.PublishingSince.UTC().Format(time.RFC3339), a.PublishingSince.Add(lease).UTC().Format(time.RFC3339), lease)
	case a.Status == state.Publishing:
	case a.Status == state.Failed && lastKind(a) == networks.Transient.String():
	case a.Status == state.Published:
		return nil, refuse(c, "it is already published%s: nothing to confirm", idList(a.IDs))
	case a.Status == state.Failed:
		return nil, refuse(c, "it failed (%s), and the next run publishes it again: nothing to confirm", a.Reason)
	case a.Status == state.Missed:
		return nil, refuse(c, "it was missed (%s): nothing to confirm", a.Reason)
	default:
		return nil, refuse(c, "its status is %q: nothing to confirm", a.Status)
	}
	c.Was = a.Status
	return a, nil
}

func lastKind(a *state.Account) string {
	if len(a.Attempts) == 0 {
		return ""
	}
	return a.Attempts[len(a.Attempts)-1].Kind
}

func idList(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return " (ids " + strings.Join(ids, ", ") + ")"
}

// record writes what the person saw. A publication is taken to have gone
// out when its run sent it (the intent's time, or the failed attempt's);
// one that did not is failed, not transient, so that the next run
// publishes it again (or reports it missed past max_lateness) without
// looking it up.
func record(a *state.Account, c *Confirmation, loc *time.Location, wall time.Time) {
	if !c.Published {
		a.Fail("", fmt.Errorf("confirmed not published by a person on %s", wall.In(loc).Format(time.DateOnly)), wall)
		return
	}
	at := a.PublishingSince
	if at.IsZero() && len(a.Attempts) > 0 {
		at = a.Attempts[len(a.Attempts)-1].At
	}
	if at.IsZero() {
		at = wall
	}
	a.Publish(c.IDs, c.URLs, at)
}

// confirmMessage is the commit message of confirmations: what was
// confirmed, and by which flag.
func confirmMessage(confs []*Confirmation) string {
	var subject string
	if len(confs) == 1 {
		c := confs[0]
		subject = fmt.Sprintf("%s on %s confirmed %s by a person (%s)", c.PostID, c.Account, outcomeWord(c), c.Flag())
	} else {
		n := 0
		for _, c := range confs {
			if c.Published {
				n++
			}
		}
		subject = fmt.Sprintf("%d publications confirmed by a person: %d published, %d not published", len(confs), n, len(confs)-n)
	}
	var b strings.Builder
	b.WriteString("herald: " + subject + "\n\n")
	for _, c := range confs {
		fmt.Fprintf(&b, "- %s\n", c.Describe())
	}
	return b.String()
}

func outcomeWord(c *Confirmation) string {
	if c.Published {
		return "published"
	}
	return "not published"
}

// Describe says what a confirmation records, with the command that gave
// it: "posts/a on telegram: published, ids 101 (--confirm posts/a@telegram
// --published --id 101)".
func (c Confirmation) Describe() string {
	args := []string{"--confirm", c.PostID + "@" + c.Account, c.Flag()}
	for _, id := range c.IDs {
		args = append(args, "--id", id)
	}
	for _, u := range c.URLs {
		args = append(args, "--url", u)
	}
	what := "published"
	switch {
	case !c.Published:
		what = "not published: the next run publishes it again"
	case len(c.IDs) > 0:
		what += ", ids " + strings.Join(c.IDs, ", ")
	}
	return fmt.Sprintf("%s on %s: %s (%s)", c.PostID, c.Account, what, strings.Join(args, " "))
}
