package registry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky"
	"github.com/herald-social/herald/pipeline/networks/discord"
	"github.com/herald-social/herald/pipeline/networks/facebook"
	"github.com/herald-social/herald/pipeline/networks/feed"
	"github.com/herald-social/herald/pipeline/networks/instagram"
	"github.com/herald-social/herald/pipeline/networks/linkedin"
	"github.com/herald-social/herald/pipeline/networks/mastodon"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/networks/outbox"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/networks/slack"
	"github.com/herald-social/herald/pipeline/networks/telegram"
	"github.com/herald-social/herald/pipeline/networks/threads"
	"github.com/herald-social/herald/pipeline/networks/webhook"
	"github.com/herald-social/herald/pipeline/networks/x"
)

func getenv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// TestOpen makes each network's client from an account, without and with
// its credential: a client is made only when the credential is set, and
// the error names the variable to set and, for doctor, what goes in it.
func TestOpen(t *testing.T) {
	tests := []struct {
		account *load.Account
		env     string // the credential's variable; "" for a channel
		help    string // a piece of the NotConfigured error's Help
		check   func(networks.Publisher) bool
		value   string // the credential's value; "" is s3cret
	}{
		{&load.Account{Key: "mastodon", Network: "mastodon", Server: "https://piaille.fr"},
			"HERALD_MASTODON_TOKEN", "write:statuses", func(p networks.Publisher) bool { _, ok := p.(*mastodon.Client); return ok }, ""},
		{&load.Account{Key: "bluesky", Network: "bluesky", Handle: "maison.example.com", PDS: load.DefaultPDS, AppView: load.DefaultAppView},
			"HERALD_BLUESKY_PASSWORD", "App passwords", func(p networks.Publisher) bool { _, ok := p.(*bluesky.Client); return ok }, ""},
		{&load.Account{Key: "telegram", Network: "telegram", Chat: "@maison"},
			"HERALD_TELEGRAM_TOKEN", "@BotFather", func(p networks.Publisher) bool { _, ok := p.(*telegram.Client); return ok }, ""},
		{&load.Account{Key: "discord", Network: "discord", Channel: "1200000000000000001"},
			"HERALD_DISCORD_BOT_TOKEN", "Developer Portal", func(p networks.Publisher) bool { _, ok := p.(*discord.Client); return ok }, ""},
		{&load.Account{Key: "feed", Network: "feed", Path: "public/feed.xml"},
			"", "", func(p networks.Publisher) bool { _, ok := p.(*feed.Feed); return ok }, ""},
		{&load.Account{Key: "outbox", Network: "outbox", Dir: "outbox"},
			"", "", func(p networks.Publisher) bool { _, ok := p.(*outbox.Outbox); return ok }, ""},
		{&load.Account{Key: "slack", Network: "slack", Channel: "C0123ABCDEF"},
			"HERALD_SLACK_TOKEN", "xoxb-", func(p networks.Publisher) bool { _, ok := p.(*slack.Client); return ok }, ""},
		{&load.Account{Key: "facebook", Network: "facebook", Page: "102030405060708"},
			"HERALD_FACEBOOK_TOKEN", "pages_manage_posts", func(p networks.Publisher) bool { _, ok := p.(*facebook.Client); return ok }, ""},
		{&load.Account{Key: "insta", Network: "instagram", User: "17841405822304914"},
			"HERALD_INSTA_TOKEN", "instagram_content_publish", func(p networks.Publisher) bool { _, ok := p.(*instagram.Client); return ok }, ""},
		{&load.Account{Key: "linkedin", Network: "linkedin", Author: "urn:li:organization:2414183", Version: "202605"},
			"HERALD_LINKEDIN_TOKEN", "w_organization_social", func(p networks.Publisher) bool { _, ok := p.(*linkedin.Client); return ok }, ""},
		{&load.Account{Key: "threads", Network: "threads", User: "17841400000000001"},
			"HERALD_THREADS_TOKEN", "threads_content_publish", func(p networks.Publisher) bool { _, ok := p.(*threads.Client); return ok }, ""},
		{&load.Account{Key: "hooks", Network: "webhook", URL: "https://hooks.example.com/herald"},
			"HERALD_HOOKS_SECRET", "whsec_", func(p networks.Publisher) bool { _, ok := p.(*webhook.Client); return ok },
			"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"},
		{&load.Account{Key: "x", Network: "x"},
			"HERALD_X_API_KEY", "developer portal", func(p networks.Publisher) bool { _, ok := p.(*x.Client); return ok }, ""},
	}
	// others are the networks' other credentials, set with env's.
	others := map[string]map[string]string{
		"x": {"HERALD_X_API_SECRET": "s3cret", "HERALD_X_ACCESS_TOKEN": "1-t0ken", "HERALD_X_ACCESS_SECRET": "s3cret"},
	}
	for _, tt := range tests {
		t.Run(tt.account.Network, func(t *testing.T) {
			store := networks.DirStore{Root: t.TempDir()}
			if tt.env != "" {
				_, err := registry.Open(tt.account, networks.Env{Getenv: getenv(nil)})
				ne, ok := errors.AsType[*networks.Error](err)
				if !ok || ne.Kind != networks.NotConfigured || ne.Env != tt.env || !strings.Contains(ne.Help, tt.help) {
					t.Fatalf("without %s: %v, want not configured naming it, with help about %q", tt.env, err, tt.help)
				}
			}
			value := tt.value
			if value == "" {
				value = "s3cret"
			}
			vars := map[string]string{tt.env: value}
			for k, v := range others[tt.account.Network] {
				vars[k] = v
			}
			p, err := registry.Open(tt.account, networks.Env{Getenv: getenv(vars), Store: store})
			if err != nil || !tt.check(p) {
				t.Fatalf("Open = %T, %v; want the network's client", p, err)
			}
		})
	}
}

// TestReaderNeedsNoBlueskyPassword: herald stats reads Bluesky's public
// AppView, so its reader is made without the app password.
func TestReaderNeedsNoBlueskyPassword(t *testing.T) {
	a := &load.Account{Key: "bluesky", Network: "bluesky", Handle: "maison.example.com", PDS: load.DefaultPDS, AppView: load.DefaultAppView}
	p, err := registry.Reader(a, networks.Env{Getenv: getenv(nil)})
	if _, ok := p.(*bluesky.Client); err != nil || !ok {
		t.Errorf("Reader = %T, %v; want a *bluesky.Client", p, err)
	}
}

// TestUnsupported: a network of the spec table without a client is a
// Permanent error that says herald cannot publish there yet, and the
// registry knows every network it has a client for.
func TestUnsupported(t *testing.T) {
	for _, name := range netspec.Names() {
		if registry.Supported(name) {
			continue
		}
		_, err := registry.Open(&load.Account{Key: name, Network: name}, networks.Env{Getenv: getenv(nil)})
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "herald cannot publish to "+name+" yet") {
			t.Errorf("Open(%s) = %v, want a permanent error saying herald cannot publish there yet", name, err)
		}
	}
	for _, name := range []string{"mastodon", "bluesky", "feed", "outbox", "slack", "telegram", "discord", "webhook", "facebook", "instagram", "linkedin", "threads", "x"} {
		if !registry.Supported(name) {
			t.Errorf("Supported(%s) = false", name)
		}
	}
}
