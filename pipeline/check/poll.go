package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render"
	"github.com/herald-social/herald/pipeline/render/length"
)

// checkPoll checks a post's poll against the limits of each target
// account's network (netspec's PollLimits): how many options, how long
// each is, how long the poll runs, multiple choice, media beside it and
// the question where it is a text of its own. The schema checks its shape.
func (cr *charterRules) checkPoll(r *reporter, p *load.Post, accounts []*load.Account) {
	poll := p.Poll
	if poll == nil {
		return
	}
	expiry, expiryErr := load.ParsePollExpiry(poll.ExpiresIn.Value)
	hasExpiry := poll.ExpiresIn.IsSet() && expiryErr == nil
	multiple, _ := strconv.ParseBool(poll.Multiple.Value)
	firstPartMedia := false
	for _, m := range p.Media {
		firstPartMedia = firstPartMedia || m.Part == 1
	}
	for _, a := range accounts {
		limits := spec(a).Poll
		who := accountName(a)
		if limits == nil {
			r.at("poll.unsupported", poll.Key, "%s has no polls: the post goes without it", who)
			continue
		}
		if n := len(poll.Options); n > 0 && (n < limits.MinOptions || limits.MaxOptions > 0 && n > limits.MaxOptions) {
			at := poll.OptionList
			if !at.IsSet() {
				at = poll.Key
			}
			r.at("poll.options", at, "the poll has %s; %s takes %s: change the options", plural(n, "option"), who,
				rangeOf(limits.MinOptions, limits.MaxOptions))
		}
		if limits.OptionLimit > 0 {
			for _, o := range poll.Options {
				if n := optionLength(o.Value, limits.OptionUnit); n > limits.OptionLimit {
					r.at("poll.option-length", o, "the option %q is %d %s long; %s takes %d: shorten it",
						o.Value, n, limits.OptionUnit, who, limits.OptionLimit)
				}
			}
		}
		if hasExpiry {
			if sent, ok := limits.Duration(expiry); ok && !limits.InRange(sent) {
				r.at("poll.expiry", poll.ExpiresIn, "the poll runs %s; %s takes %s to %s: change expires_in",
					poll.ExpiresIn.Value, who, netspec.FormatDuration(limits.MinDuration), netspec.FormatDuration(limits.MaxDuration))
			}
		}
		if multiple && !limits.Multiple {
			r.at("poll.multiple-unsupported", poll.Multiple, "%s has no multiple-choice polls: people there choose one option", who)
		}
		if firstPartMedia && !limits.WithMedia {
			r.at("poll.with-media", poll.Key, "%s cannot publish a poll and media in one post: move the media to another thread part (part: 2) or drop the poll", who)
		}
		if limits.Question && limits.QuestionLimit > 0 {
			cr.checkQuestion(r, p, a, limits)
		}
	}
}

// checkQuestion checks the length of a poll's question where the network
// takes it as a text of its own (render.PollQuestion): Discord cuts it,
// Telegram refuses it.
func (cr *charterRules) checkQuestion(r *reporter, p *load.Post, a *load.Account, limits *netspec.PollLimits) {
	q := render.PollQuestion(p, a, render.Render(p, a))
	n := length.Characters(q)
	if n <= limits.QuestionLimit {
		return
	}
	what, fix := "its first part's text", "shorten that text"
	switch {
	case a.Network == "discord" && strings.TrimSpace(p.Title.Value) != "":
		what, fix = "the post's title", "shorten the title"
	case a.Network == "discord":
		fix = "give the post a title (Discord's question then) or shorten that text"
	}
	r.at("poll.question-length", p.Poll.Key, "the poll's question on %s is %s, %d characters; it takes %d: %s",
		accountName(a), what, n, limits.QuestionLimit, fix)
}

// plural is "1 option", "2 options".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// accountName names an account and its network: "x" where the account's
// key is its network, else "key (network)".
func accountName(a *load.Account) string {
	if a.Key == a.Network {
		return a.Key
	}
	return a.Key + " (" + a.Network + ")"
}

// rangeOf is "2 to 4", "1 to 10", "at least 2" or "at most 4".
func rangeOf(lo, hi int) string {
	switch {
	case hi == 0:
		return fmt.Sprintf("at least %d", lo)
	case lo == 0:
		return fmt.Sprintf("at most %d", hi)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// optionLength counts a poll option in a network's unit.
func optionLength(s string, u netspec.Unit) int {
	switch u {
	case netspec.Graphemes:
		return length.Graphemes(s)
	case netspec.Weighted:
		return length.X(s)
	}
	return length.Characters(s)
}
