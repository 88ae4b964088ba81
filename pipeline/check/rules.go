package check

import (
	"slices"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
)

// Rule is one kind of problem check reports, with a stable id that the
// charter's rules: map can set to error, warning or off.
type Rule struct {
	ID       string
	Severity diag.Severity // by default
}

// Summary says what the rule finds, in p's language (check.rule.ID in
// the catalog).
func (r Rule) Summary(p *i18n.Printer) string {
	return p.T("check.rule."+r.ID, nil)
}

// rules lists every rule. Rules whose id starts with "charter." are about
// the configuration itself: they are always errors and make the run exit 2.
var rules = []Rule{
	{"charter.unreadable", diag.Error},
	{"charter.syntax", diag.Error},
	{"charter.schema", diag.Error},
	{"charter.timezone", diag.Error},
	{"charter.locale", diag.Error},
	{"charter.campaign-dates", diag.Error},
	{"charter.window", diag.Error},
	{"charter.range", diag.Error},
	{"charter.max-per-day", diag.Error},
	{"charter.rules", diag.Error},
	{"charter.path", diag.Error},
	{"charter.post-schema", diag.Error},
	{"charter.key-dates", diag.Error},

	{"post.unreadable", diag.Error},
	{"post.outside", diag.Error},
	{"post.too-large", diag.Error},
	{"post.binary", diag.Error},
	{"post.front-matter", diag.Error},
	{"post.syntax", diag.Error},
	{"post.duplicate-key", diag.Error},
	{"post.schema", diag.Error},
	{"post.id", diag.Error},
	{"post.duplicate-id", diag.Error},
	{"post.id-case", diag.Warning},
	{"post.empty", diag.Error},
	{"calendar.nested", diag.Error},
	{"post.edited-after-publish", diag.Warning},
	{"calendar.silence", diag.Warning},
	{"calendar.campaign-empty", diag.Warning},
	{"calendar.key-date-uncovered", diag.Warning},
	{"calendar.past-unpublished", diag.Warning},
	{"date.invalid", diag.Error},
	{"date.dst-gap", diag.Error},
	{"date.dst-ambiguous", diag.Error},
	{"account.unknown", diag.Error},
	{"tag.unknown", diag.Error},
	{"campaign.unknown", diag.Error},
	{"campaign.dates", diag.Warning},
	{"campaign.hashtags", diag.Error},
	{"text.too-long", diag.Error},
	{"text.too-many-hashtags", diag.Error},
	{"text.too-many-mentions", diag.Error},
	{"variant.unused", diag.Warning},
	{"media.missing", diag.Error},
	{"media.outside", diag.Error},
	{"media.format", diag.Error},
	{"media.size", diag.Error},
	{"media.duration", diag.Error},
	{"media.video-alone", diag.Error},
	{"media.count", diag.Error},
	{"media.required", diag.Error},
	{"media.url-missing", diag.Error},
	{"media.url-unreachable", diag.Warning},
	{"media.url-mismatch", diag.Warning},
	{"media.alt-missing", diag.Error},
	{"media.alt-length", diag.Error},
	{"bluesky.mention-unresolved", diag.Warning},
	{"poll.unsupported", diag.Warning},
	{"poll.options", diag.Error},
	{"poll.option-length", diag.Error},
	{"poll.expiry", diag.Error},
	{"poll.with-media", diag.Error},
	{"poll.multiple-unsupported", diag.Warning},
	{"poll.question-length", diag.Error},
	{"voice.banned", diag.Error},
	{"voice.prefer", diag.Warning},
	{"voice.max-hashtags", diag.Warning},
	{"voice.max-emojis", diag.Warning},
	{"cadence.window", diag.Warning},
	{"cadence.max-per-day", diag.Error},
	{"cadence.min-gap", diag.Warning},
	{"cadence.duplicate-text", diag.Error},
	{"cadence.repeated-text", diag.Warning},
	{"state.facts", diag.Warning},
	{"editorial.share", diag.Warning},
}

// fixedRules are errors the charter's rules: map cannot lower: what they
// find would make publish refuse the post when it is due.
var fixedRules = []string{"post.id", "post.outside"}

// Rules returns every rule, in a stable order.
func Rules() []Rule { return slices.Clone(rules) }

func defaultSeverity(id string) (diag.Severity, bool) {
	for _, r := range rules {
		if r.ID == id {
			return r.Severity, true
		}
	}
	return diag.Off, false
}

// RuleSummaries maps rule ids to their summaries in p's language, for
// the sarif format.
func RuleSummaries(p *i18n.Printer) map[string]string {
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		m[r.ID] = r.Summary(p)
	}
	return m
}
