// Package publication makes a post into what an account's network
// receives (a networks.Publication): the post rendered for the account,
// its media resolved in the calendar, its content digest and idempotency
// key. Publish hands it to the network; check compares its digest with
// the journal's to find posts edited after they went out.
package publication

import (
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/media"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render"
)

// New returns the publication of a post on an account, as the
// engine hands it to the account's Publisher and as check compares it
// with what was published: the post rendered for the account (render, the
// text preview shows), its media resolved in calendar (the calendar
// root), its digest and idempotency key. when is the post's date, lang the
// charter's locale; the caller sets At when it publishes.
func New(post *load.Post, a *load.Account, calendar fs.FS, when time.Time, lang string) (networks.Publication, error) {
	rendering := render.Render(post, a)
	parts := make([]networks.Part, len(rendering.Parts))
	for i, p := range rendering.Parts {
		parts[i].Text = p.Text
		for _, m := range p.Media {
			medium, err := MediumOf(calendar, post.Rel, m)
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
	var tags []string
	for _, tag := range post.Tags {
		tags = append(tags, tag.Value)
	}
	return networks.Publication{
		PostID:         post.ID,
		Account:        a.Key,
		Title:          post.Title.Value,
		Campaign:       post.Campaign.Value,
		Tags:           tags,
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
// nil when the post has none or the network has no polls (netspec's
// Poll). The client fits the duration to the network (PollLimits.Duration).
func pollOf(post *load.Post, a *load.Account) (*networks.Poll, error) {
	if post.Poll == nil {
		return nil, nil
	}
	if s, _ := netspec.Lookup(a.Network); s.Poll == nil {
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

// MediumOf returns a post's medium as a Publisher takes it: its src,
// relative to the post at postRel (below the calendar root), made relative
// to the calendar root, and its MIME type read from the file in calendar.
// A src that leaves the calendar is an error (check reports it first).
func MediumOf(calendar fs.FS, postRel string, m load.Media) (networks.Medium, error) {
	src := m.Src.Value
	if strings.Contains(src, "://") || strings.HasPrefix(src, "/") || strings.Contains(src, `\`) {
		return networks.Medium{}, fmt.Errorf("media src %q must be a path relative to the post", src)
	}
	name := path.Join(path.Dir(postRel), src)
	if err := networks.CheckName(name); err != nil {
		return networks.Medium{}, fmt.Errorf("media src %q leaves the calendar", src)
	}
	mimeType, err := media.Sniff(calendar, name)
	if err != nil {
		return networks.Medium{}, err
	}
	return networks.Medium{Path: name, Alt: m.Alt.Value, MIME: mimeType}, nil
}
