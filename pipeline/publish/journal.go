package publish

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish/gitstore"
	"github.com/herald-social/herald/pipeline/publish/state"
	"github.com/herald-social/herald/pipeline/schedule"
)

// pushAttempts is how many times a commit is built again on a remote that
// moved before the run gives up.
const pushAttempts = 5

// intent is one due item this run publishes.
type intent struct {
	item schedule.Item
	acct *load.Account
	pub  networks.Publication
	// after publishing:
	result networks.Result
	err    error
	what   string
}

// run follows the protocol of README.md for one calendar.
func (r *run) run(ctx context.Context, rep *Report) error {
	if r.git != nil {
		rep.Repository = r.git.Root() + " (" + r.git.Branch() + ")"
		if !r.opts.DryRun {
			r.opts.Hook("fetch")
			if err := r.git.Fetch(ctx); err != nil {
				return err
			}
		}
	}
	r.states = newStates(r.base())
	publishers := newPublishers(r)

	// 1. Intents whose run is gone: ask the network before anything else.
	r.opts.Hook("reconcile")
	reconciled, err := r.reconcile(ctx, publishers, rep)
	if err != nil {
		return err
	}

	// 2. The due set, from the journal at the remote head.
	plan := schedule.Plan(r.cal, r.now, r.states, schedule.Options{Configured: publishers.configured})
	rep.Plans = append(rep.Plans, plan)
	var intents []*intent
	var missed []schedule.Item
	for _, it := range plan.Items {
		switch {
		case it.Status == schedule.Due:
			in, err := r.newIntent(it)
			if err != nil {
				rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, Err: err, What: "failed"})
				continue
			}
			intents = append(intents, in)
		case it.Status == schedule.Missed:
			if it.State != schedule.StateMissed {
				missed = append(missed, it) // journaled once, then reported by plan only
			}
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, What: "missed"})
		case it.Status == schedule.InProgress:
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, What: "in-progress"})
		case it.Status == schedule.Skipped && it.Account != "":
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, What: "skipped"})
		}
	}
	if r.opts.DryRun {
		for _, in := range intents {
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: in.item, What: "would-publish"})
		}
		return nil
	}

	// 3. Commit and push the intents (and the reconciled and missed ones)
	// before any network call: a run that loses the push race drops what
	// the winner took.
	if len(intents)+len(missed)+len(reconciled) > 0 {
		r.opts.Hook("intents")
		kept, err := r.commitIntents(ctx, rep, intents, missed, reconciled)
		if err != nil {
			return err
		}
		for _, in := range intents {
			if !slices.Contains(kept, in) {
				rep.Outcomes = append(rep.Outcomes, Outcome{Item: in.item, What: "lost"})
			}
		}
		intents = kept
	}
	if len(intents) == 0 {
		return nil
	}

	// 4. Publish to the networks, one account's failure never stopping
	// the others. Channels (feed, outbox) publish into the calendar, in
	// the results commit itself.
	for _, in := range intents {
		if isChannel(in.acct) {
			continue
		}
		r.opts.Hook("publish")
		p, err := publishers.get(in.acct)
		if err == nil {
			in.result, err = p.Publish(ctx, in.pub)
		}
		in.err = err
	}

	// 5. Journal the results.
	r.opts.Hook("results")
	if err := r.commitResults(ctx, rep, intents); err != nil {
		return err
	}
	for _, in := range intents {
		o := Outcome{Item: in.item, Result: in.result, Err: in.err, What: "published"}
		if in.err != nil {
			o.What = "failed"
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	return nil
}

// newIntent renders the item's post for its account as publish sends it.
func (r *run) newIntent(it schedule.Item) (*intent, error) {
	a := r.cal.Charter.Accounts[it.Account]
	pub, err := r.publication(it.Post.Post, a)
	if err != nil {
		return nil, err
	}
	return &intent{item: it, acct: a, pub: pub}, nil
}

// publication is a post as an account publishes it, with its digest and
// idempotency key: state.NewPublication, which check also uses to tell an
// edit made after publishing.
func (r *run) publication(p *load.Post, a *load.Account) (networks.Publication, error) {
	var when time.Time
	for _, post := range r.cal.Posts {
		if post.Post == p {
			when = post.When
		}
	}
	pub, err := state.NewPublication(p, a, os.DirFS(r.cal.Root), when, r.cal.Charter.Locale)
	pub.At = r.now
	return pub, err
}

// reconcile asks the network about each publishing intent whose lease has
// expired: found, it is published; not found, it is due again (the plan
// then says due or missed).
func (r *run) reconcile(ctx context.Context, publishers *publishers, rep *Report) ([]*intent, error) {
	var found []*intent
	wall := r.opts.Wall()
	for _, post := range r.cal.Posts {
		f, err := r.states.file(post.ID)
		if err != nil || len(f.Accounts) == 0 {
			continue // the plan reports an unreadable state file
		}
		for _, key := range f.Keys() {
			st := f.Accounts[key]
			a := r.cal.Charter.Accounts[key]
			if a == nil || !st.LeaseExpired(r.opts.Lease, wall) {
				continue
			}
			pub, err := r.publication(post.Post, a)
			if err != nil {
				continue
			}
			// Look up what was journaled: the content may have been edited
			// since the intent.
			pub.Digest, pub.IdempotencyKey = cmpOr(st.Digest, pub.Digest), cmpOr(st.IdempotencyKey, pub.IdempotencyKey)
			var res networks.Result
			ok := false
			if isChannel(a) {
				ch, err := publishers.channel(a, overlayOf(r.base()))
				if err == nil {
					res, ok, err = ch.Lookup(ctx, pub)
				}
				if err != nil {
					fmt.Fprintf(r.opts.Log, "reconcile %s on %s: %v\n", post.ID, key, err)
					continue
				}
			} else {
				p, err := publishers.get(a)
				if err == nil {
					res, ok, err = p.Lookup(ctx, pub)
				}
				if err != nil {
					// Cannot tell: leave the intent alone rather than risk a
					// second post. The plan shows it in progress.
					fmt.Fprintf(r.opts.Log, "reconcile %s on %s: %v\n", post.ID, key, err)
					continue
				}
			}
			it := schedule.Item{Post: post, PostID: post.ID, Path: post.Path, Account: key, Network: a.Network, DueAt: post.When}
			if ok {
				found = append(found, &intent{item: it, acct: a, pub: pub, result: res, what: "reconciled"})
				rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, Result: res, What: "reconciled"})
				r.states.override(post.ID, key, state.Published)
			} else {
				r.states.override(post.ID, key, "")
			}
		}
	}
	return found, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// commitIntents journals the intents, the missed items and the reconciled
