// Package registry makes the client of an account from its network's
// name: the one place that names every network package. publish, stats
// and doctor make their clients here, so that a network added to the
// table below is published to, measured and checked by all three.
package registry

import (
	"fmt"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky"
	"github.com/herald-social/herald/pipeline/networks/discord"
	"github.com/herald-social/herald/pipeline/networks/facebook"
	"github.com/herald-social/herald/pipeline/networks/feed"
	"github.com/herald-social/herald/pipeline/networks/instagram"
	"github.com/herald-social/herald/pipeline/networks/linkedin"
	"github.com/herald-social/herald/pipeline/networks/mastodon"
	"github.com/herald-social/herald/pipeline/networks/outbox"
	"github.com/herald-social/herald/pipeline/networks/slack"
	"github.com/herald-social/herald/pipeline/networks/telegram"
	"github.com/herald-social/herald/pipeline/networks/threads"
	"github.com/herald-social/herald/pipeline/networks/webhook"
	"github.com/herald-social/herald/pipeline/networks/x"
)

// client is how one network's accounts are made.
type client struct {
	open networks.Open
	// channel is true for the accounts that publish into the calendar
	// itself (feed, outbox): they need no credentials, and their
	// publication is the results commit.
	channel bool
}

// clients maps a network's name (netspec's, the charter's network:) onto
// its package. A network of netspec that is not here is one herald
// cannot publish to yet.
var clients = map[string]client{
	"bluesky":   {open: bluesky.Open},
	"discord":   {open: discord.Open},
	"facebook":  {open: facebook.Open},
	"feed":      {open: feed.Open, channel: true},
	"instagram": {open: instagram.Open},
	"linkedin":  {open: linkedin.Open},
	"mastodon":  {open: mastodon.Open},
	"outbox":    {open: outbox.Open, channel: true},
	"slack":     {open: slack.Open},
	"telegram":  {open: telegram.Open},
	"threads":   {open: threads.Open},
	"webhook":   {open: webhook.Open},
	"x":         {open: x.Open},
}

// Open makes the client of an account. A network herald has no client
// for is a Permanent error that says so.
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, ok := clients[a.Network]
	if !ok {
		return nil, &networks.Error{Kind: networks.Permanent, Account: a.Key,
			Err: fmt.Errorf("herald cannot publish to %s yet", a.Network)}
	}
	return c.open(a, env)
}

// Reader makes the client herald stats reads an account's engagement
// with: Open's, with env.Public, so that a network whose engagement is
// public (Bluesky's AppView) needs no credential.
func Reader(a *load.Account, env networks.Env) (networks.Publisher, error) {
	env.Public = true
	return Open(a, env)
}

// Supported reports whether herald has a client for a network.
func Supported(network string) bool {
	_, ok := clients[network]
	return ok
}

// IsChannel reports whether an account publishes into the calendar
// itself (feed, outbox), needing no credentials.
func IsChannel(a *load.Account) bool { return clients[a.Network].channel }
