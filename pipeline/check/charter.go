package check

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/state"
)

// charterRules is a charter made ready to check posts with: its schema
// compiled, its phrases folded, its windows and durations parsed.
type charterRules struct {
	p          *i18n.Printer // the language of the messages
	charter    *load.Charter
	root       string                 // calendar root, absolute
	realRoot   func() (string, error) // root with symbolic links resolved, once
	mediaFiles mediaCache
	display    string // charter.yaml's display path
	severities map[string]diag.Severity
	postSchema *jsonschema.Schema
	validity   *validity // nil: validate every post

	campaigns map[string]campaignSpan
	tagNames  map[string]string // each editorial_line tag, to itself
	banned    []phrase
	prefer    []phrase
	windows   [7][]window // by time.Weekday; nil when the charter sets none
	hasWindow bool
	minGap    time.Duration

	skipPublished bool        // leave post.edited-after-publish out
	now           time.Time   // Options.Now
	wholeCalendar bool        // every post is in scope: report what is about none
	hasState      func() bool // the calendar has a state folder, looked for once
	summed        struct {
		once sync.Once
		fs   *summedFS
	}
}

type campaignSpan struct{ start, end string } // YYYY-MM-DD, inclusive

// loadCharter reads, validates and prepares the charter at abs. It returns
// nil rules when the charter cannot be used, with the diagnostics that say
// why.
func loadCharter(p *i18n.Printer, display, abs, root string) (*charterRules, []diag.Diagnostic) {
	r := &reporter{p: p, path: display}
	// Stat before reading: opening a FIFO waits for a writer forever, and
	// a signal cannot end that wait.
	if fi, err := os.Stat(abs); err == nil && !fi.Mode().IsRegular() {
		r.add("charter.unreadable", 0, 0, "check.charter.not-a-file", i18n.Args{"File": load.CharterFile, "Kind": load.FileKind(fi.Mode())})
		return nil, r.diags
	}
	content, err := os.ReadFile(abs)
	if err != nil {
		r.add("charter.unreadable", 0, 0, "check.charter.unreadable", i18n.Args{"Err": err})
		return nil, r.diags
	}
	node, err := load.ParseCharterYAML(content)
	if err != nil {
		pe := err.(*load.ParseError)
		rule := pe.Rule
		if rule != "charter.syntax" {
			rule = "charter.unreadable"
		}
		r.addText(rule, pe.Line, pe.Column, pe.Text(p))
		return nil, r.diags
	}
	value, err := load.ToValue(node)
	if err != nil {
		ne := err.(*load.NodeError)
		r.addText("charter.syntax", ne.Node.Line, ne.Node.Column, ne.Text(p))
		return nil, r.diags
	}
	if err := charterSchema().Validate(value); err != nil {
		reportSchemaErrors(r, "charter.schema", node, err, nil)
		return nil, r.diags
	}
	if checkRanges(r, node); len(r.diags) > 0 {
		return nil, r.diags
	}
	for _, e := range load.CheckKeyDates(node) {
		r.addText(e.Rule, e.Line, e.Column, e.Message)
	}
	if len(r.diags) > 0 {
		return nil, r.diags
	}
	charter, err := load.DecodeCharter(node)
	var zoneErr *load.ZoneError
	if errors.As(err, &zoneErr) {
		_, tz := load.AtPointer(node, "/timezone")
		r.addText("charter.timezone", tz.Line, tz.Column, err.Error())
		return nil, r.diags
	} else if err != nil {
		// The schema and checkRanges let nothing else through: say it
		// all the same, without a position to guess.
		r.add("charter.schema", 0, 0, "check.charter.undecodable", i18n.Args{"Err": err})
		return nil, r.diags
	}
	cr := &charterRules{p: p, charter: charter, root: root, display: display}
	cr.realRoot = sync.OnceValues(func() (string, error) { return filepath.EvalSymlinks(root) })
	cr.hasState = sync.OnceValue(func() bool {
		_, err := os.Stat(filepath.Join(root, state.Dir))
		return !errors.Is(err, fs.ErrNotExist)
	})
	cr.prepare(r, node)
	if len(r.diags) > 0 {
		return nil, r.diags
	}
	return cr, applyFacts(p, charter, root, filepath.Dir(display), cr.severities)
}

// applyFacts makes each account count and limit texts as its server
// does, from the facts herald stats caches in state/instances/<account>.json
// (Mastodon's /api/v2/instance): they win over the charter's
// max_characters, which may be out of date. A facts file that cannot be
// read is reported at its path, and the charter's limits apply.
func applyFacts(p *i18n.Printer, c *load.Charter, root, displayRoot string, severities map[string]diag.Severity) []diag.Diagnostic {
	calendar := os.DirFS(root)
	var diags []diag.Diagnostic
	for _, key := range slices.Sorted(maps.Keys(c.Accounts)) {
		a := c.Accounts[key]
		facts, ok, err := state.ReadFacts(calendar, key)
		if err != nil {
			name, _ := state.FactsPath(key)
			r := &reporter{p: p, path: filepath.Join(displayRoot, filepath.FromSlash(name)), severities: severities}
			r.addText("state.facts", 1, 1, err.Error())
			diags = append(diags, r.diags...)
			continue
		}
		if ok {
			a.MaxCharacters = facts.MaxCharacters
			a.URLLength = facts.CharactersReservedPerURL
		}
	}
	return diags
}

