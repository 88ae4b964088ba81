package publish

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/journal"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/publication"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/schedule"
	"github.com/herald-social/herald/pipeline/state"
)

// intent is one due item this run publishes.
type intent struct {
	item schedule.Item
	acct *load.Account
	pub  networks.Publication
	// after publishing:
	result networks.Result
	err    error
	// what is the outcome when it is not published or failed: reconciled,
	// or lost (another run reconciled it after this run's lease ran out).
	what string
	seen seen // for a reconciled item: the journal it was found with
}

// run follows the protocol of README.md for one calendar.
func (r *run) run(ctx context.Context, rep *Report) error {
	if rep.Repository = r.journal.Repository(); rep.Repository != "" && !r.opts.DryRun {
		r.opts.Hook("fetch")
		if err := r.journal.Fetch(ctx); err != nil {
			return err
		}
	}
	r.states = planStates(r.base())
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
		case it.Status == schedule.Missed && it.State != state.Missed:
			// Journaled and reported once; then herald plan lists it, and
			// publish no longer fails for it.
			missed = append(missed, it)
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, What: "missed"})
		case it.Status == schedule.InProgress && r.unconfirmed[[2]string{it.PostID, it.Account}] != nil:
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, Err: r.unconfirmed[[2]string{it.PostID, it.Account}], What: "unconfirmed"})
		case it.Status == schedule.InProgress:
			rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, What: "in-progress"})
		case it.Status == schedule.Skipped && (it.Account != "" || it.Blocked(r.now)) && !it.DueAt.After(r.now):
			// Due (or with no valid date) and not published: say why, even
			// of a post that cannot be read or names no account. What is
			// not due yet is herald plan's business. Nothing is journaled.
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
		if registry.IsChannel(in.acct) {
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
		switch {
		case in.what != "":
			o.What = in.what
		case in.err != nil:
			o.What = "failed"
		}
		rep.Outcomes = append(rep.Outcomes, o)
	}
	return nil
}

// newIntent renders the item's post for its account as publish sends it.
func (r *run) newIntent(it schedule.Item) (*intent, error) {
	a := r.cal.Charter.Accounts[it.Account]
	pub, err := r.publication(it.Post, a)
	if err != nil {
		return nil, err
	}
	return &intent{item: it, acct: a, pub: pub}, nil
}

// publication is a post as an account publishes it, with its digest and
// idempotency key: state.NewPublication, which check also uses to tell an
// edit made after publishing.
func (r *run) publication(p *check.Post, a *load.Account) (networks.Publication, error) {
	pub, err := publication.New(p.Post, a, os.DirFS(r.cal.Root), p.When, r.cal.Charter.Locale)
	pub.At = r.now
	return pub, err
}

// reconcile asks the network about each publication an earlier run may
// have made without journaling it: a publishing intent whose lease has
// expired (its run is gone), and a failure that may have gone through
// (a transient error: a timeout, a 5xx). Found, it is published; not
// found, it is due again (the plan then says due or missed). When the
// network cannot tell, the item is left in progress: a second post is
// worse than a late one.
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
			if a == nil || !r.mayExist(st, wall) {
				continue
			}
			pub, err := r.publication(post, a)
			if err != nil {
				continue
			}
			// Look up what was journaled: the content may have been edited
			// since the intent.
			pub.Digest, pub.IdempotencyKey = cmp.Or(st.Digest, pub.Digest), cmp.Or(st.IdempotencyKey, pub.IdempotencyKey)
			var res networks.Result
			ok := false
			var p networks.Publisher
			if registry.IsChannel(a) {
				p, err = publishers.channel(a, overlayOf(r.base()))
			} else {
				p, err = publishers.get(a)
			}
			if err == nil {
				res, ok, err = p.Lookup(ctx, pub)
			}
			item := [2]string{post.ID, key}
			if err != nil {
				// Cannot tell: leave it alone rather than risk a second
				// post. The plan shows it in progress; when the network
				// can never tell (no Lookup), it is reported for a person
				// to confirm.
				fmt.Fprintf(r.opts.Log, "reconcile %s on %s: %v\n", post.ID, key, err)
				r.states.override(post.ID, key, state.Publishing)
				if networks.KindOf(err) == networks.Unsupported {
					r.unconfirmed[[2]string{post.ID, key}] = err
				}
				continue
			}
			it := schedule.Item{Post: post, PostID: post.ID, Path: post.Path, Account: key, Network: a.Network, DueAt: post.When}
			switch {
			case ok:
				found = append(found, &intent{item: it, acct: a, pub: pub, result: res, what: "reconciled", seen: seenOf(st)})
				rep.Outcomes = append(rep.Outcomes, Outcome{Item: it, Result: res, What: "reconciled"})
				r.states.override(post.ID, key, state.Published)
			case st.Status == state.Publishing:
				r.released[item] = st.Run
				r.states.override(post.ID, key, "")
			}
		}
	}
	return found, nil
}

