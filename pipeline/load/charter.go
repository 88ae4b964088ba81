package load

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/calendar/keydates"
)

// CharterFile is the file whose presence marks a calendar root.
const CharterFile = "charter.yaml"

// Charter is a calendar's charter.yaml. Root keeps the YAML tree so that
// diagnostics about the charter point at the offending line; the typed
// fields are decoded only once the charter has passed its schema.
type Charter struct {
	Root *yaml.Node `yaml:"-"`

	Brand         string              `yaml:"brand"`
	Timezone      string              `yaml:"timezone"`
	Locale        string              `yaml:"locale"`
	Accounts      map[string]*Account `yaml:"accounts"`
	EditorialLine map[string]Tag      `yaml:"editorial_line"`
	Campaigns     map[string]Campaign `yaml:"campaigns"`
	Voice         Voice               `yaml:"voice"`
	Cadence       Cadence             `yaml:"cadence"`
	KeyDates      []KeyDate           `yaml:"key_dates"`
	Rules         map[string]string   `yaml:"rules"`
	PostSchema    string              `yaml:"post_schema"`
	// MediaURL is the public base URL under which the calendar's files
	// are served (media_url:), "" when the charter has none.
	MediaURL string `yaml:"media_url"`

	Location *time.Location `yaml:"-"` // Timezone, loaded
}

// Account is one of the brand's accounts on a network.
type Account struct {
	Key     string `yaml:"-"` // as posts name it in networks:
	Network string `yaml:"network"`

	Server        string `yaml:"server"`         // mastodon
	MaxCharacters int    `yaml:"max_characters"` // mastodon: the server's limit, default 500
	Visibility    string `yaml:"visibility"`     // mastodon
	Handle        string `yaml:"handle"`         // bluesky
	PDS           string `yaml:"pds"`            // bluesky, default https://bsky.social
	AppView       string `yaml:"appview"`        // bluesky, default https://public.api.bsky.app
	Video         string `yaml:"video"`          // bluesky: the video service, default https://video.bsky.app, or "pds"
	// API is the base URL of the network's API, up to and including a
	// version in the path (x, linkedin, facebook, instagram, threads,
	// discord, slack, telegram); "" is the network's public endpoint.
	API     string `yaml:"api"`
	UserID  string `yaml:"user_id"` // x: the user id, read from the token when unset
	Author  string `yaml:"author"`  // linkedin: urn:li:organization:N or urn:li:person:ID
	Version string `yaml:"version"` // linkedin: the LinkedIn-Version header, YYYYMM
	Page    string `yaml:"page"`    // facebook: the Page id
	User    string `yaml:"user"`    // instagram, threads: the account's id
	Channel string `yaml:"channel"` // slack, discord (bot token): the channel id
	Chat    string `yaml:"chat"`    // telegram: @channel or a chat id
	URL     string `yaml:"url"`     // webhook: where it is delivered, unless HERALD_<KEY>_URL is set
	Path    string `yaml:"path"`    // feed: file below the calendar root
	Title   string `yaml:"title"`   // feed
	Link    string `yaml:"link"`    // feed
	// MaxEntries is how many entries a feed keeps, newest first; 0 for
	// the default, 100 (feed.DefaultMaxEntries).
	MaxEntries int    `yaml:"max_entries"`
	Dir        string `yaml:"dir"` // outbox: folder below the calendar root
	// StatsWindow is how long after publishing herald stats samples a
	// post's engagement: "30d", "72h"; see Window.
	StatsWindow string `yaml:"stats_window"`

	// URLLength is what a link counts on a Mastodon server (its
	// characters_reserved_per_url), from the facts herald stats caches in
	// state/instances/; 0 for the default, 23.
	URLLength int `yaml:"-"`
}

// DefaultStatsWindow is how long after publishing herald stats samples a
// post's engagement when the account sets no stats_window.
const DefaultStatsWindow = 30 * 24 * time.Hour