// prepare checks what the schema cannot and derives the rules' inputs.
func (cr *charterRules) prepare(r *reporter, node *yaml.Node) {
	c := cr.charter
	pos := func(pointer string) (int, int) {
		key, value := load.AtPointer(node, pointer)
		if key != nil {
			return key.Line, key.Column
		}
		return value.Line, value.Column
	}
	if c.Locale != "" {
		if _, err := language.Parse(c.Locale); err != nil {
			line, col := pos("/locale")
			r.add("charter.locale", line, col, "check.charter.locale", i18n.Args{"Locale": r.q(c.Locale), "Err": err})
		}
	}
	cr.tagNames = map[string]string{}
	for _, name := range c.TagNames() {
		cr.tagNames[name] = name
	}
	cr.campaigns = map[string]campaignSpan{}
	for _, name := range c.CampaignNames() {
		camp := c.Campaigns[name]
		if camp.End < camp.Start {
			line, col := pos("/campaigns/" + escapePointer(name) + "/end")
			r.add("charter.campaign-dates", line, col, "check.charter.campaign-dates", i18n.Args{"Campaign": r.q(name), "End": camp.End, "Start": camp.Start})
		}
		cr.campaigns[name] = campaignSpan{camp.Start, camp.End}
	}
	cr.severities = map[string]diag.Severity{}
	for id, sev := range c.Rules {
		line, col := pos("/rules/" + escapePointer(id))
		if _, ok := defaultSeverity(id); !ok || strings.HasPrefix(id, "charter.") || slices.Contains(fixedRules, id) {
			r.add("charter.rules", line, col, "check.charter.rules", i18n.Args{"ID": r.q(id)})
			continue
		}
		cr.severities[id], _ = diag.ParseSeverity(sev)
	}
	for key := range c.Cadence.MaxPerDay {
		if key == "default" || c.Accounts[key] != nil || slices.Contains(netspec.Names(), key) {
			continue
		}
		line, col := pos("/cadence/max_per_day/" + escapePointer(key))
		r.add("charter.max-per-day", line, col, "check.charter.max-per-day", i18n.Args{"Key": r.q(key)})
	}
	cr.prepareWindows(r, pos)
	if c.Cadence.MinGap != "" {
		cr.minGap, _ = time.ParseDuration(c.Cadence.MinGap) // the schema checked the syntax
	}
	cr.banned = foldPhrases(c.Voice.Banned, nil)
	preferred := make([]string, 0, len(c.Voice.Prefer))
	for word := range c.Voice.Prefer {
		preferred = append(preferred, word)
	}
	slices.Sort(preferred)
	cr.prefer = foldPhrases(preferred, c.Voice.Prefer)

	if !cr.checkPaths(r, node) {
		return // post_schema is not read from where it points
	}
	schema, validity, err := compilePostSchema(c, cr.root)
	if err != nil {
		line, col := pos("/post_schema")
		// The schema is compiled from a virtual file:///calendar/ folder:
		// say the path as the charter writes it.
		msg := strings.ReplaceAll(err.Error(), "file:///calendar/", "")
		msg = strings.ReplaceAll(msg, "jsonschema: ", "")
		r.addText("charter.post-schema", line, col, msg)
		return
	}
	cr.postSchema = schema
	cr.validity = validity
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// window is a posting window in minutes since local midnight, [start, end).
type window struct{ start, end int }

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func (cr *charterRules) prepareWindows(r *reporter, pos func(string) (int, int)) {
	for spec, ranges := range cr.charter.Cadence.Windows {
		cr.hasWindow = true
		for _, rng := range ranges {
			var w window
			var h1, m1, h2, m2 int
			fmt.Sscanf(rng, "%d:%d-%d:%d", &h1, &m1, &h2, &m2) // the schema checked the syntax
			w.start, w.end = h1*60+m1, h2*60+m2
			if w.end == w.start {
				line, col := pos("/cadence/windows/" + escapePointer(spec))
				r.add("charter.window", line, col, "check.charter.window.empty", i18n.Args{"Range": r.q(rng), "Days": spec})
				continue
			}
			if w.end < w.start {
				line, col := pos("/cadence/windows/" + escapePointer(spec))
				r.add("charter.window", line, col, "check.charter.window.reversed", i18n.Args{"Range": r.q(rng), "Days": spec})
				continue
			}
			for _, day := range expandDays(spec) {
				cr.windows[day] = append(cr.windows[day], w)
			}
		}
	}
}

// expandDays turns "mon-fri,sun" into the weekdays it names. Ranges may
// wrap around the week ("fri-mon").
func expandDays(spec string) []time.Weekday {
	var days []time.Weekday
	for _, part := range strings.Split(spec, ",") {
		from, to, isRange := strings.Cut(part, "-")
		if !isRange {
			to = from
		}
		d := weekdays[from]
		for {
			days = append(days, d)
			if d == weekdays[to] {
				break
			}
			d = (d + 1) % 7
		}
	}
	return days
}

// maxPerDay returns the most posts per local day for an account, and
// whether the charter sets one.
func (cr *charterRules) maxPerDay(account string) (int, bool) {
	m := cr.charter.Cadence.MaxPerDay
	if n, ok := m[account]; ok {
		return n, true
	}
	if a := cr.charter.Accounts[account]; a != nil {
		if n, ok := m[a.Network]; ok {
			return n, true
		}
	}
	n, ok := m["default"]
	return n, ok
}

// mediaPath resolves a post's media src against the post's folder.
func mediaPath(postAbs, src string) string {
	return filepath.Clean(filepath.Join(filepath.Dir(postAbs), filepath.FromSlash(src)))
}
