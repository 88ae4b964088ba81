package preview

import (
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render"
)

// Poll is a post's poll as an account's network takes it (netspec's
// PollLimits): what publish sends, and check measures.
type Poll struct {
	// Question is the poll's own text where the network takes one
	// (Discord, Telegram), else "": the post's text asks it.
	Question string
	Options  []string
	// ExpiresIn is the post's expires_in, as written.
	ExpiresIn string
	// Duration is how long the poll runs as the network takes it:
	// rounded up to its step (Discord: whole hours). 0 with Open.
	Duration time.Duration
	// Open is true where the network takes the poll without a duration
	// (Telegram past open_period's 600 s): it stays open until closed.
	Open bool
	// Multiple and HideTotals are as sent: false where the network has
	// no such thing (X has single-choice polls only).
	Multiple, HideTotals bool
	// MultipleDropped is true where the post asks for multiple choice and
	// the network has none.
	MultipleDropped bool
	limits          *netspec.PollLimits
	title           string // the post's title, trimmed
}

// pollOf is the post's poll as the account's network takes it, nil where
// the post has none or the network has no polls.
func pollOf(p *load.Post, a *load.Account, r render.Rendering) *Poll {
	s, _ := netspec.Lookup(a.Network)
	if p.Poll == nil || s.Poll == nil {
		return nil
	}
	out := &Poll{Question: render.PollQuestion(p, a, r), ExpiresIn: p.Poll.ExpiresIn.Value,
		limits: s.Poll, title: strings.TrimSpace(p.Title.Value)}
	out.Options = make([]string, 0, len(p.Poll.Options))
	for _, o := range p.Poll.Options {
		out.Options = append(out.Options, o.Value)
	}
	if d, err := load.ParsePollExpiry(p.Poll.ExpiresIn.Value); err == nil {
		out.Duration, out.Open = s.Poll.Duration(d)
		out.Open = !out.Open
	}
	multiple, _ := strconv.ParseBool(p.Poll.Multiple.Value)
	out.Multiple = multiple && s.Poll.Multiple
	out.MultipleDropped = multiple && !s.Poll.Multiple
	hide, _ := strconv.ParseBool(p.Poll.HideTotals.Value)
	out.HideTotals = hide && s.Poll.HideTotals
	return out
}

// line is "poll: A / B / C, 1d" and what the network makes of the poll,
// in p's language: its duration where it differs from expires_in,
// multiple choice, hidden counts, its own question.
func (p *Poll) line(pr *i18n.Printer, network string) string {
	var duration string
	switch took := netspec.FormatDuration(p.Duration); {
	case p.Open:
		duration = pr.T("preview.poll.open", i18n.Args{"Network": network, "ExpiresIn": p.ExpiresIn,
			"Min": netspec.FormatDuration(p.limits.MinDuration), "Max": netspec.FormatDuration(p.limits.MaxDuration)})
	case p.Duration == 0 || sameDuration(p.ExpiresIn, p.Duration):
		duration = p.ExpiresIn
	default:
		duration = pr.T("preview.poll.rounded", i18n.Args{"Took": took, "ExpiresIn": p.ExpiresIn, "Network": network})
	}
	var b strings.Builder
	b.WriteString(pr.T("preview.poll", i18n.Args{"Options": strings.Join(p.Options, " / "), "Duration": duration}))
	if p.Multiple {
		b.WriteString(pr.T("preview.poll.multiple", nil))
	}
	if p.MultipleDropped {
		b.WriteString(pr.T("preview.poll.single", i18n.Args{"Network": network}))
	}
	if p.HideTotals {
		b.WriteString(pr.T("preview.poll.hidden", nil))
	}
	switch {
	case p.Question != "" && p.Question == p.title:
		b.WriteString(pr.T("preview.poll.question", i18n.Args{"Question": p.Question}))
	case p.Question != "":
		b.WriteString(pr.T("preview.poll.question-is-text", nil))
	}
	return b.String()
}

// sameDuration reports whether expires_in is the duration d.
func sameDuration(expiresIn string, d time.Duration) bool {
	e, err := load.ParsePollExpiry(expiresIn)
	return err == nil && e == d
}
