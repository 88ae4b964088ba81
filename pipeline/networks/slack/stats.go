package slack

import (
	"context"
	"fmt"
	"net/url"

	"github.com/herald-social/herald/pipeline/state"
)

// Stats returns the engagement of messages, one Counts per ts: the
// reactions of every emoji are likes (reactions.get), and the replies of
// a thread's first message are replies (its reply_count, read with
// conversations.history, less Herald's own parts among ids). Slack has
// no reposts, quotes or views, and a reply in a thread has no replies of
// its own: those stay nil. A message that is gone has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	counts := make([]state.Counts, len(ids))
	own := map[string]int64{} // thread root → Herald's messages in its thread
	roots := map[int]bool{}
	for i, ts := range ids {
		var out struct {
			Message message `json:"message"`
		}
		_, err := c.get(ctx, "reactions.get", url.Values{"channel": {c.channel}, "timestamp": {ts}, "full": {"true"}}, &out)
		if code(err) == "message_not_found" {
			continue
		}
		if err != nil {
			return nil, err
		}
		var likes int64
		for _, r := range out.Message.Reactions {
			likes += r.Count
		}
		counts[i].Likes = state.Count(likes)
		if t := out.Message.ThreadTS; t != "" && t != ts {
			own[t]++
		} else {
			roots[i] = true
		}
	}
	for i, ts := range ids {
		if !roots[i] {
			continue
		}
		var page struct {
			Messages []message `json:"messages"`
		}
		q := url.Values{"channel": {c.channel}, "latest": {ts}, "inclusive": {"true"}, "limit": {"1"}}
		if _, err := c.get(ctx, "conversations.history", q, &page); err != nil {
			return nil, err
		}
		if len(page.Messages) != 1 || page.Messages[0].TS != ts {
			return nil, fmt.Errorf("conversations.history: message %s is not the one the history gives at its ts", ts)
		}
		counts[i].Replies = state.Count(max(0, page.Messages[0].ReplyCount-own[ts]))
	}
	return counts, nil
}