// Window returns the account's stats_window: a number of days ("30d") or
// a Go duration ("72h"); DefaultStatsWindow when unset (the schema has
// checked its syntax).
func (a *Account) Window() time.Duration {
	w := a.StatsWindow
	if days, ok := strings.CutSuffix(w, "d"); ok {
		if n, err := strconv.Atoi(days); err == nil && n >= 0 {
			return time.Duration(n) * 24 * time.Hour
		}
	}
	d, err := time.ParseDuration(w)
	if w == "" || err != nil || d < 0 {
		return DefaultStatsWindow
	}
	return d
}

// Default Bluesky endpoints, as SPEC.md sets them.
const (
	DefaultPDS     = "https://bsky.social"
	DefaultAppView = "https://public.api.bsky.app"
	DefaultVideo   = "https://video.bsky.app"
	// VideoPDS is the video: value that uploads videos to the PDS itself.
	VideoPDS = "pds"
)

// EnvName returns the environment variable that holds field (TOKEN,
// PASSWORD...) of the account: HERALD_<KEY>_<FIELD>, the key upper-cased
// with every character other than A-Z and 0-9 turned into "_".
func (a *Account) EnvName(field string) string {
	key := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			return r
		}
		return '_'
	}, a.Key)
	return "HERALD_" + key + "_" + field
}

// Tag is an editorial-line tag.
type Tag struct {
	Description string `yaml:"description"`
	Share       struct {
		Min *float64 `yaml:"min"`
		Max *float64 `yaml:"max"`
	} `yaml:"share"`
}

// Campaign is a campaign with its dates (inclusive, in the charter's zone).
type Campaign struct {
	Title      string             `yaml:"title"`
	Start      string             `yaml:"start"`
	End        string             `yaml:"end"`
	Hashtags   []string           `yaml:"hashtags"`
	Budget     float64            `yaml:"budget"`
	Objectives map[string]float64 `yaml:"objectives"`
}

// Voice is the brand's voice rules.
type Voice struct {
	Banned         []string          `yaml:"banned"`
	Prefer         map[string]string `yaml:"prefer"`
	MaxHashtags    *int              `yaml:"max_hashtags"`
	MaxEmojis      *int              `yaml:"max_emojis"`
	RequireAltText bool              `yaml:"require_alt_text"`
}

// Cadence is the brand's posting rhythm.
type Cadence struct {
	Windows     map[string]Windows `yaml:"windows"`
	MaxPerDay   map[string]int     `yaml:"max_per_day"`
	MinGap      string             `yaml:"min_gap"`
	MaxLateness string             `yaml:"max_lateness"`
	MaxSilence  string             `yaml:"max_silence"`
}

// Silence returns cadence.max_silence, the longest the calendar may go
// without a post on any account (calendar.silence), and false when the
// charter does not set it: "3d" (days) or a Go duration ("36h").
func (c Cadence) Silence() (time.Duration, bool) {
	d, err := ParseLead(c.MaxSilence)
	return d, c.MaxSilence != "" && err == nil && d > 0
}

// DefaultMaxLateness is how late a post may still be published when the
// charter's cadence sets no max_lateness.
const DefaultMaxLateness = 6 * time.Hour

// Lateness returns cadence.max_lateness: a post found due longer ago than
// this is reported missed, not published. It is DefaultMaxLateness when the
// charter does not set it (the schema has checked its syntax).
func (c Cadence) Lateness() time.Duration {
	d, err := time.ParseDuration(c.MaxLateness)
	if c.MaxLateness == "" || err != nil || d < 0 {
		return DefaultMaxLateness
	}
	return d
}

// Windows is one or several "HH:MM-HH:MM" ranges.
type Windows []string

// UnmarshalYAML accepts a single range or a list of ranges.
func (w *Windows) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*w = Windows{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*w = list
	return nil
}

