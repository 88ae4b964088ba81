package check

import (
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// summary is what the calendar-wide rules need of a post: small, so that
// a calendar of 100,000 posts fits in memory.
type summary struct {
	path    string // display path
	id      string
	idPos   pos
	inScope bool // its diagnostics are reported
	checked bool
	draft   bool
	when    time.Time // in the charter's zone; zero when the date is invalid
	day     int32     // localDay(when)
	datePos pos
	tags    []string
	sends   []send // one per declared account the post targets
	// mentions are the Bluesky mentions of the post, when check asks the
	// network about them (Options.Mentions).
	mentions []mention
	// mediaURLs are its media that Instagram or Threads fetch from
	// media_url, when check fetches them (Options.MediaHTTP).
	mediaURLs []mediaUse
	// mediaURLCommit: it has such media, and media_url names a {commit}.
	mediaURLCommit bool
}

// send is the text a post sends to one account.
type send struct {
	account string
	text    uint64 // hash of the trimmed text
	pos     pos
}

var textSeed = maphash.MakeSeed()

// checkPost runs the per-post rules and returns the post's summary.
func (cr *charterRules) checkPost(r *reporter, p *load.Post, abs string) *summary {
	cr.checkSchema(r, p)
	// The summary keeps positions without the values (a variant's text...)
	// and the charter's own strings for tags: a summary is kept for every
	// post of the calendar.
	s := &summary{id: p.ID, idPos: posOf(p.IDField), draft: p.IsDraft(), datePos: posOf(p.Date)}
	if !p.IDField.IsSet() {
		s.idPos = pos{1, 1}
	}
	checkID(r, p.ID, s.idPos.text())
	s.tags = make([]string, 0, len(p.Tags))
	for _, t := range p.Tags {
		if name, ok := cr.tagNames[t.Value]; ok {
			s.tags = append(s.tags, name)
		} else {
			s.tags = append(s.tags, t.Value)
		}
	}
	s.when = cr.checkDate(r, p)
	cr.checkCampaign(r, p, s.when)

	accounts := cr.targets(p)
	s.sends = make([]send, 0, len(accounts))
	cr.checkVariants(r, p, accounts)
	texts := map[string]load.Text{} // distinct texts and where they start
	shapes := map[string]threadShape{}
	body := bodyStart(p)
	for _, a := range accounts {
		text, variant := p.TextFor(a.Key, a.Network)
		pos := body
		if variant != nil {
			pos = variant.Text
		}
		texts[text] = pos
		trimmed := strings.TrimSpace(text)
		s.sends = append(s.sends, send{a.Key, maphash.String(textSeed, trimmed), posOf(pos)})
		shape, ok := shapes[text]
		if !ok {
			shape = checkThread(r, p, text, pos, variant == nil)
			shapes[text] = shape
		}
		switch {
		case !shape.allEmpty || len(p.Media) > 0:
		case trimmed == "":
			r.at("post.empty", pos, "check.post.empty", i18n.Args{"Account": a.Key})
		default:
			r.at("post.empty", pos, "check.post.empty-separators", i18n.Args{"Account": a.Key})
		}
	}
	for _, text := range sortedTexts(texts) {
		if text == p.Body {
			cr.checkVoice(r, text, bodyPositions(text, p.BodyLine))
		} else {
			cr.checkVoice(r, text, fixedPosition(texts[text]))
		}
	}
	cr.checkHashtags(r, p, accounts)
	cr.checkLength(r, p, accounts)
	cr.checkNetworkHashtags(r, p, accounts)
	cr.checkMedia(r, p, abs, accounts)
	cr.checkPoll(r, p, accounts)
	cr.checkPublished(r, p, s.when)
	cr.checkPastUnpublished(r, p, s.when)
	return s
}

// checkID reports a post id that cannot name a state file (post.id),
// unless the post schema has already refused the id at the same place as
// an error.
func checkID(r *reporter, id string, at load.Text) {
	err := load.CheckID(id)
	if err == nil {
		return
	}
	for _, d := range r.diags {
		if d.Rule == "post.schema" && d.Severity == diag.Error && d.Line == at.Line && d.Column == at.Column {
			return
		}
	}
	r.at("post.id", at, "check.post.id", i18n.Args{"Err": err})
}

// pos is a position in a file, as summaries keep it: without the value
// found there, in 8 bytes.
type pos struct{ line, col int32 }

func posOf(t load.Text) pos { return pos{int32(t.Line), int32(t.Column)} }

func (p pos) text() load.Text { return load.Text{Line: int(p.line), Column: int(p.col)} }

// bodyStart is where the body's text starts: its first line that is not
// blank, rather than the blank line often left after the front matter.
func bodyStart(p *load.Post) load.Text {
	line, rest := p.BodyLine, p.Body
	if strings.TrimSpace(rest) == "" {
		return load.Text{Line: line, Column: 1}
	}
	for {
		first, after, _ := strings.Cut(rest, "\n")
		if strings.TrimSpace(first) != "" {
			return load.Text{Line: line, Column: 1}
		}
		line, rest = line+1, after
	}
}

func sortedTexts(m map[string]load.Text) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// checkSchema validates the front matter against the calendar's post
// schema, reporting undeclared accounts, tags and campaigns under their
// own rule ids.
func (cr *charterRules) checkSchema(r *reporter, p *load.Post) {
	root := p.Front
	if root == nil {
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	}
	value, err := load.ToValue(root)
	if err != nil {
		ne := err.(*load.NodeError)
		if ne.Expansion {
			r.addText("post.syntax", ne.Node.Line, ne.Node.Column, ne.Text(cr.p))
			return
		}
		// Every key written twice, not only the first that stopped ToValue.
		for _, dup := range load.DuplicateKeys(root) {
			r.addText("post.duplicate-key", dup.Node.Line, dup.Node.Column, dup.Text(cr.p))
		}
		return
	}
	if cr.validity != nil && cr.validity.valid(value) {
		return
	}
	if err := cr.postSchema.Validate(value); err != nil {
		reportSchemaErrors(r, "post.schema", root, err, cr.classifyPostIssue)
	}
}

func (cr *charterRules) classifyPostIssue(is schemaIssue, value *yaml.Node) (string, string) {
	if is.keyword != "enum" && is.keyword != "not" {
		return "", ""
	}
	c := cr.charter
	switch {
	case strings.HasPrefix(is.instance, "/networks/"):
		return "account.unknown", cr.p.T("check.account.unknown", i18n.Args{"Account": cr.p.Quote(value.Value), "Declared": cr.list(c.AccountKeys())})
	case strings.HasPrefix(is.instance, "/tags/"):
		return "tag.unknown", cr.p.T("check.tag.unknown", i18n.Args{"Tag": cr.p.Quote(value.Value), "Declared": cr.list(c.TagNames())})
	case is.instance == "/campaign":
		return "campaign.unknown", cr.p.T("check.campaign.unknown", i18n.Args{"Campaign": cr.p.Quote(value.Value), "Declared": cr.list(c.CampaignNames())})
	case strings.HasPrefix(is.instance, "/variants/"):
		return "account.unknown", cr.p.T("check.variant.unknown", i18n.Args{"Key": cr.p.Quote(lastToken(is.instance)), "Declared": cr.list(c.AccountKeys())})
	}
	return "", ""
}

func (cr *charterRules) list(names []string) string {
	if len(names) == 0 {
		return cr.p.T("check.none", nil)
	}
	return strings.Join(names, ", ")
}

// targets returns the declared accounts the post names, in its order.
func (cr *charterRules) targets(p *load.Post) []*load.Account {
	var out []*load.Account
	for _, n := range p.Networks {
		if a := cr.charter.Accounts[n.Value]; a != nil && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// checkVariants warns about variants no target of the post will use.
func (cr *charterRules) checkVariants(r *reporter, p *load.Post, accounts []*load.Account) {
	for _, v := range p.Variants {
		used := slices.ContainsFunc(accounts, func(a *load.Account) bool {
			return a.Key == v.Key.Value || a.Network == v.Key.Value
		})
		known := cr.charter.Accounts[v.Key.Value] != nil || slices.ContainsFunc(cr.charter.AccountKeys(), func(k string) bool {
			return cr.charter.Accounts[k].Network == v.Key.Value
		})
		if !used && known {
			r.at("variant.unused", v.Key, "check.variant.unused", i18n.Args{"Key": r.q(v.Key.Value)})
		}
	}
}

// checkCampaign warns when a post is dated outside its campaign.
func (cr *charterRules) checkCampaign(r *reporter, p *load.Post, when time.Time) {
	span, ok := cr.campaigns[p.Campaign.Value]
	if !ok || when.IsZero() {
		return
	}
	day := when.In(cr.charter.Location).Format(time.DateOnly)
	if day < span.start || day > span.end {
		r.at("campaign.dates", p.Date, "check.campaign.dates", i18n.Args{"Day": isoDayText(cr.p, day), "Campaign": r.q(p.Campaign.Value),
			"Start": isoDayText(cr.p, span.start), "End": isoDayText(cr.p, span.end)})
	}
}

// checkHashtags reports the campaign hashtags missing from each text.
func (cr *charterRules) checkHashtags(r *reporter, p *load.Post, accounts []*load.Account) {
	camp, ok := cr.charter.Campaigns[p.Campaign.Value]
	if !ok || len(camp.Hashtags) == 0 {
		return
	}
	reported := map[string]bool{}
	var have map[string]bool // of text, which most accounts share
	var haveText string
	for _, a := range accounts {
		text, variant := p.TextFor(a.Key, a.Network)
		if have == nil || text != haveText {
			// Composed (NFC), as the tag below: an editor on macOS may
			// write "ë" as "e" and a combining diaeresis (NFD), which is
			// the same hashtag to people and to the networks.
			have, haveText = hashtagSet(norm.NFC.String(text)), text
		}
		for _, tag := range camp.Hashtags {
			if have[strings.ToLower(norm.NFC.String(strings.TrimPrefix(tag, "#")))] {
				continue
			}
			if variant != nil {
				if key := variant.Key.Value + tag; !reported[key] {
					reported[key] = true
					id := "check.campaign.hashtags.variant"
					if variant.Comment != "" {
						id = "check.campaign.hashtags.variant-comment"
					}
					r.at("campaign.hashtags", variant.Text, id, i18n.Args{"Campaign": r.q(p.Campaign.Value), "Tag": tag, "Key": variant.Key.Value})
				}
			} else if !reported[tag] {
				reported[tag] = true
				r.at("campaign.hashtags", bodyStart(p), "check.campaign.hashtags.body", i18n.Args{"Campaign": r.q(p.Campaign.Value), "Tag": tag})
			}
		}
	}
}

// spec returns the network spec of an account.
func spec(a *load.Account) netspec.Network {
	s, _ := netspec.Lookup(a.Network)
	if a.Network == "mastodon" && a.MaxCharacters > 0 {
		s.TextLimit = a.MaxCharacters
	}
	return s
}
