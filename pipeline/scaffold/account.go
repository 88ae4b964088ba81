package scaffold

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
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
	"bluesky":   {{name: "handle", required: true, example: "brand.bsky.social"}, {name: "pds"}, {name: "appview"}},
	"x":         {{name: "user_id"}, {name: "api"}},
	"linkedin":  {{name: "author"}, {name: "version"}, {name: "api"}},
	"facebook":  {{name: "page"}, {name: "api"}},
	"instagram": {{name: "user"}, {name: "api"}},
	"threads":   {{name: "user"}, {name: "api"}},
	"discord":   {{name: "channel"}, {name: "api"}},
	"slack":     {{name: "channel"}, {name: "api"}},
	"telegram":  {{name: "chat"}, {name: "api"}},
	"webhook":   {{name: "url"}},
	"feed":      {{name: "path", required: true, example: "public/feed.xml"}, {name: "title"}, {name: "link"}},
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
				return Account{}, usagef("--account %q: a %s account has no field %q: use %s", s, network, name, strings.Join(fieldNames(network), ", "))
			}
			if slices.ContainsFunc(a.Fields, func(g Field) bool { return g.Name == name }) {
				return Account{}, usagef("--account %q: %s is given twice", s, name)
			}
			if f.integer {
				if n, err := strconv.Atoi(value); err != nil || n < 1 {
					return Account{}, usagef("--account %q: %s must be a positive whole number", s, name)
				}
			}
			a.Fields = append(a.Fields, Field{name, value})
		}
	}
	if def, ok := channelDefaults[network]; ok && a.field(def.Name) == "" {
		a.Fields = append(a.Fields, def)
	}
	for _, f := range networkFields[network] {
		if f.required && a.field(f.name) == "" {
			return Account{}, usagef("--account %q: a %s account needs %s=..., such as %s=%s,%s=%s", s, network, f.name, key, network, f.name, f.example)
		}
	}
	return a, nil
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
}

// credentials are the fields herald reads for each network it publishes
// to (pipeline/networks/<network>: networks.Credential).
var credentials = map[string][]struct{ field, what string }{
	"mastodon": {{"TOKEN", "an access token of the account (Preferences > Development > New application, scopes read:accounts, read:statuses, write:media and write:statuses)"}},
	"bluesky":  {{"PASSWORD", "an app password of the handle (Settings > Privacy and security > App passwords), never the account's password"}},
}

// Secrets returns the secrets the accounts need, sorted by name.
func Secrets(accounts []Account) []Secret {
	var out []Secret
	for _, a := range accounts {
		la := load.Account{Key: a.Key, Network: a.Network}
		for _, c := range credentials[a.Network] {
			out = append(out, Secret{Name: la.EnvName(c.field), Account: a.Key, Network: a.Network, What: c.what})
		}
	}
	slices.SortFunc(out, func(a, b Secret) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// SecretsOf returns the secrets a charter's accounts need.
func SecretsOf(c *load.Charter) []Secret {
	var accounts []Account
	for _, key := range c.AccountKeys() {
		accounts = append(accounts, Account{Key: key, Network: c.Accounts[key].Network})
	}
	return Secrets(accounts)
}

// unpublishable returns the accounts on networks herald checks and
// previews but has no client to publish to yet.
func unpublishable(accounts []Account) []Account {
	var out []Account
	for _, a := range accounts {
		if !a.isChannel() && credentials[a.Network] == nil {
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
