package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/state"
)

// recentLimit is how many of the channel's latest messages Lookup reads:
// the most GET /channels/{id}/messages gives at once is 100.
const recentLimit = 50

// Lookup finds the messages an earlier run made of p among the channel's
// 50 latest: the bot's message whose nonce (when Discord still gives it)
// or text and attachments are p's first part, then, for each next part,
// the bot's reply to the part before with that part's text. A thread
// found only in part is not found: Publish finishes it.
//
// A webhook cannot read the channel: Lookup then fails, Unsupported, and
// the engine leaves the publication in progress for a person to check.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if c.webhook != nil {
		return networks.Result{}, false, &networks.Error{Kind: networks.Unsupported, Account: c.account,
			Err: fmt.Errorf("a Discord webhook cannot read its channel, so whether an interrupted run posted %s cannot be told (with a bot token, %s, and the account's channel, Herald finds its messages itself)",
				p.PostID, strings.TrimSuffix(c.envName, "WEBHOOK")+"BOT_TOKEN")}
	}
	if len(p.Parts) == 0 {
		return networks.Result{}, false, nil
	}
	guild, err := c.guildID(ctx)
	if err != nil {
		return networks.Result{}, false, err
	}
	done, err := c.find(ctx, p)
	if err != nil || len(done) < len(p.Parts) {
		return networks.Result{}, false, err
	}
	return c.resultOf(guild, done), true, nil
}

// find returns the bot's messages in the channel that are p's first
// parts, in order: all of them, some, or none.
func (c *Client) find(ctx context.Context, p networks.Publication) ([]*message, error) {
	me, err := c.self(ctx)
	if err != nil {
		return nil, err
	}
	var recent []*message
	if err := c.getJSON(ctx, "/channels/"+url.PathEscape(c.channel)+"/messages",
		url.Values{"limit": {fmt.Sprint(recentLimit)}}, &recent); err != nil {
		return nil, err
	}
	// Oldest first: if a part was posted twice, the first one is Herald's.
	slices.Reverse(recent)
	recent = slices.DeleteFunc(recent, func(m *message) bool { return m.Author.ID != me })
	var best []*message
	for _, first := range recent {
		if !c.matches(first, p, 0) {
			continue
		}
		chain := []*message{first}
		for i := 1; i < len(p.Parts); i++ {
			prev := chain[i-1].ID
			next := slices.IndexFunc(recent, func(m *message) bool {
				return m.MessageReference != nil && m.MessageReference.MessageID == prev && c.matches(m, p, i)
			})
			if next < 0 {
				break
			}
			chain = append(chain, recent[next])
		}
		if len(chain) > len(best) {
			best = chain
		}
		if len(best) == len(p.Parts) {
			break
		}
	}
	return best, nil
}

// matches reports whether a message is part i of p: its nonce, when the
// message still has it, else the same text and the same attachments'
// descriptions, in order.
func (c *Client) matches(m *message, p networks.Publication, i int) bool {
	if nonce, ok := m.Nonce.(string); ok && nonce != "" {
		return nonce == Nonce(p.IdempotencyKey, i)
	}
	part := p.Parts[i]
	if strings.TrimSpace(m.Content) != strings.TrimSpace(part.Text) || len(m.Attachments) != len(part.Media) {
		return false
	}
	for n, a := range m.Attachments {
		if strings.TrimSpace(a.Description) != strings.TrimSpace(part.Media[n].Alt) {
			return false
		}
	}
	return true
}

// Stats returns the engagement of messages, one Counts per id: the sum of
// each reaction's count is the likes; Discord says nothing of reposts or
// views, and replies are not counted per message. A message that is gone
// has no counts. A webhook cannot read messages: Unsupported.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	if c.webhook != nil {
		return nil, &networks.Error{Kind: networks.Unsupported, Account: c.account,
			Err: errors.New("a Discord webhook cannot read its messages' reactions: use a bot token for stats")}
	}
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		var m message
		err := c.getJSON(ctx, "/channels/"+url.PathEscape(c.channel)+"/messages/"+url.PathEscape(id), nil, &m)
		if se, ok := errors.AsType[*httpx.ServerError](err); ok && se.Status == http.StatusNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		var likes int64
		for _, r := range m.Reactions {
			likes += r.Count
		}
		counts[i].Likes = state.Count(likes)
	}
	return counts, nil
}
