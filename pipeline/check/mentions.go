package check

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// MentionResolver says which Bluesky handles name an account, asking the
// network on behalf of account a (its AppView): resolved[h] is false for a
// handle that names nobody. An error means it could not ask; check then
// says so once and reports none of a's mentions. herald check --online
// wires bluesky's; check makes no network call without one.
type MentionResolver func(ctx context.Context, a *load.Account, handles []string) (resolved map[string]bool, err error)

// mention is an @handle that a post in scope sends to a Bluesky account,
// and where it is in the post's file.
type mention struct {
	account string
	handle  string // lower-case, without "@"
	pos     pos
}

// findMentions returns the mentions of the post's text for each Bluesky
// account among accounts, as publish will find them (facets.Detect on the
// rendered text). Posts without an "@" are not rendered.
func findMentions(p *load.Post, accounts []*load.Account) []mention {
	var bluesky []*load.Account
	for _, a := range accounts {
		if source, _ := p.TextFor(a.Key, a.Network); a.Network == "bluesky" && strings.Contains(source, "@") {
			bluesky = append(bluesky, a)
		}
	}
	if len(bluesky) == 0 {
		return nil
	}
	var found []mention
	for j, rendering := range render.RenderAll(p, bluesky) {
		a := bluesky[j]
		source, variant := p.TextFor(a.Key, a.Network)
		for _, part := range rendering.Parts {
			for _, f := range facets.Detect(part.Text) {
				if f.Type != facets.Mention {
					continue
				}
				handle := strings.ToLower(f.Value)
				var at load.Text
				if variant != nil {
					at = variant.Text
				} else {
					at = mentionPosition(source, p.BodyLine, part.Line, handle)
				}
				found = append(found, mention{account: a.Key, handle: handle, pos: posOf(at)})
			}
		}
	}
	return found
}

// mentionPosition finds "@handle" in the body source, from the line where
// its thread part starts (partLine, from 1 in the body); the part's start
// when the Markdown hides it (a link's text...).
func mentionPosition(body string, bodyLine, partLine int, handle string) load.Text {
	line := bodyLine + partLine - 1
	rest := body
	for range partLine - 1 {
		_, rest, _ = strings.Cut(rest, "\n")
	}
	for n := line; rest != ""; n++ {
		var text string
		text, rest, _ = strings.Cut(rest, "\n")
		if i := strings.Index(strings.ToLower(text), "@"+handle); i >= 0 {
			return load.Text{Line: n, Column: len([]rune(text[:i])) + 1}
		}
	}
	return load.Text{Line: line, Column: 1}
}

// checkMentions asks resolve about every handle that posts in scope
// mention on each Bluesky account, once per account and handle, and
// reports those that name nobody: publish would send them as plain text.
// It returns what it could not ask, one line per account.
func (c *calendarCheck) checkMentions(ctx context.Context, resolve MentionResolver, summaries []*summary) (unchecked []string) {
	type use struct {
		path string
		pos  pos
	}
	uses := map[string]map[string][]use{} // account → handle → where
	for _, s := range summaries {
		if s == nil {
			continue
		}
		for _, m := range s.mentions { // found for posts in scope only
			if uses[m.account] == nil {
				uses[m.account] = map[string][]use{}
			}
			uses[m.account][m.handle] = append(uses[m.account][m.handle], use{s.path, m.pos})
		}
	}
	for _, key := range slices.Sorted(maps.Keys(uses)) {
		a := c.rules.charter.Accounts[key]
		handles := slices.Sorted(maps.Keys(uses[key]))
		resolved, err := resolve(ctx, a, handles)
		if err != nil {
			unchecked = append(unchecked, c.p.T("check.unchecked.mentions", i18n.Args{"N": len(handles), "Account": key, "Err": err}))
			continue
		}
		for _, h := range handles {
			if resolved[h] {
				continue
			}
			for _, u := range uses[key][h] {
				r := &reporter{p: c.p, path: u.path, severities: c.rules.severities}
				r.at("bluesky.mention-unresolved", u.pos.text(),
					"check.bluesky.mention-unresolved", i18n.Args{"Handle": h, "Account": key})
				c.diags = append(c.diags, r.diags...)
			}
		}
	}
	return unchecked
}
