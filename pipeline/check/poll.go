package check

import (
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
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
			r.at("poll.unsupported", poll.Key, "check.poll.unsupported", i18n.Args{"Who": who})
			continue
		}
		if n := len(poll.Options); n > 0 && (n < limits.MinOptions || limits.MaxOptions > 0 && n > limits.MaxOptions) {
			at := poll.OptionList
			if !at.IsSet() {
				at = poll.Key
			}
			r.at("poll.options", at, "check.poll.options", i18n.Args{"Options": cr.p.N("check.poll.option-count", n, nil), "Who": who,
				"Range": rangeOf(cr.p, limits.MinOptions, limits.MaxOptions)})
		}
		if limits.OptionLimit > 0 {
			for _, o := range poll.Options {
				if n := optionLength(o.Value, limits.OptionUnit); n > limits.OptionLimit {
					r.at("poll.option-length", o, "check.poll.option-length", i18n.Args{"Option": r.q(o.Value), "N": n,
						"Unit": unitName(cr.p, limits.OptionUnit), "Who": who, "Limit": limits.OptionLimit})
				}
			}
		}
		if hasExpiry {
			if sent, ok := limits.Duration(expiry); ok && !limits.InRange(sent) {
				r.at("poll.expiry", poll.ExpiresIn, "check.poll.expiry", i18n.Args{"Expiry": poll.ExpiresIn.Value, "Who": who,
					"Min": cr.p.Duration(limits.MinDuration), "Max": cr.p.Duration(limits.MaxDuration)})
			}
		}
		if multiple && !limits.Multiple {
			r.at("poll.multiple-unsupported", poll.Multiple, "check.poll.multiple-unsupported", i18n.Args{"Who": who})
		}
		if firstPartMedia && !limits.WithMedia {
			r.at("poll.with-media", poll.Key, "check.poll.with-media", i18n.Args{"Who": who})
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
	what, fix := "check.poll.question.first-part", "check.poll.question.shorten-text"
	switch {
	case a.Network == "discord" && strings.TrimSpace(p.Title.Value) != "":
		what, fix = "check.poll.question.title", "check.poll.question.shorten-title"
	case a.Network == "discord":
		fix = "check.poll.question.give-title"
	}
	r.at("poll.question-length", p.Poll.Key, "check.poll.question-length", i18n.Args{"Who": accountName(a), "What": cr.p.T(what, nil),
		"N": n, "Limit": limits.QuestionLimit, "Fix": cr.p.T(fix, nil)})
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
func rangeOf(p *i18n.Printer, lo, hi int) string {
	switch {
	case hi == 0:
		return p.T("check.range.at-least", i18n.Args{"Min": lo})
	case lo == 0:
		return p.T("check.range.at-most", i18n.Args{"Max": hi})
	}
	return p.T("check.range", i18n.Args{"Min": lo, "Max": hi})
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
