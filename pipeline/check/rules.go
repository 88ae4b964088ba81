package check

import (
	"slices"

	"github.com/herald-social/herald/pipeline/diag"
)

// Rule is one kind of problem check reports, with a stable id that the
// charter's rules: map can set to error, warning or off.
type Rule struct {
	ID       string
	Severity diag.Severity // by default
	Summary  string
}

// rules lists every rule. Rules whose id starts with "charter." are about
// the configuration itself: they are always errors and make the run exit 2.
var rules = []Rule{
	{"charter.unreadable", diag.Error, "charter.yaml cannot be read"},
	{"charter.syntax", diag.Error, "charter.yaml is not valid YAML"},
	{"charter.schema", diag.Error, "charter.yaml does not match schema/charter.schema.json"},
	{"charter.timezone", diag.Error, "the charter's timezone is not an IANA time zone, or depends on the machine (Local)"},
	{"charter.locale", diag.Error, "the charter's locale is not a BCP 47 language tag"},
	{"charter.campaign-dates", diag.Error, "a campaign ends before it starts"},
	{"charter.window", diag.Error, "a cadence window is empty or ends before it starts"},
	{"charter.range", diag.Error, "a number or a duration of the charter is too large for herald to hold"},
	{"charter.max-per-day", diag.Error, "cadence.max_per_day names no account or network of the charter"},
	{"charter.rules", diag.Error, "rules: names an unknown rule id"},
	{"charter.path", diag.Error, "a path of the charter (a feed's path, an outbox's dir, post_schema) leaves the calendar, leads into .git/, posts/, state/ or media/, or names charter.yaml"},
	{"charter.key-dates", diag.Error, "key_dates names an unknown set or key date, a date that does not exist, or a lead herald cannot read"},
	{"charter.post-schema", diag.Error, "the charter's post_schema cannot be read or is not a valid JSON Schema"},

	{"post.unreadable", diag.Error, "a post file cannot be read"},
	{"post.outside", diag.Error, "a post file is a symbolic link that leads out of the calendar"},
	{"post.too-large", diag.Error, "a post file is too large to be a post"},
	{"post.binary", diag.Error, "a post file is not UTF-8 text"},
	{"post.front-matter", diag.Error, "a post has no front matter, or it is not closed"},
	{"post.syntax", diag.Error, "a post's front matter is not valid YAML or TOML"},
	{"post.duplicate-key", diag.Error, "a front matter field is written twice"},
	{"post.schema", diag.Error, "a post's front matter does not match the post schema"},
	{"post.id", diag.Error, "a post's id cannot name its state file: not a clean relative path, or inside state/accounts/ or state/instances/"},
	{"post.duplicate-id", diag.Error, "two posts have the same id"},
	{"post.id-case", diag.Warning, "two post ids differ only in letter case: their files collide on macOS and Windows checkouts"},
	{"post.empty", diag.Error, "a post has no text and no media for an account"},
	{"calendar.nested", diag.Error, "a calendar (a charter.yaml) inside another calendar's posts/ folder, whose posts both would publish"},
	{"post.edited-after-publish", diag.Warning, "a post was edited after it was published: herald will not publish it again"},
	{"date.invalid", diag.Error, "a post's date is not RFC 3339 nor a local \"YYYY-MM-DD HH:MM\""},
	{"date.dst-gap", diag.Error, "a local date does not exist: the clocks skip it at a DST change"},
	{"date.dst-ambiguous", diag.Error, "a local date happens twice at a DST change"},
	{"account.unknown", diag.Error, "a post names an account the charter does not declare"},
	{"tag.unknown", diag.Error, "a post names a tag the charter's editorial_line does not declare"},
	{"campaign.unknown", diag.Error, "a post names a campaign the charter does not declare"},
	{"campaign.dates", diag.Warning, "a post is dated outside its campaign's start and end"},
	{"campaign.hashtags", diag.Error, "a post's text lacks one of its campaign's hashtags"},
	{"text.too-long", diag.Error, "a post or thread part is longer than its network allows, counted as the network counts"},
	{"text.too-many-hashtags", diag.Error, "a text holds more hashtags than its network takes (Instagram: 30)"},
	{"text.too-many-mentions", diag.Error, "a text holds more @mentions than its network takes (Instagram: 20)"},
	{"variant.unused", diag.Warning, "a variant names an account or network the post does not target"},
	{"media.missing", diag.Error, "a medium's file does not exist"},
	{"media.outside", diag.Error, "a medium's path leaves the calendar"},
	{"media.format", diag.Error, "a target network does not accept the medium's format"},
	{"media.size", diag.Error, "a medium is larger than a target network accepts"},
	{"media.duration", diag.Error, "a video is longer than a target network accepts"},
	{"media.count", diag.Error, "a post or thread part carries more media than a target network accepts"},
	{"media.required", diag.Error, "a target network needs a medium and the post has none"},
	{"media.url-missing", diag.Error, "a post has media for a network that fetches them from a public URL (Instagram, Threads) and the charter has no media_url"},
	{"media.url-unreachable", diag.Warning, "a medium's public URL (media_url, then its path) does not answer 200, so Instagram or Threads cannot fetch it (herald check --online)"},
	{"media.url-mismatch", diag.Warning, "a medium's public URL serves other bytes than the file (herald check --online compares their SHA-256)"},
	{"media.alt-missing", diag.Error, "a medium has no alt text and the charter requires it"},
	{"media.alt-length", diag.Error, "a medium's alt text is longer than a target network keeps"},
	{"bluesky.mention-unresolved", diag.Warning, "a Bluesky mention names no account (herald check --online asks the AppView)"},
	{"poll.unsupported", diag.Warning, "a post has a poll and targets a network without polls: it goes without it there"},
	{"poll.options", diag.Error, "a poll has fewer or more options than a target network takes"},
	{"poll.option-length", diag.Error, "a poll option is longer than a target network takes"},
	{"poll.expiry", diag.Error, "a poll's expires_in is outside what a target network takes (Mastodon: 5 minutes to 30 days)"},
	{"poll.with-media", diag.Error, "a post has a poll and media on its first part, which a target network refuses (Mastodon, X, Telegram)"},
	{"poll.multiple-unsupported", diag.Warning, "a poll is multiple choice and a target network has single-choice polls only: people there choose one option"},
	{"poll.question-length", diag.Error, "a poll's question, a text of its own on a target network (Discord, Telegram), is longer than it takes"},
	{"voice.banned", diag.Error, "the text uses a phrase the charter bans"},
	{"voice.prefer", diag.Warning, "the text uses a word the charter prefers replaced"},
	{"voice.max-hashtags", diag.Warning, "the text has more hashtags than the charter allows"},
	{"voice.max-emojis", diag.Warning, "the text has more emojis than the charter allows"},
	{"cadence.window", diag.Warning, "a post is scheduled outside the charter's posting windows"},
	{"cadence.max-per-day", diag.Error, "an account has more posts on one day than the charter allows"},
	{"cadence.min-gap", diag.Warning, "two posts on one account are closer than the charter's min_gap"},
	{"cadence.duplicate-text", diag.Error, "two posts send the same text to one account on a network that refuses duplicates (X)"},
	{"cadence.repeated-text", diag.Warning, "two posts send the same text to one account on a network that publishes it twice (Mastodon, Bluesky...)"},
	{"state.facts", diag.Warning, "a server's cached limits (state/instances/<account>.json) cannot be read: the charter's apply"},
	{"calendar.silence", diag.Warning, "no post on any account for longer than the charter's cadence.max_silence"},
	{"calendar.campaign-empty", diag.Warning, "a campaign that is not over has no post dated in its period"},
	{"calendar.key-date-uncovered", diag.Warning, "a key date the charter marks plan: true has no post in its lead window (lead: before it, to its last day)"},
	{"calendar.past-unpublished", diag.Warning, "a post dated in the past (beyond max_lateness) that publish never tried on an account: it will not go out"},
	{"editorial.share", diag.Warning, "a tag's share of a month's posts is outside the charter's editorial_line share"},
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

// RuleSummaries maps rule ids to their summaries, for the sarif format.
func RuleSummaries() map[string]string {
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		m[r.ID] = r.Summary
	}
	return m
}
