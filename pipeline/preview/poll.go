package preview

import (
	"strconv"
	"strings"
	"time"

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

// line is "poll: A / B / C, 1d" and what the network makes of the poll:
// its duration where it differs from expires_in, multiple choice, hidden
// counts, its own question.
func (p *Poll) line(network string) string {
	var b strings.Builder
	b.WriteString("poll: ")
	b.WriteString(strings.Join(p.Options, " / "))
	b.WriteString(", ")
	switch took := netspec.FormatDuration(p.Duration); {
	case p.Open:
		b.WriteString("open until closed (" + network + " closes a poll by itself within " +
			netspec.FormatDuration(p.limits.MinDuration) + " to " + netspec.FormatDuration(p.limits.MaxDuration) +
			", not " + p.ExpiresIn + ")")
	case p.Duration == 0 || sameDuration(p.ExpiresIn, p.Duration):
		b.WriteString(p.ExpiresIn)
	default:
		b.WriteString(took + " (" + p.ExpiresIn + " as " + network + " takes it)")
	}
	if p.Multiple {
		b.WriteString(", multiple choice")
	}
	if p.MultipleDropped {
		b.WriteString(", single choice (" + network + " has no multiple choice)")
	}
	if p.HideTotals {
		b.WriteString(", counts hidden until the end")
	}
	switch {
	case p.Question != "" && p.Question == p.title:
		b.WriteString("; question: " + p.Question)
	case p.Question != "":
		b.WriteString("; its question is the text above")
	}
	return b.String()
}

// sameDuration reports whether expires_in is the duration d.
func sameDuration(expiresIn string, d time.Duration) bool {
	e, err := load.ParsePollExpiry(expiresIn)
	return err == nil && e == d
}
