// Package preview shows posts as each network will show and count them:
// in the terminal, as JSON for tools, as Markdown for a pull-request
// comment, and as a static HTML calendar. It only formats: the text comes
// from package render, the same text publish sends.
package preview

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/render"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// Entry is one post as one account will receive it.
type Entry struct {
	Post      *check.Post
	Account   *load.Account
	Rendering render.Rendering
	Lengths   []int // each part's length as the network counts it
	Limits    []int // each part's limit; 0 when the network has none
	Unit      networks.Unit
	Facets    []facets.Facet // Bluesky only: over the full text
}

// Over reports whether a part is longer than its network allows.
func (e Entry) Over(part int) bool {
	return e.Limits[part] > 0 && e.Lengths[part] > e.Limits[part]
}

// Entries renders every kept post of the checked calendars for each
// declared account it names, in post order then the post's own order. The
// posts are rendered in parallel, one worker per CPU, and each distinct
// text of a post once per dialect.
func Entries(res *check.Result) []Entry {
	type span struct { // a post's entries in out
		post       *check.Post
		start, end int
	}
	var (
		out   []Entry
		posts []span
	)
	for _, cal := range res.Calendars {
		for _, p := range cal.Posts {
			start := len(out)
			for _, n := range p.Networks {
				a := cal.Charter.Accounts[n.Value]
				if a == nil {
					continue // check reports the undeclared account
				}
				out = append(out, Entry{Post: p, Account: a})
			}
			if len(out) > start {
				posts = append(posts, span{p, start, len(out)})
			}
		}
	}
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(posts)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(posts); i = int(next.Add(1)) - 1 {
				p, entries := posts[i].post, out[posts[i].start:posts[i].end]
				accounts := make([]*load.Account, len(entries))
				for j, e := range entries {
					accounts[j] = e.Account
				}
				for j, r := range render.RenderAll(p.Post, accounts) {
					entries[j] = measure(p, accounts[j], r)
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// NewEntry renders and measures one post for one account.
func NewEntry(p *check.Post, a *load.Account) Entry {
	return measure(p, a, render.Render(p.Post, a))
}

// measure measures a post's rendering for an account.
func measure(p *check.Post, a *load.Account, r render.Rendering) Entry {
	e := Entry{Post: p, Account: a, Rendering: r, Unit: render.UnitOf(a)}
	for _, part := range r.Parts {
		e.Lengths = append(e.Lengths, render.Length(a, part.Text))
		e.Limits = append(e.Limits, render.Limit(a, part))
	}
	if a.Network == "bluesky" {
		e.Facets = facets.Detect(r.Text())
	}
	return e
}