// KeyDate is one item of key_dates: a built-in set ("fr-FR"), whole or
// picked from ({set, only} or {set, except}), or one of the brand's own
// dates ({date, name, yearly}); plan and lead say that content must be
// planned for it, and from how long before.
type KeyDate struct {
	Set    string   `yaml:"set"`
	Only   []string `yaml:"only"`
	Except []string `yaml:"except"`
	ID     string   `yaml:"id"`
	Date   string   `yaml:"date"`
	Name   string   `yaml:"name"`
	Yearly bool     `yaml:"yearly"`
	Plan   bool     `yaml:"plan"`
	Lead   string   `yaml:"lead"` // "14d", or a Go duration; see ParseLead
}

// UnmarshalYAML accepts a set name or a mapping.
func (k *KeyDate) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		k.Set = n.Value
		return nil
	}
	type plain KeyDate
	return n.Decode((*plain)(k))
}

// Entry returns the key date as the keydates package resolves it (an
// unreadable lead is 0: CheckKeyDates reports it).
func (k KeyDate) Entry() keydates.Entry {
	lead, _ := ParseLead(k.Lead)
	return keydates.Entry{Set: k.Set, Only: k.Only, Except: k.Except, ID: k.ID, Date: k.Date, Name: k.Name,
		Yearly: k.Yearly, Plan: k.Plan, Lead: lead}
}

// KeyDateEntries returns the charter's key_dates as the keydates package
// resolves them, in the charter's order.
func (c *Charter) KeyDateEntries() []keydates.Entry {
	entries := make([]keydates.Entry, len(c.KeyDates))
	for i, k := range c.KeyDates {
		entries[i] = k.Entry()
	}
	return entries
}

// ParseLead reads a lead: a number of days ("14d") or a Go duration
// ("36h"); "" is 0.
func ParseLead(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err == nil && n >= 0 && n <= 3660 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, nil
	}
	return 0, fmt.Errorf("lead %q: write a number of days up to 3660 (14d) or a duration (36h)", s)
}

// CheckKeyDates checks the key_dates of a charter's tree, which has passed
// the charter schema, and returns an error at the line of each entry that
// names an unknown set or key date, a date that does not exist or a lead
// herald cannot read, with what would be right (rule charter.key-dates).
func CheckKeyDates(root *yaml.Node) []*ParseError {
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	_, list := Lookup(doc, "key_dates")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	var errs []*ParseError
	for _, item := range list.Content {
		var k KeyDate
		if err := item.Decode(&k); err != nil {
			errs = append(errs, &ParseError{Rule: "charter.key-dates", Line: item.Line, Column: item.Column, Message: err.Error()})
			continue
		}
		at := item
		if _, v := Lookup(item, "set"); v != nil {
			at = v
		}
		if err := k.Entry().Validate(); err != nil {
			// Point at the id that is unknown when there is one.
			for _, field := range []string{"only", "except"} {
				if _, ids := Lookup(item, field); ids != nil {
					for _, id := range ids.Content {
						if strings.Contains(err.Error(), strconv.Quote(id.Value)) {
							at = id
						}
					}
				}
			}
			if _, v := Lookup(item, "date"); v != nil && k.Set == "" {
				at = v
			}
			errs = append(errs, &ParseError{Rule: "charter.key-dates", Line: at.Line, Column: at.Column, Message: err.Error()})
		}
		if _, err := ParseLead(k.Lead); err != nil {
			_, v := Lookup(item, "lead")
			errs = append(errs, &ParseError{Rule: "charter.key-dates", Line: v.Line, Column: v.Column, Message: err.Error()})
		}
	}
	return errs
}

