package schedule

import (
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// reason is one part of why an item has its status: a message of the
// catalog (plan.*.toml) with its values, written in a language only when
// shown, so that Item.Reason (English, for the journal and JSON) and the
// text output (the reader's language) say the same.
type reason struct {
	id   string
	args map[string]any // time.Time, time.Duration and quoted are written in the language
}

// quoted is a value a reason names in quotes.
type quoted string

// because sets the item's reason.
func (it *Item) because(id string, args map[string]any) {
	it.why = []reason{{id, args}}
	it.Reason = it.Explain(nil)
}

// alsoBecause adds a part to the item's reason.
func (it *Item) alsoBecause(id string, args map[string]any) {
	it.why = append(it.why, reason{id, args})
	it.Reason = it.Explain(nil)
}

// Explain says why the item has its status, in p's language (nil is
// English, as Reason says it); "" for an item due on time.
func (it Item) Explain(p *i18n.Printer) string {
	return it.explain(p, false)
}

// explain is Explain; brief leaves out what a line of the text output
// already shows (the due time and the plan's).
func (it Item) explain(p *i18n.Printer, brief bool) string {
	if len(it.why) == 0 {
		return it.Reason
	}
	if p == nil {
		p = english()
	}
	parts := make([]string, len(it.why))
	for i, r := range it.why {
		args := i18n.Args{}
		for k, v := range r.args {
			switch v := v.(type) {
			case time.Time:
				args[k] = timeText(p, v)
			case time.Duration:
				args[k] = p.Duration(v)
			case quoted:
				args[k] = p.Quote(string(v))
			default:
				args[k] = v
			}
		}
		id := r.id
		if brief && i18n.Has(id+".brief") {
			id += ".brief"
		}
		parts[i] = p.T(id, args)
	}
	return strings.Join(parts, p.T("plan.reason.separator", nil))
}

// english is the Printer of Item.Reason, made once: a plan of a large
// calendar has an item per post and account.
var english = sync.OnceValue(i18n.English)

// timeText writes an instant as formatTime does in English; other
// languages write the day in words. Both keep the zone's abbreviation,
// which tells apart the two 02:30 of the night the clocks go back.
func timeText(p *i18n.Printer, t time.Time) string {
	return p.T("plan.time", i18n.Args{"ISO": formatTime(t), "DateTime": p.DateTime(t), "Zone": t.Format("MST")})
}