// mayExist reports whether the network may hold a publication that the
// journal does not record: an intent whose run is gone (its own lease ran
// out; with --recover, any intent), or a failure that may have gone
// through all the same.
func (r *run) mayExist(a *state.Account, wall time.Time) bool {
	if a.Status == state.Publishing && (r.opts.Recover || a.LeaseExpired(r.legacyLease(), wall)) {
		return true
	}
	return a.Status == state.Failed && len(a.Attempts) > 0 &&
		a.Attempts[len(a.Attempts)-1].Kind == networks.Transient.String()
}

// legacyLease is the lease of an intent that records none (written by a
// herald from before intents recorded theirs): this run's, but never less
// than the default, which that run had unless told otherwise. A shorter
// --lease never ends another run's intent early.
func (r *run) legacyLease() time.Duration {
	return max(r.opts.Lease, DefaultLease)
}

// seen is what the journal said of an item when this run read it: a
// change that relies on it is made only if the journal still says so.
type seen struct {
	status state.Status
	run    string
}

func seenOf(a *state.Account) seen { return seen{a.Status, a.Run} }

// mayTake reports whether this run may journal an intent, or a miss, over
// what the journal holds for an item: not over a publication, nor over
// another run's intent, unless reconcile found that intent abandoned and
// not published.
func (r *run) mayTake(postID, account string, a *state.Account) bool {
	switch a.Status {
	case state.Published:
		return false
	case state.Publishing:
		if a.Run == r.id {
			return true // ours, pushed although the push seemed to fail
		}
		run, ok := r.released[[2]string{postID, account}]
		return ok && run == a.Run
	}
	return true
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
			if !r.mayTake(in.pub.PostID, in.item.Account, a) {
				continue // another run took it since the plan
			}
			a.Begin(r.id, in.pub.IdempotencyKey, in.pub.Digest, wall, r.opts.Lease)
			st.changed[in.pub.PostID] = true
			kept = append(kept, in)
		}
		for _, it := range missed {
			f, err := st.file(it.PostID)
			if err != nil {
				return nil, nil, err
			}
			if a := f.Account(it.Account); r.mayTake(it.PostID, it.Account, a) {
				a.Miss(it.Reason)
				st.changed[it.PostID] = true
			}
		}
		for _, in := range reconciled {
			f, err := st.file(in.pub.PostID)
			if err != nil {
				return nil, nil, err
			}
			if a := f.Account(in.item.Account); seenOf(a) == in.seen {
				a.Publish(in.result.IDs, in.result.URLs, r.now)
				st.changed[in.pub.PostID] = true
			}
		}
		return st.changedFiles(), nil, nil
	}
	msg := "herald: " + subject("publishing", intents, len(missed), len(reconciled)) +
		"\n\n" + describeIntents(intents, missed, reconciled)
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
		var mine []*intent // the intents this run still holds
		for _, in := range intents {
			f, err := st.file(in.pub.PostID)
			if err != nil {
				return nil, nil, err
			}
			a := f.Account(in.item.Account)
			in.what = ""
			if a.Status != state.Publishing || a.Run != r.id {
				// Our lease ran out and another run reconciled it: its
				// journal stands.
				in.what = "lost"
				continue
			}
			mine = append(mine, in)
		}
		r.publishChannels(ctx, mine, files)
		for _, in := range mine {
			f, _ := st.file(in.pub.PostID) // read above
			a := f.Account(in.item.Account)
			if in.err != nil {
				a.Fail(networks.KindOf(in.err).String(), in.err, r.now)
			} else {
				a.Publish(in.result.IDs, in.result.URLs, r.now)
			}
			st.changed[in.pub.PostID] = true
		}
		return st.changedFiles(), files.writes, nil
	}
	msg := "herald: " + subject("published", intents, 0, 0) + "\n\n" + describeIntents(intents, nil, nil)
	return r.commit(ctx, rep, msg, changes)
}

