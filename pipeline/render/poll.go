package render

import (
	"strings"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// PollQuestion is the question a post's poll is sent with where the
// account's network takes it as a text of its own (netspec's
// PollLimits.Question), else "": Discord's is the post's title, else the
// first part's text; Telegram's is the first part's text without its HTML
// (a question takes no formatting). It is not cut: check measures it.
func PollQuestion(p *load.Post, a *load.Account, r Rendering) string {
	s, _ := netspec.Lookup(a.Network)
	if p.Poll == nil || s.Poll == nil || !s.Poll.Question {
		return ""
	}
	if title := strings.TrimSpace(p.Title.Value); a.Network == "discord" && title != "" {
		return title
	}
	if len(r.Parts) == 0 {
		return ""
	}
	q := r.Parts[0].Text
	if a.Network == "telegram" {
		q = telegramVisible(q)
	}
	return strings.TrimSpace(q)
}
