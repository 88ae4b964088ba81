package stats

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/state"
)

// taken is what a run took from the networks of a calendar.
type taken struct {
	samples   []Sample
	followers []Followers
	instances []Instance
}

// commit appends the samples to the state files, the follower counts to
// the accounts' files, and writes the servers' limits, in one commit. When the push is rejected, the
// journal calls changes again on the new head: each sample is appended
// again to the file as it is there, unless that file already has a sample
// at this --now (this run's, pushed although the push seemed to fail), or
// no longer holds that publication (a person removed or changed it).
func (r *run) commit(ctx context.Context, rep *Report, t taken) error {
	var kept []Sample
	var keptFollowers []Followers
	var keptInstances []Instance
	var broken []Problem
	changes := func(base fs.FS) (map[string]*state.File, map[string][]byte, error) {
		kept, keptFollowers, keptInstances, broken = kept[:0], keptFollowers[:0], keptInstances[:0], broken[:0]
		files := map[string]*state.File{}
		bad := map[string]bool{}
		changed := map[string]*state.File{}
		for _, s := range t.samples {
			f, ok := files[s.PostID]
			if !ok && !bad[s.PostID] {
				var err error
				if f, err = state.Load(base, s.PostID); err != nil {
					bad[s.PostID] = true
					broken = append(broken, Problem{Calendar: r.display, PostID: s.PostID, What: "failed", Err: err})
				}
				files[s.PostID] = f
			}
			if f == nil {
				continue
			}
			a := f.Accounts[s.Account]
			if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, s.ids) ||
				slices.ContainsFunc(a.Stats, func(old state.Sample) bool { return old.At.Equal(s.At) }) {
				fmt.Fprintf(r.opts.Log, "stats: %s on %s: left as it is at %s\n", s.PostID, s.Account, s.At.Format(time.RFC3339))
				continue
			}
			a.AddSample(s.At, s.Counts)
			changed[s.PostID] = f
			kept = append(kept, s)
		}
		written := map[string][]byte{}
		for _, fl := range t.followers {
			past, err := ReadFollowers(base, fl.Account)
			if err != nil {
				broken = append(broken, Problem{Calendar: r.display, Account: fl.Account, What: "failed", Err: err})
				continue
			}
			past, added := addFollowers(past, FollowerSample{At: fl.At, Followers: fl.Followers})
			if !added {
				continue
			}
			name, err := FollowersPath(fl.Account)
			if err != nil {
				return nil, nil, err
			}
			if written[name], err = encodeFollowers(past); err != nil {
				return nil, nil, err
			}
			keptFollowers = append(keptFollowers, fl)
		}
		for _, in := range t.instances {
			if cached, ok, _ := state.ReadFacts(base, in.Account); ok && !cached.FetchedAt.Before(in.Facts.FetchedAt) {
				continue // another run refreshed them meanwhile
			}
			name, err := state.FactsPath(in.Account)
			if err != nil {
				return nil, nil, err
			}
			if written[name], err = state.EncodeFacts(in.Facts); err != nil {
				return nil, nil, err
			}
			keptInstances = append(keptInstances, in)
		}
		return changed, written, nil
	}
	h, err := r.journal.Commit(ctx, message(t), changes)
	if err != nil {
		return err
	}
	rep.Samples = append(rep.Samples, kept...)
	rep.Followers = append(rep.Followers, keptFollowers...)
	rep.Instances = append(rep.Instances, keptInstances...)
	rep.Problems = append(rep.Problems, broken...)
	if h != "" {
		rep.Commits = append(rep.Commits, h)
		rep.Pushed = r.journal.Pushed()
	}
	return nil
}

// message is the commit message: "herald: stats of 3 publications on 2
// accounts", then a line per sample, follower count and server.
func message(t taken) string {
	accounts := map[string]bool{}
	var b strings.Builder
	for _, s := range t.samples {
		accounts[s.Account] = true
		fmt.Fprintf(&b, "- %s on %s: %s\n", s.PostID, s.Account, describe(s.Counts))
	}
	for _, f := range t.followers {
		accounts[f.Account] = true
		fmt.Fprintf(&b, "- %s: %s\n", f.Account, plural(f.Followers, "follower"))
	}
	for _, in := range t.instances {
		accounts[in.Account] = true
		fmt.Fprintf(&b, "- %s: the limits of %s\n", in.Account, in.Facts.Server)
	}
	return fmt.Sprintf("herald: stats of %s on %s\n\n", plural(int64(len(t.samples)), "publication"), plural(int64(len(accounts)), "account")) + b.String()
}

// describe says the counts a network gave: "12 likes, 3 reposts, 1 reply".
func describe(c state.Counts) string {
	var parts []string
	for _, n := range []struct {
		v    *int64
		what string
	}{{c.Likes, "like"}, {c.Reposts, "repost"}, {c.Replies, "reply"}, {c.Quotes, "quote"}, {c.Views, "view"}} {
		if n.v != nil {
			parts = append(parts, plural(*n.v, n.what))
		}
	}
	if len(parts) == 0 {
		return "no counts"
	}
	return strings.Join(parts, ", ")
}

func plural(n int64, word string) string {
	switch {
	case n == 1:
		return "1 " + word
	case strings.HasSuffix(word, "y"):
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}