// ParseCharterYAML parses charter.yaml into its YAML tree, without
// validating it: see Decode.
func ParseCharterYAML(content []byte) (*yaml.Node, error) {
	if err := checkText(content); err != nil {
		return nil, err
	}
	if line, col, ok := loneCR(content); ok {
		return nil, newParseError("charter.syntax", line, col, msg("load.lone-cr", nil))
	}
	root, err := parseYAML(content, 0, "charter.syntax")
	if err != nil {
		// yaml.v3 places the value of a file holding only "---" on the
		// line after the last one.
		if pe, ok := err.(*ParseError); ok {
			if lines := bytes.Count(content, []byte("\n")) + 1; pe.Line > lines {
				pe.Line, pe.Column = lines, 1
			}
		}
		return nil, err
	}
	if root == nil {
		return nil, newParseError("charter.syntax", 1, 1, msg("load.charter.empty", nil))
	}
	keepInFile(root, content)
	return root, nil
}

// keepInFile moves the nodes that yaml.v3 places past the end of the file
// (the null value of a last "key:" or "?" without a newline) to the end of
// its last line, so that a diagnostic about them points at a line of the
// file.
func keepInFile(n *yaml.Node, content []byte) {
	lines := bytes.Count(content, []byte("\n")) + 1
	if n.Line > lines {
		last := content[bytes.LastIndexByte(content, '\n')+1:]
		n.Line, n.Column = lines, utf8.RuneCount(last)+1
	}
	for _, c := range n.Content {
		keepInFile(c, content)
	}
}

// loneCR finds the first \r not followed by \n. yaml.v3 counts it as a
// line break, Herald's positions and editors count only \n: the lines of
// every diagnostic after it would be wrong.
func loneCR(content []byte) (line, col int, ok bool) {
	line, lineStart := 1, 0
	for i, c := range content {
		switch {
		case c == '\n':
			line, lineStart = line+1, i+1
		case c == '\r' && (i+1 == len(content) || content[i+1] != '\n'):
			return line, utf8.RuneCount(content[lineStart:i]) + 1, true
		}
	}
	return 0, 0, false
}

// DecodeCharter decodes a charter's tree, which has passed the charter
// schema, and loads its time zone. A tree that has not passed it is
// refused with an error, never a panic.
func DecodeCharter(root *yaml.Node) (*Charter, error) {
	c := &Charter{Root: root}
	if err := root.Decode(c); err != nil {
		return nil, err
	}
	for key, a := range c.Accounts {
		if a == nil { // "key:" with no value; the schema refuses it, a caller may not have run it
			return nil, fmt.Errorf("account %q has no settings: give it at least a network", key)
		}
		a.Key = key
		if a.Network == "bluesky" {
			a.PDS = cmp.Or(a.PDS, DefaultPDS)
			a.AppView = cmp.Or(a.AppView, DefaultAppView)
			a.Video = cmp.Or(a.Video, DefaultVideo)
		}
	}
	if machineZone(c.Timezone) {
		return nil, &ZoneError{fmt.Sprintf("time zone %q depends on the machine herald runs on (a CI runner is often UTC): name the brand's IANA zone, such as Europe/Paris", c.Timezone)}
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, &ZoneError{fmt.Sprintf("unknown time zone %q: use an IANA name such as Europe/Paris", c.Timezone)}
	}
	c.Location = loc
	return c, nil
}

// ZoneError is a charter's timezone that herald cannot use.
type ZoneError struct{ Message string }

func (e *ZoneError) Error() string { return e.Message }

// machineZone says whether a time zone name means a different zone on
// different machines: Local (the machine's own), and the files some
// systems keep beside the IANA zones (localtime, posixrules, the posix/
// and right/ copies) that the zone data embedded in herald lacks.
func machineZone(name string) bool {
	lower := strings.ToLower(name)
	switch lower {
	case "local", "localtime", "posixrules", "factory":
		return true
	}
	return strings.HasPrefix(lower, "posix/") || strings.HasPrefix(lower, "right/")
}

// AccountKeys returns the account keys in sorted order.
func (c *Charter) AccountKeys() []string { return sortedKeys(c.Accounts) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TagNames and CampaignNames return the declared names in sorted order.
func (c *Charter) TagNames() []string      { return sortedKeys(c.EditorialLine) }
func (c *Charter) CampaignNames() []string { return sortedKeys(c.Campaigns) }