// publishChannels publishes the channel intents into files, one account
// at a time: a channel that is a networks.Batcher (the feed) gets all of
// its account's publications in one call, so that it reads and writes its
// file once however many posts the run publishes; another gets them one
// by one, in order.
func (r *run) publishChannels(ctx context.Context, intents []*intent, files *overlay) {
	var keys []string
	byAccount := map[string][]*intent{}
	for _, in := range intents {
		if !registry.IsChannel(in.acct) {
			continue
		}
		in.result, in.err = networks.Result{}, nil
		if byAccount[in.item.Account] == nil {
			keys = append(keys, in.item.Account)
		}
		byAccount[in.item.Account] = append(byAccount[in.item.Account], in)
	}
	for _, key := range keys {
		ins := byAccount[key]
		ch, err := r.opts.Publishers(ins[0].acct, r.env(files))
		if err != nil {
			for _, in := range ins {
				in.err = err
			}
			continue
		}
		if b, ok := ch.(networks.Batcher); ok {
			pubs := make([]networks.Publication, len(ins))
			for i, in := range ins {
				pubs[i] = in.pub
			}
			results, errs := b.PublishAll(ctx, pubs)
			if len(results) != len(ins) || len(errs) != len(ins) {
				err := &networks.Error{Kind: networks.Permanent, Account: key,
					Err: fmt.Errorf("the channel answered for %d publications of %d: a bug in herald", len(results), len(ins))}
				for _, in := range ins {
					in.err = err
				}
				continue
			}
			for i, in := range ins {
				in.result, in.err = results[i], errs[i]
			}
			continue
		}
		for _, in := range ins {
			in.result, in.err = ch.Publish(ctx, in.pub)
		}
	}
}

// commit writes state files and channel files: a commit pushed in git,
// else the files in the folder.
func (r *run) commit(ctx context.Context, rep *Report, msg string, changes journal.Changes) error {
	h, err := r.journal.Commit(ctx, msg, changes)
	if err != nil {
		return err
	}
	if h != "" {
		rep.Commits = append(rep.Commits, h)
	}
	rep.Pushed = r.journal.Pushed()
	r.states = planStates(r.base())
	return nil
}

// subject is the first line of a commit message: "published 2 posts on 3
// accounts, 1 failed", "publishing 1 post on 1 account, 2 missed".
func subject(verb string, intents []*intent, missed, reconciled int) string {
	posts, accounts := map[string]bool{}, map[string]bool{}
	failed := 0
	for _, in := range intents {
		if in.err != nil {
			failed++
			continue
		}
		posts[in.pub.PostID], accounts[in.item.Account] = true, true
	}
	var parts []string
	if len(posts) > 0 {
		parts = append(parts, fmt.Sprintf("%s %s on %s", verb, plural(len(posts), "post"), plural(len(accounts), "account")))
	}
	for _, n := range []struct {
		count int
		what  string
	}{{failed, "failed"}, {missed, "missed"}, {reconciled, "found published by an interrupted run"}} {
		if n.count > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n.count, n.what))
		}
	}
	return strings.Join(parts, ", ")
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
