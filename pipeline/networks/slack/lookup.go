package slack

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Lookup finds the messages an earlier run made of p by their metadata:
// in the channel's history, the message whose idempotency key is p's
// (part 0), then in its thread the other parts. A thread found only in
// part is not found: Publish finishes it.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if len(p.Parts) == 0 || p.IdempotencyKey == "" {
		return networks.Result{}, false, nil
	}
	ids, err := c.find(ctx, p)
	if err != nil || len(ids) < len(p.Parts) {
		return networks.Result{}, false, err
	}
	return networks.Result{IDs: ids, URLs: c.permalinks(ctx, ids)}, true, nil
}

const (
	// pageSize is how many messages a page of conversations.history
	// asks for (Slack advises at most 200).
	pageSize = 100
	// maxPages bounds how far back the channel is read.
	maxPages = 10
	// clockSlack is how much earlier than the post's date a message of it
	// may be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
)

// message is the part of a Web API message Herald reads.
type message struct {
	TS         string `json:"ts"`
	ThreadTS   string `json:"thread_ts"`
	ReplyCount int64  `json:"reply_count"`
	Metadata   *struct {
		EventType    string  `json:"event_type"`
		EventPayload payload `json:"event_payload"`
	} `json:"metadata"`
	Reactions []struct {
		Name  string `json:"name"`
		Count int64  `json:"count"`
	} `json:"reactions"`
}

// part reports which part of the publication whose key is key a message
// is, -1 when it is none.
func (m *message) part(key string) int {
	if m.Metadata == nil || m.Metadata.EventType != EventType || m.Metadata.EventPayload.IdempotencyKey != key {
		return -1
	}
	return m.Metadata.EventPayload.Part
}

// find returns the ts of the channel's messages that are p's first
// parts, in order: all of them, some, or none.
func (c *Client) find(ctx context.Context, p networks.Publication) ([]string, error) {
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	q := url.Values{"channel": {c.channel}, "include_all_metadata": {"true"}, "limit": {fmt.Sprint(pageSize)}}
	if !since.IsZero() {
		q.Set("oldest", fmt.Sprintf("%d.000000", since.Add(-clockSlack).Unix()))
	}
	var root *message
	// Oldest first would need every page: a key is unique, take the first
	// found, the newest.
	err := c.pages(ctx, "conversations.history", q, func(m *message) bool {
		if m.part(p.IdempotencyKey) == 0 {
			root = m
		}
		return root != nil
	})
	if err != nil || root == nil {
		return nil, err
	}
	ids := []string{root.TS}
	if len(p.Parts) == 1 || root.ReplyCount == 0 {
		return ids, nil
	}
	parts := map[int]string{}
	q = url.Values{"channel": {c.channel}, "ts": {root.TS}, "include_all_metadata": {"true"}, "limit": {fmt.Sprint(pageSize)}}
	err = c.pages(ctx, "conversations.replies", q, func(m *message) bool {
		if i := m.part(p.IdempotencyKey); i > 0 && m.TS != root.TS {
			if _, dup := parts[i]; !dup {
				parts[i] = m.TS
			}
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(p.Parts); i++ {
		ts, ok := parts[i]
		if !ok {
			break
		}
		ids = append(ids, ts)
	}
	return ids, nil
}

// pages reads the messages of a method with cursor pagination, at most
// maxPages pages, until stop says so.
func (c *Client) pages(ctx context.Context, method string, q url.Values, stop func(*message) bool) error {
	for range maxPages {
		var page struct {
			Messages []*message `json:"messages"`
		}
		env, err := c.get(ctx, method, q, &page)
		if err != nil {
			return err
		}
		for _, m := range page.Messages {
			if stop(m) {
				return nil
			}
		}
		if env.Metadata.NextCursor == "" {
			return nil
		}
		q.Set("cursor", env.Metadata.NextCursor)
	}
	return nil
}