// publications in one commit, pushed before any network call. It returns
// the intents this run keeps: those another run did not take meanwhile.
func (r *run) commitIntents(ctx context.Context, rep *Report, intents []*intent, missed []schedule.Item, reconciled []*intent) ([]*intent, error) {
	var kept []*intent
	wall := r.opts.Wall()
	changes := func(base fs.FS) (map[string]*state.File, map[string][]byte, error) {
		kept = kept[:0]
		st := newStates(base)
		for _, in := range intents {
			f, err := st.file(in.pub.PostID)
			if err != nil {
				return nil, nil, err
			}
			a := f.Account(in.item.Account)
			taken := a.Status == state.Published ||
				a.Status == state.Publishing && a.Run != r.id && !a.LeaseExpired(r.opts.Lease, wall)
			if taken {
				continue // another run took it since the plan
			}
			a.Begin(r.id, in.pub.IdempotencyKey, in.pub.Digest, wall)
			st.changed[in.pub.PostID] = true
			kept = append(kept, in)
		}
		for _, it := range missed {
			f, err := st.file(it.PostID)
			if err != nil {
				return nil, nil, err
			}
			if a := f.Account(it.Account); a.Status != state.Published && a.Status != state.Publishing {
				a.Miss(it.Reason)
				st.changed[it.PostID] = true
			}
		}
		for _, in := range reconciled {
			f, err := st.file(in.pub.PostID)
			if err != nil {
				return nil, nil, err
			}
			if a := f.Account(in.item.Account); a.Status == state.Publishing {
				a.Publish(in.result, r.now)
				st.changed[in.pub.PostID] = true
			}
		}
		return st.changedFiles(), nil, nil
	}
	msg := fmt.Sprintf("herald: publishing %s", plural(len(intents), "post"))
	if len(intents) == 0 {
		msg = "herald: journal"
	}
	msg += "\n\n" + describeIntents(intents, missed, reconciled)
	if err := r.commit(ctx, rep, msg, changes); err != nil {
		return nil, err
	}
	return kept, nil
}

