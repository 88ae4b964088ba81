package check

import (
	"time"

	"github.com/herald-social/herald/pipeline/load"
)

// Mastodon's limits on a poll's duration (PollValidator).
const (
	minPollExpiry = 5 * time.Minute
	maxPollExpiry = 30 * 24 * time.Hour
)

// checkPoll checks a post's poll: how long it runs, and that each target
// network can carry it. The schema checks its shape.
func (cr *charterRules) checkPoll(r *reporter, p *load.Post, accounts []*load.Account) {
	poll := p.Poll
	if poll == nil {
		return
	}
	if e := poll.ExpiresIn; e.IsSet() {
		if d, err := load.ParsePollExpiry(e.Value); err == nil && (d < minPollExpiry || d > maxPollExpiry) {
			r.at("poll.expiry", e, "the poll runs %s; Mastodon takes 5m to 30d: change expires_in", e.Value)
		}
	}
	firstPartMedia := false
	for _, m := range p.Media {
		firstPartMedia = firstPartMedia || m.Part == 1
	}
	reported := map[string]bool{}
	for _, a := range accounts {
		if reported[a.Network] {
			continue
		}
		reported[a.Network] = true
		switch {
		case !spec(a).Polls:
			r.at("poll.unsupported", poll.Key, "%s has no polls: the post goes without it", a.Network)
		case (a.Network == "mastodon" || a.Network == "threads") && firstPartMedia:
			// Threads API, Polls: "You can attach polls only to text-only posts."
			r.at("poll.with-media", poll.Key, "%s cannot publish a poll and media in one post: move the media to another thread part (part: 2) or drop the poll", a.Network)
		}
	}
}
