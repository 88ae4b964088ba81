package scaffold

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/networks/registry"
)

// Account is one account of the charter init writes, as --account gives
// it: KEY=NETWORK[,field=value...].
type Account struct {
	Key     string
	Network string
	Fields  []Field // in the order given
}

// Field is one field of an account beside its network.
type Field struct{ Name, Value string }

// networkField is a field the charter schema allows on an account of a
// network (schema/charter.schema.json, $defs/account): init checks the
// flags against it to say which flag is wrong, before the schema, which
// checks the values, would only name a line of a file not yet written.
type networkField struct {
	name     string
	required bool
	example  string // shown when the field is missing
	integer  bool   // written as a YAML integer, not a string
}

// networkFields are the fields of each network; every account may also
// set stats_window.
var networkFields = map[string][]networkField{
	"mastodon":  {{name: "server", required: true, example: "https://mastodon.social"}, {name: "max_characters", integer: true}, {name: "visibility"}},
	"bluesky":   {{name: "handle", required: true, example: "brand.bsky.social"}, {name: "pds"}, {name: "appview"}, {name: "video"}},
	"x":         {{name: "user_id"}, {name: "api"}},
	"linkedin":  {{name: "author", required: true, example: "urn:li:organization:2414183"}, {name: "version"}, {name: "api"}},
	"facebook":  {{name: "page", required: true, example: "104538291234567"}, {name: "api"}},
	"instagram": {{name: "user", required: true, example: "17841405822304914"}, {name: "api"}},
	"threads":   {{name: "user", required: true, example: "25025320830145792"}, {name: "api"}},
	"discord":   {{name: "channel"}, {name: "api"}}, // a webhook needs no channel, a bot does
	"slack":     {{name: "channel", required: true, example: "C0123ABCDEF"}, {name: "api"}},
	"telegram":  {{name: "chat", required: true, example: "@brand_channel"}, {name: "api"}},
	"webhook":   {{name: "url"}}, // or HERALD_<KEY>_URL
	"feed":      {{name: "path", required: true, example: "public/feed.xml"}, {name: "title"}, {name: "link"}, {name: "max_entries", integer: true}},
	"outbox":    {{name: "dir", required: true, example: "outbox"}},
}

// channelDefaults fill the required fields of the accounts that publish
// into the calendar itself, so that "--account blog=feed" is enough.
var channelDefaults = map[string]Field{
	"feed":   {"path", "public/feed.xml"},
	"outbox": {"dir", "outbox"},
}

// accountKey is the charter schema's pattern for account keys.
var accountKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// ParseAccount reads one --account value: KEY=NETWORK[,field=value...].
// Its errors say what is wrong with the value and how to write it.
func ParseAccount(s string) (Account, error) {
	head, rest, _ := strings.Cut(s, ",")
	key, network, ok := strings.Cut(head, "=")
	key, network = strings.TrimSpace(key), strings.TrimSpace(network)
	if !ok || key == "" || network == "" {
		return Account{}, usagef("--account %q: write KEY=NETWORK[,field=value...], such as mastodon=mastodon,server=https://mastodon.social", s)
	}
	if !accountKey.MatchString(key) {
		return Account{}, usagef("--account %q: the key %q may hold only letters, digits, '_', '.' and '-', and starts with a letter or digit", s, key)
	}
	if _, known := netspec.Lookup(network); !known {
		return Account{}, usagef("--account %q: unknown network %q: use one of %s", s, network, strings.Join(netspec.Names(), ", "))
	}
	a := Account{Key: key, Network: network}
	if rest != "" {
		for pair := range strings.SplitSeq(rest, ",") {
			name, value, ok := strings.Cut(pair, "=")
			name, value = strings.TrimSpace(name), strings.TrimSpace(value)
			if !ok || name == "" || value == "" {
				return Account{}, usagef("--account %q: %q is not field=value", s, pair)
			}
			f, known := lookupField(network, name)
			if !known {
				return Account{}, usagef("--account %q: %s account has no field %q: use %s", s, article(network), name, strings.Join(fieldNames(network), ", "))
			}
			if slices.ContainsFunc(a.Fields, func(g Field) bool { return g.Name == name }) {
				return Account{}, usagef("--account %q: %s is given twice", s, name)
			}
			if f.integer {
				if n, err := strconv.Atoi(value); err != nil || n < 1 {
					return Account{}, usagef("--account %q: %s must be a positive whole number", s, name)
				}
			}
			if network == "slack" && name == "channel" && strings.HasPrefix(value, "#") {
				return Account{}, usagef("--account %q: channel %s is a name: give the channel's id, such as %s=slack,channel=C0123ABCDEF (in Slack: the channel's details, at the bottom)", s, value, key)
			}
			a.Fields = append(a.Fields, Field{name, value})
		}
	}
	if def, ok := channelDefaults[network]; ok && a.field(def.Name) == "" {
		a.Fields = append(a.Fields, def)
	}
	for _, f := range networkFields[network] {
		if f.required && a.field(f.name) == "" {
			return Account{}, usagef("--account %q: %s account needs %s=..., such as %s=%s,%s=%s", s, article(network), f.name, key, network, f.name, f.example)
		}
	}
	return a, nil
}

