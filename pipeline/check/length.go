package check

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render"
	"github.com/herald-social/herald/pipeline/render/length"
)

// checkLength renders the post for each account exactly as publish will
// send it and reports every thread part longer than the network allows, as
// the network counts it (X's weighted length, Bluesky's graphemes...).
// Accounts for which a bound of the length found on the Markdown source
// shows that every part fits are neither rendered nor counted.
func (cr *charterRules) checkLength(r *reporter, p *load.Post, accounts []*load.Account) {
	body := load.Text{Line: p.BodyLine}
	type sourceBound struct {
		source string
		bound  render.Bound
	}
	var bounds []sourceBound // by source text; most accounts share the body
	var limited []*load.Account
	for _, a := range accounts {
		if !render.HasLimit(a) {
			continue
		}
		source, _ := p.TextFor(a.Key, a.Network)
		i := slices.IndexFunc(bounds, func(b sourceBound) bool { return b.source == source })
		if i < 0 {
			i = len(bounds)
			bounds = append(bounds, sourceBound{source, render.BoundOf(source)})
		}
		if most, ok := bounds[i].bound.Max(a); !ok || most > render.MinLimit(a) {
			limited = append(limited, a)
		}
	}
	if len(limited) == 0 {
		return
	}
	for j, rendering := range render.RenderAll(p, limited) {
		a := limited[j]
		_, variant := p.TextFor(a.Key, a.Network)
		for i, part := range rendering.Parts {
			limit := render.Limit(a, part)
			if limit == 0 || lengthAtMost(a.Network, part.Text) <= limit {
				continue
			}
			length := render.Length(a, part.Text)
			if length <= limit {
				continue
			}
			pos := load.Text{Line: body.Line + part.Line - 1, Column: 1}
			if variant != nil {
				pos = variant.Text
			}
			which := cr.p.T("check.text.too-long.text", nil)
			if len(rendering.Parts) > 1 {
				which = cr.p.T("check.text.too-long.part", i18n.Args{"N": i + 1, "Total": len(rendering.Parts)})
			}
			account := a.Key
			if a.Key != a.Network {
				account += " (" + a.Network + ")"
			}
			r.at("text.too-long", pos, "check.text.too-long", i18n.Args{"Which": which, "Length": countOf(cr.p, length, render.UnitOf(a)),
				"Account": account, "Limit": plainInt(limit), "Hint": shortenHint(cr.p, a.Network)})
		}
	}
}

// lengthAtMost is an upper bound of render.Length, cheap where counting
// exactly is not: most texts are far below their limit, and need no exact
// count. Bluesky counts grapheme clusters, each at least one code point;
// Mastodon counts those of the text with each URL (which always has a
// "://" there) as 23 characters and each remote mention shortened.
// Elsewhere there is no bound cheaper than the count itself.
func lengthAtMost(network, text string) int {
	switch network {
	case "bluesky":
		return utf8.RuneCountInString(text)
	case "mastodon":
		return utf8.RuneCountInString(text) + length.MastodonURLLength*strings.Count(text, "://")
	}
	return math.MaxInt
}

// shortenHint says how to make a text fit: split it into a thread where
// the network has threads, else write a shorter variant for that network.
func shortenHint(p *i18n.Printer, network string) string {
	if s, _ := netspec.Lookup(network); s.Threads {
		return p.T("check.text.too-long.hint-thread", nil)
	}
	return p.T("check.text.too-long.hint-variant", i18n.Args{"Example": "variants: {" + network + ": \"...\"}"})
}

// countOf says a length in the unit the network counts in.
func countOf(p *i18n.Printer, n int, unit netspec.Unit) string {
	switch unit {
	case netspec.Weighted:
		return p.T("check.length.weighted", i18n.Args{"N": plainInt(n)})
	case netspec.Graphemes:
		return p.T("check.length.graphemes", i18n.Args{"N": plainInt(n)})
	}
	return p.T("check.length.characters", i18n.Args{"N": plainInt(n)})
}
