package check

import (
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
)

// checkNetworkHashtags reports a text with more hashtags than its network
// takes (Instagram: 30), counted in the text as the network receives it.
// The charter's own voice.max_hashtags is checked by checkVoice.
func (cr *charterRules) checkNetworkHashtags(r *reporter, p *load.Post, accounts []*load.Account) {
	for _, a := range accounts {
		limit := spec(a).MaxHashtags
		if limit == 0 {
			continue
		}
		pos := load.Text{Line: p.BodyLine, Column: 1}
		if _, variant := p.TextFor(a.Key, a.Network); variant != nil {
			pos = variant.Text
		}
		for _, part := range render.Render(p, a).Parts {
			if n := len(hashtags(part.Text)); n > limit {
				r.at("text.too-many-hashtags", pos, "%d hashtags for %s; %s takes at most %d: remove some, or write a variant for %s",
					n, a.Key, a.Network, limit, a.Network)
			}
		}
	}
}
