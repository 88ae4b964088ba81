package gitstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp"
	"github.com/go-git/go-git/v5/plumbing/protocol/packp/capability"
	"github.com/go-git/go-git/v5/plumbing/revlist"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
)

// Push updates the remote branch to the base, from the commit it was built
// on and only from there: it never forces. When the remote branch moved
// meanwhile, it returns an error wrapping ErrRejected and changes nothing.
// Local stores, and stores with nothing to push, return nil.
//
// The pack holds just the objects the store's commits wrote, which is all
// the remote lacks, instead of the objects found by walking the history
// (go-git's Push walks every commit the remote has, seconds on a long
// history). When the store did not build on the remote branch (the branch
// is new there), the history is walked.
func (s *Store) Push(ctx context.Context) error {
	if s.Local() || s.base == s.remoteHead {
		return nil
	}
	auth, err := s.auth()
	if err != nil {
		return err
	}
	ep, err := transport.NewEndpoint(s.url)
	if err != nil {
		return s.remoteError("push to", err)
	}
	cli, err := client.NewClient(ep)
	if err != nil {
		return s.remoteError("push to", err)
	}
	sess, err := cli.NewReceivePackSession(ep, auth)
	if err != nil {
		return s.remoteError("push to", err)
	}
	defer sess.Close()
	adv, err := sess.AdvertisedReferencesContext(ctx)
	if err != nil && !errors.Is(err, transport.ErrEmptyRemoteRepository) {
		return s.remoteError("push to", err)
	}
	var cur plumbing.Hash
	var haves []plumbing.Hash
	if adv != nil {
		refs, err := adv.AllReferences()
		if err != nil {
			return s.remoteError("push to", err)
		}
		if ref, err := refs.Reference(s.branch); err == nil {
			cur = ref.Hash()
		}
		for _, ref := range refs {
			if ref.Type() == plumbing.HashReference {
				haves = append(haves, ref.Hash())
			}
		}
	}
	if cur == s.base {
		// An earlier push went through without our hearing back.
		return s.pushed()
	}
	if cur != s.remoteHead {
		return s.rejected(cur)
	}
	objects := s.pending
	if !s.covered {
		// Walk what the remote lacks; objects it has that we do not are
		// ignored.
		var known []plumbing.Hash
		for _, h := range haves {
			if _, err := s.repo.Storer.EncodedObject(plumbing.AnyObject, h); err == nil {
				known = append(known, h)
			}
		}
		if objects, err = revlist.Objects(s.repo.Storer, []plumbing.Hash{s.base}, known); err != nil {
			return fmt.Errorf("gitstore: list the objects to push: %w", err)
		}
	}

	var caps *capability.List
	if adv != nil {
		caps = adv.Capabilities
	} else {
		caps = capability.NewList()
	}
	req := packp.NewReferenceUpdateRequestFromCapabilities(caps)
	req.Commands = []*packp.Command{{Name: s.branch, Old: cur, New: s.base}}
	useRefDeltas := !caps.Supports(capability.OFSDelta)
	rd, wr := io.Pipe()
	req.Packfile = rd
	done := make(chan error, 1)
	go func() {
		_, err := packfile.NewEncoder(wr, s.repo.Storer, useRefDeltas).Encode(objects, 10)
		done <- wr.CloseWithError(err)
	}()
	report, err := sess.ReceivePack(ctx, req)
	if err != nil {
		rd.Close()
		<-done
		// Over HTTP, a refused update comes back as an error with the
		// report: a push that lost a race with another one ("failed to
		// update ref", "cannot lock ref") is rejected, not a failure.
		if report != nil {
			for _, st := range report.CommandStatuses {
				if st.Status != "ok" && raced(st.Status) {
					return s.rejected(plumbing.ZeroHash)
				}
			}
		}
		return s.remoteError("push to", err)
	}
	if err := <-done; err != nil {
		return fmt.Errorf("gitstore: pack the objects to push: %w", err)
	}
	if report != nil {
		if report.UnpackStatus != "ok" {
			return s.remoteError("push to", fmt.Errorf("the remote could not unpack: %s", report.UnpackStatus))
		}
		for _, st := range report.CommandStatuses {
			if st.Status == "ok" {
				continue
			}
			if raced(st.Status) {
				return s.rejected(plumbing.ZeroHash)
			}
			return s.remoteError("push to", fmt.Errorf("the remote refused to update %s: %s", st.ReferenceName.Short(), st.Status))
		}
	}
	return s.pushed()
}

// pushed records that the remote branch is at the base.
func (s *Store) pushed() error {
	s.remoteHead, s.pending, s.covered = s.base, nil, true
	if err := s.repo.Storer.SetReference(plumbing.NewHashReference(s.tracking, s.base)); err != nil {
		return fmt.Errorf("gitstore: pushed %s, but could not record it in %s: %w", short(s.base), s.tracking, err)
	}
	fmt.Fprintf(s.opts.Log, "gitstore: pushed %s to %s\n", short(s.base), s.tracking.Short())
	return nil
}

// raced reports whether a receive-pack refusal means the ref moved.
func raced(status string) bool {
	for _, r := range []string{"non-fast-forward", "fetch first", "failed to lock", "stale info", "cannot lock ref", "failed to update ref"} {
		if strings.Contains(status, r) {
			return true
		}
	}
	return false
}

func (s *Store) rejected(cur plumbing.Hash) error {
	at := ""
	if !cur.IsZero() {
		at = " to " + short(cur)
	}
	return fmt.Errorf("gitstore: push to %s: %s moved%s since %s was fetched: %w",
		s.displayURL(), s.branch.Short(), at, short(s.remoteHead), ErrRejected)
}

// CommitAndPush commits the changes computed on the base and pushes them.
// When the push is rejected because someone pushed meanwhile, it fetches,
// calls changes again with the new head (Herald's own changes computed
// again on top of the other commit, which is kept as it is), commits and
// pushes, up to maxAttempts times in all, waiting Backoff, then twice as
// long, between attempts. Local stores commit only. It returns the commit
// made, or the base when changes leave every file as it is.
func (s *Store) CommitAndPush(ctx context.Context, changes func(base Reader) ([]Change, error), message string, maxAttempts int) (plumbing.Hash, error) {
	if maxAttempts < 1 {
		maxAttempts = 1
	}
	wait := s.opts.Backoff
	for attempt := 1; ; attempt++ {
		h, err := s.commitAndPushOnce(ctx, changes, message)
		if err == nil || !errors.Is(err, ErrRejected) || attempt >= maxAttempts {
			if err != nil && errors.Is(err, ErrRejected) {
				err = fmt.Errorf("%w (gave up after %d attempts)", err, attempt)
			}
			return h, err
		}
		fmt.Fprintf(s.opts.Log, "gitstore: attempt %d: %v; fetching and trying again in %v\n", attempt, err, wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return plumbing.ZeroHash, ctx.Err()
		case <-t.C:
		}
		wait *= 2
		if err := s.Fetch(ctx); err != nil {
			return plumbing.ZeroHash, err
		}
	}
}

func (s *Store) commitAndPushOnce(ctx context.Context, changes func(Reader) ([]Change, error), message string) (plumbing.Hash, error) {
	cs, err := changes(s.Snapshot())
	if err != nil {
		return plumbing.ZeroHash, err
	}
	h, err := s.Commit(ctx, cs, message)
	if err != nil {
		return plumbing.ZeroHash, err
	}
	if err := s.Push(ctx); err != nil {
		return plumbing.ZeroHash, err
	}
	return h, nil
}