// AccountFields describes the fields --account takes, one network a
// line, for herald init's help: "  slack      channel (required, such as
// C0123ABCDEF), api".
func AccountFields() string {
	var b strings.Builder
	for _, network := range netspec.Names() {
		var fields []string
		for _, f := range networkFields[network] {
			switch {
			case f.required && channelDefaults[network].Name == f.name:
				fields = append(fields, fmt.Sprintf("%s (default %s)", f.name, channelDefaults[network].Value))
			case f.required:
				fields = append(fields, fmt.Sprintf("%s (required, such as %s)", f.name, f.example))
			default:
				fields = append(fields, f.name)
			}
		}
		fmt.Fprintf(&b, "  %-10s %s\n", network, strings.Join(fields, ", "))
	}
	return b.String()
}

// article returns a network's name after "a" or "an", as it is read out
// ("an x account").
func article(network string) string {
	if strings.ContainsRune("aeiox", rune(network[0])) {
		return "an " + network
	}
	return "a " + network
}

func lookupField(network, name string) (networkField, bool) {
	if name == "stats_window" {
		return networkField{name: name}, true
	}
	for _, f := range networkFields[network] {
		if f.name == name {
			return f, true
		}
	}
	return networkField{}, false
}

func fieldNames(network string) []string {
	var names []string
	for _, f := range networkFields[network] {
		names = append(names, f.name)
	}
	return append(names, "stats_window")
}

