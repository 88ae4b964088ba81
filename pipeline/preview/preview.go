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
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
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
	Unit      netspec.Unit
	Facets    []facets.Facet // Bluesky only: over the full text
	Poll      *Poll          // the post's poll as the network takes it; nil for none
}

// printerOr is the printer of an options struct: English when it has
// none.
func printerOr(p *i18n.Printer) *i18n.Printer {
	if p == nil {
		return i18n.English()
	}
	return p
}

// count is a part's length against its limit, in the network's unit:
// "12/300 graphemes", or "12 graphemes" where the network has no limit.
func (e Entry) count(p *i18n.Printer, part int) string {
	args := i18n.Args{
		"Length": p.Int(int64(e.Lengths[part])), "Limit": p.Int(int64(e.Limits[part])),
		"Unit": p.N("preview.unit."+string(e.Unit), e.Lengths[part], nil),
	}
	if e.Limits[part] == 0 {
		return p.T("preview.count-no-limit", args)
	}
	return p.T("preview.count", args)
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
	type post struct {
		cal     *check.Calendar
		p       *check.Post
		entries []Entry
	}
	var posts []post
	for _, cal := range res.Calendars {
		for _, p := range cal.Posts {
			posts = append(posts, post{cal: cal, p: p})
		}
	}
	var (
		next atomic.Int64
		wg   sync.WaitGroup
	)
	for range min(runtime.GOMAXPROCS(0), len(posts)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(posts); i = int(next.Add(1)) - 1 {
				posts[i].entries = postEntries(posts[i].cal, posts[i].p, true)
			}
		})
	}
	wg.Wait()
	var out []Entry
	for _, p := range posts {
		out = append(out, p.entries...)
	}
	return out
}

// postEntries renders and measures a post for each declared account it
// names; its Bluesky facets too when withFacets is set.
func postEntries(cal *check.Calendar, p *check.Post, withFacets bool) []Entry {
	var accounts []*load.Account
	for _, n := range p.Networks {
		if a := cal.Charter.Accounts[n.Value]; a != nil {
			accounts = append(accounts, a) // check reports the undeclared ones
		}
	}
	if len(accounts) == 0 {
		return nil
	}
	entries := make([]Entry, len(accounts))
	for i, r := range render.RenderAll(p.Post, accounts) {
		entries[i] = measure(p, accounts[i], r, withFacets)
	}
	return entries
}

// NewEntry renders and measures one post for one account.
func NewEntry(p *check.Post, a *load.Account) Entry {
	return measure(p, a, render.Render(p.Post, a), true)
}

// measure measures a post's rendering for an account, and finds its
// Bluesky facets when withFacets is set.
func measure(p *check.Post, a *load.Account, r render.Rendering, withFacets bool) Entry {
	e := Entry{Post: p, Account: a, Rendering: r, Unit: render.UnitOf(a), Poll: pollOf(p.Post, a, r)}
	e.Lengths = make([]int, len(r.Parts))
	e.Limits = make([]int, len(r.Parts))
	for i, part := range r.Parts {
		e.Lengths[i] = render.Length(a, part.Text)
		e.Limits[i] = render.Limit(a, part)
	}
	if withFacets && a.Network == "bluesky" {
		e.Facets = facets.Detect(r.Text())
	}
	return e
}
