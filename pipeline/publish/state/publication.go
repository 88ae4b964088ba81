package state

import (
	"fmt"
	"io/fs"
	"strconv"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render"
)

// NewPublication returns the publication of a post on an account, as the
// engine hands it to the account's Publisher and as check compares it
// with what was published: the post rendered for the account (render, the
// text preview shows), its media resolved in calendar (the calendar
// root), its digest and idempotency key. when is the post's date, lang the
// charter's locale; the caller sets At when it publishes.
func NewPublication(post *load.Post, a *load.Account, calendar fs.FS, when time.Time, lang string) (networks.Publication, error) {
	rendering := render.Render(post, a)
	parts := make([]networks.Part, len(rendering.Parts))
	for i, p := range rendering.Parts {
		parts[i].Text = p.Text
		for _, m := range p.Media {
			medium, err := networks.MediumOf(calendar, post.Rel, m)
			if err != nil {
				return networks.Publication{}, fmt.Errorf("%s: %w", post.Rel, err)
			}
			parts[i].Media = append(parts[i].Media, medium)
		}
	}
	poll, err := pollOf(post, a)
	if err != nil {
		return networks.Publication{}, fmt.Errorf("%s: %w", post.Rel, err)
	}
	digest, err := DigestWithPoll(parts, poll, calendar)
	if err != nil {
		return networks.Publication{}, fmt.Errorf("%s: %w", post.Rel, err)
	}
	return networks.Publication{
		PostID:         post.ID,
		Account:        a.Key,
		Title:          post.Title.Value,
		Parts:          parts,
		Files:          calendar,
		IdempotencyKey: IdempotencyKey(post.ID, a.Key, digest),
		Digest:         digest,
		Lang:           lang,
		When:           when,
		Poll:           poll,
	}, nil
}

// pollOf returns the post's poll as the account's network receives it:
// nil when the post has none or the network has no polls.
func pollOf(post *load.Post, a *load.Account) (*networks.Poll, error) {
	if post.Poll == nil {
		return nil, nil
	}
	if s, _ := netspec.Lookup(a.Network); !s.Polls {
		return nil, nil
	}
	expiry, err := load.ParsePollExpiry(post.Poll.ExpiresIn.Value)
	if err != nil {
		return nil, fmt.Errorf("poll expires_in: %w", err)
	}
	poll := &networks.Poll{ExpiresIn: expiry}
	for _, o := range post.Poll.Options {
		poll.Options = append(poll.Options, o.Value)
	}
	poll.Multiple, _ = strconv.ParseBool(post.Poll.Multiple.Value)
	poll.HideTotals, _ = strconv.ParseBool(post.Poll.HideTotals.Value)
	return poll, nil
}