func (a Account) field(name string) string {
	for _, f := range a.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Env returns the name of the account's variable for a field:
// HERALD_<KEY>_<FIELD>.
func (a Account) Env(field string) string {
	return (&load.Account{Key: a.Key, Network: a.Network}).EnvName(field)
}

// isChannel reports whether the account publishes into the calendar
// itself (a file in the repository), needing no credentials.
func (a Account) isChannel() bool { return a.Network == "feed" || a.Network == "outbox" }

// withDefaults returns the accounts given, then a feed and an outbox
// unless they already have one: both publish into the repository, so a new
// calendar publishes something with no credentials at all.
func withDefaults(given []Account, brand string) ([]Account, error) {
	var all []Account
	for _, a := range given {
		if slices.ContainsFunc(all, func(b Account) bool { return b.Key == a.Key }) {
			return nil, usagef("--account %s is given twice", a.Key)
		}
		all = append(all, a)
	}
	has := func(network string) bool {
		return slices.ContainsFunc(all, func(a Account) bool { return a.Key == network || a.Network == network })
	}
	if !has("feed") {
		all = append(all, Account{Key: "feed", Network: "feed", Fields: []Field{channelDefaults["feed"], {"title", brand}}})
	}
	if !has("outbox") {
		all = append(all, Account{Key: "outbox", Network: "outbox", Fields: []Field{channelDefaults["outbox"]}})
	}
	return all, nil
}

// Secret is a credential an account reads from the environment, which the
// workflows pass from the repository's secrets of the same name.
type Secret struct {
	Name    string // HERALD_<KEY>_<FIELD>
	Account string
	Network string
	What    string // what to put in it, and where to get it
	// Or is the secret that may be set instead of this one (Discord's
	// webhook URL or bot token); "" when this one is needed.
	Or string
	// Optional is a secret the account works without.
	Optional bool
}

// credential is one variable a network's client reads. What it holds is
// the message scaffold.secret.NETWORK.FIELD of the catalog (README.md's
// table says it).
type credential struct {
	field    string
	or       string // the field that may be set instead
	optional bool
}

// credentials are the variables herald reads for each network
// (pipeline/networks/<network>: networks.Credential), in the order a
// person sets them up; SPEC.md's Networks table names them.
var credentials = map[string][]credential{
	"mastodon":  {{field: "TOKEN"}},
	"bluesky":   {{field: "PASSWORD"}},
	"x":         {{field: "API_KEY"}, {field: "API_SECRET"}, {field: "ACCESS_TOKEN"}, {field: "ACCESS_SECRET"}},
	"linkedin":  {{field: "TOKEN"}, {field: "TOKEN_EXPIRES", optional: true}},
	"facebook":  {{field: "TOKEN"}},
	"instagram": {{field: "TOKEN"}},
	"threads":   {{field: "TOKEN"}},
	"discord":   {{field: "WEBHOOK", or: "BOT_TOKEN"}, {field: "BOT_TOKEN", or: "WEBHOOK"}},
	"slack":     {{field: "TOKEN"}},
	"telegram":  {{field: "TOKEN"}},
	"webhook":   {{field: "SECRET"}, {field: "URL", optional: true}},
}

// Secrets returns the secrets the accounts need, by account key, each
// account's in the order its network's are set up, each saying what it
// holds in p's language (nil: English).
func Secrets(p *i18n.Printer, accounts []Account) []Secret {
	if p == nil {
		p = i18n.English()
	}
	var out []Secret
	for _, a := range accounts {
		for _, c := range credentials[a.Network] {
			what := "scaffold.secret." + a.Network + "." + c.field
			s := Secret{Name: a.Env(c.field), Account: a.Key, Network: a.Network, Optional: c.optional}
			if c.or != "" {
				s.Or = a.Env(c.or)
			}
			if c.field == "URL" && a.field("url") == "" {
				// No url: in the charter, so the variable is the only place
				// the receiver's URL can come from.
				s.Optional, what = false, what+"-required"
			}
			s.What = p.T(what, nil)
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b Secret) int { return strings.Compare(a.Account, b.Account) })
	return out
}

// SecretsOf returns the secrets a charter's accounts need.
func SecretsOf(c *load.Charter) []Secret {
	var accounts []Account
	for _, key := range c.AccountKeys() {
		a := Account{Key: key, Network: c.Accounts[key].Network}
		if u := c.Accounts[key].URL; u != "" {
			a.Fields = append(a.Fields, Field{"url", u})
		}
		accounts = append(accounts, a)
	}
	return Secrets(nil, accounts)
}

// unpublishable returns the accounts on networks herald checks and
// previews but has no client to publish to yet.
func unpublishable(accounts []Account) []Account {
	var out []Account
	for _, a := range accounts {
		if !registry.Supported(a.Network) {
			out = append(out, a)
		}
	}
	return out
}

// confirmable returns the accounts whose network cannot tell a retry
// whether a post went out (Telegram; Discord through a webhook): a
// run stopped between sending and journaling leaves a person to say.
func confirmable(accounts []Account) []Account {
	var out []Account
	for _, a := range accounts {
		if a.Network == "telegram" || a.Network == "discord" {
			out = append(out, a)
		}
	}
	return out
}

// UsageError is bad usage: a flag or argument that cannot work. The
// command exits 2.
type UsageError struct{ Message string }

func (e *UsageError) Error() string { return e.Message }

func usagef(format string, args ...any) error {
	return &UsageError{fmt.Sprintf(format, args...)}
}