// commitResults journals what each intent became. Channels publish here,
// into the commit, on the base it is built on: if the remote moved, they
// publish again on the new head (they are idempotent), so a feed that
// another run updated keeps that run's entries.
func (r *run) commitResults(ctx context.Context, rep *Report, intents []*intent) error {
	changes := func(base fs.FS) (map[string]*state.File, map[string][]byte, error) {
		st := newStates(base)
		files := overlayOf(base)
		for _, in := range intents {
			f, err := st.file(in.pub.PostID)
			if err != nil {
				return nil, nil, err
			}
			a := f.Account(in.item.Account)
			if a.Status != state.Publishing || a.Run != r.id {
				// Our lease ran out and another run reconciled it: its
				// journal stands.
				continue
			}
			if isChannel(in.acct) {
				in.result, in.err = networks.Result{}, nil
				ch, err := r.opts.Publishers(in.acct, r.env(files))
				if err == nil {
					in.result, err = ch.Publish(ctx, in.pub)
				}
				in.err = err
			}
			if in.err != nil {
				a.Fail(in.err, r.now)
			} else {
				a.Publish(in.result, r.now)
			}
			st.changed[in.pub.PostID] = true
		}
		return st.changedFiles(), files.writes, nil
	}
	published, failed := 0, 0
	for _, in := range intents {
		if in.err != nil {
			failed++
		} else {
			published++
		}
	}
	msg := fmt.Sprintf("herald: published %s", plural(published, "post"))
	if failed > 0 {
		msg += fmt.Sprintf(", %d failed", failed)
	}
	msg += "\n\n" + describeIntents(intents, nil, nil)
	return r.commit(ctx, rep, msg, changes)
}

// commit writes state files and channel files: a commit pushed in git,
// else the files in the folder.
func (r *run) commit(ctx context.Context, rep *Report, msg string,
	changes func(base fs.FS) (states map[string]*state.File, files map[string][]byte, err error)) error {
	encode := func(states map[string]*state.File, files map[string][]byte) ([]gitstore.Change, error) {
		var out []gitstore.Change
		for id, f := range states {
			name, err := state.Path(id)
			if err != nil {
				return nil, err
			}
			data, err := state.Encode(f)
			if err != nil {
				return nil, err
			}
			out = append(out, gitstore.Change{Path: r.prefix + name, Content: data})
		}
		for name, data := range files {
			out = append(out, gitstore.Change{Path: r.prefix + name, Content: data})
		}
		slices.SortFunc(out, func(a, b gitstore.Change) int { return strings.Compare(a.Path, b.Path) })
		return out, nil
	}
	if r.git == nil {
		states, files, err := changes(r.base())
		if err != nil {
			return err
		}
		cs, err := encode(states, files)
		if err != nil {
			return err
		}
		dir := networks.DirStore{Root: r.cal.Root}
		for _, c := range cs {
			if err := dir.WriteFile(c.Path, c.Content); err != nil {
				return err
			}
		}
		return nil
	}
	h, err := r.git.CommitAndPush(ctx, func(base gitstore.Reader) ([]gitstore.Change, error) {
		var cal fs.FS = base
		if r.prefix != "" {
			sub, err := fs.Sub(base, strings.TrimSuffix(r.prefix, "/"))
			if err != nil {
				return nil, err
			}
			cal = sub
		}
		states, files, err := changes(cal)
		if err != nil {
			return nil, err
		}
		return encode(states, files)
	}, msg, pushAttempts)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	rep.Commits = append(rep.Commits, h.String()[:7])
	rep.Pushed = !r.git.Local()
	r.states = newStates(r.base())
	return nil
}

func describeIntents(intents []*intent, missed []schedule.Item, reconciled []*intent) string {
	var b strings.Builder
	for _, in := range intents {
		fmt.Fprintf(&b, "- %s on %s", in.pub.PostID, in.item.Account)
		switch {
		case in.err != nil:
			fmt.Fprintf(&b, ": failed: %v", in.err)
		case len(in.result.URLs) > 0:
			fmt.Fprintf(&b, ": %s", in.result.URLs[0])
		}
		b.WriteString("\n")
	}
	for _, it := range missed {
		fmt.Fprintf(&b, "- %s on %s: missed: %s\n", it.PostID, it.Account, it.Reason)
	}
	for _, in := range reconciled {
		fmt.Fprintf(&b, "- %s on %s: found published by an interrupted run\n", in.pub.PostID, in.item.Account)
	}
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
