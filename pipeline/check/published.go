package check

import (
	"os"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/publish/state"
)

// checkPublished warns about a post edited after it was published: for
// each account its state file records as published, the post is rendered
// for the account as publish sends it (state.NewPublication, the one
// implementation publish uses too) and its digest compared with the one
// journaled. Publish never publishes it again, so the edit would silently
// go nowhere.
func (cr *charterRules) checkPublished(r *reporter, p *load.Post, when time.Time) {
	calendar := os.DirFS(cr.root)
	f, err := state.Load(calendar, p.ID)
	if err != nil || len(f.Accounts) == 0 {
		return // no journal, or one that herald plan and publish report
	}
	for _, key := range f.Keys() {
		st := f.Accounts[key]
		a := cr.charter.Accounts[key]
		if st.Status != state.Published || st.Digest == "" || a == nil {
			continue
		}
		pub, err := state.NewPublication(p, a, calendar, when, cr.charter.Locale)
		if err != nil || pub.Digest == st.Digest {
			continue // a missing medium is check's media.missing
		}
		pos := bodyStart(p)
		if _, variant := p.TextFor(a.Key, a.Network); variant != nil {
			pos = variant.Text
		}
		on := ""
		if loc := cr.charter.Location; !st.PublishedAt.IsZero() && loc != nil {
			on = " on " + st.PublishedAt.In(loc).Format("2006-01-02")
		}
		r.at("post.edited-after-publish", pos,
			"published on %s%s with other content: herald will not publish it again; revert the edit, or give the post a new id to publish it as a new post",
			key, on)
	}
}
