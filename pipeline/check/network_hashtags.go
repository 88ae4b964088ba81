package check

import (
	"unicode"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
)

// checkNetworkHashtags reports a text with more hashtags than its network
// takes (Instagram: 30), counted in the text as the network receives it.
// It reports, likewise, more @mentions than the network takes
// (Instagram: 20). The charter's own voice.max_hashtags is checked by checkVoice.
func (cr *charterRules) checkNetworkHashtags(r *reporter, p *load.Post, accounts []*load.Account) {
	for _, a := range accounts {
		limit, mentionLimit := spec(a).MaxHashtags, spec(a).MaxMentions
		if limit == 0 && mentionLimit == 0 {
			continue
		}
		pos := load.Text{Line: p.BodyLine, Column: 1}
		if _, variant := p.TextFor(a.Key, a.Network); variant != nil {
			pos = variant.Text
		}
		for _, part := range render.Render(p, a).Parts {
			if n := len(hashtags(part.Text)); limit > 0 && n > limit {
				r.at("text.too-many-hashtags", pos, "check.text.too-many-hashtags", i18n.Args{"N": n, "Account": a.Key, "Network": a.Network, "Limit": limit})
			}
			if n := mentionCount(part.Text); mentionLimit > 0 && n > mentionLimit {
				r.at("text.too-many-mentions", pos, "check.text.too-many-mentions", i18n.Args{"N": n, "Account": a.Key, "Network": a.Network, "Limit": mentionLimit})
			}
		}
	}
}

// mentionCount counts the @mentions of a text: an @ that no letter, digit
// or tag character precedes (an email address), followed by a username's
// characters (letters, digits, periods, underscores), as Instagram's
// usernames are made.
func mentionCount(text string) int {
	n := 0
	for i := 0; i < len(text); i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			prev, _ := utf8.DecodeLastRuneInString(text[:i])
			if isTagRune(prev) || prev == '.' || prev == '@' {
				continue
			}
		}
		j := i + 1
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') {
				break
			}
			j += size
		}
		if j > i+1 {
			n++
			i = j - 1
		}
	}
	return n
}
