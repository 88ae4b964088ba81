package x

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// statsBatch is the most ids GET /2/tweets takes at once.
const statsBatch = 100

// metrics are a post's public_metrics (PostPublicMetrics).
type metrics struct {
	LikeCount       *int64 `json:"like_count"`
	RepostCount     *int64 `json:"repost_count"`
	RetweetCount    *int64 `json:"retweet_count"` // the name X's docs used before repost_count
	ReplyCount      *int64 `json:"reply_count"`
	QuoteCount      *int64 `json:"quote_count"`
	ImpressionCount *int64 `json:"impression_count"`
}

// Stats returns the public metrics of posts, one Counts per id: likes,
// reposts, replies, quotes, and impressions as views. A post that is gone
// (deleted, or hidden from the token) has no counts. It reads GET
// /2/tweets?ids= in batches of 100.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	byID := make(map[string]metrics, len(ids))
	for start := 0; start < len(ids); start += statsBatch {
		batch := ids[start:min(start+statsBatch, len(ids))]
		var page struct {
			Data []struct {
				ID            string   `json:"id"`
				PublicMetrics *metrics `json:"public_metrics"`
			} `json:"data"`
		}
		q := url.Values{"ids": {strings.Join(batch, ",")}, "post.fields": {"public_metrics"}}
		if err := c.get(ctx, "/2/tweets", q, &page); err != nil {
			return nil, err
		}
		for _, d := range page.Data {
			if d.PublicMetrics != nil {
				byID[d.ID] = *d.PublicMetrics
			}
		}
	}
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		if m, ok := byID[id]; ok {
			reposts := m.RepostCount
			if reposts == nil {
				reposts = m.RetweetCount
			}
			counts[i] = state.Counts{Likes: m.LikeCount, Reposts: reposts, Replies: m.ReplyCount,
				Quotes: m.QuoteCount, Views: m.ImpressionCount}
		}
	}
	return counts, nil
}

// Followers is the account's followers_count (GET /2/users/me with
// user.fields=public_metrics).
func (c *Client) Followers(ctx context.Context) (int64, error) {
	m, err := c.self(ctx)
	if err != nil {
		return 0, err
	}
	if m.PublicMetrics == nil || m.PublicMetrics.FollowersCount == nil {
		return 0, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("GET /2/users/me: the answer has no public_metrics.followers_count")}
	}
	return *m.PublicMetrics.FollowersCount, nil
}

// Verify reads the authenticated user (GET /2/users/me): X accepts the
// credentials when it answers, and the charter's user_id, if set, must be
// that user.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	m, err := c.self(ctx)
	switch {
	case networks.RejectedCredential(err):
		return networks.Verification{Verdict: networks.Rejected, Message: fmt.Sprintf(
			"X refused the credentials (%s); generate the access token and secret again in the developer portal (Keys and tokens, with the app's permissions set to Read and Write) and set %s",
			networks.Reason(err, c.account), c.envs)}
	case err != nil:
		return networks.Verification{Verdict: networks.Unsure, Message: "X could not be asked: " + networks.Reason(err, c.account)}
	case c.userID != "" && c.userID != m.ID:
		return networks.Verification{Verdict: networks.Rejected, Message: fmt.Sprintf(
			"the credentials are those of @%s (user id %s), but the charter's user_id is %s: set user_id to %s, or the credentials of the account %s",
			m.Username, m.ID, c.userID, m.ID, c.userID)}
	}
	msg := fmt.Sprintf("X accepts the credentials of @%s (user id %s)", m.Username, m.ID)
	if m.PublicMetrics != nil && m.PublicMetrics.FollowersCount != nil {
		msg += fmt.Sprintf(", followed by %d", *m.PublicMetrics.FollowersCount)
	}
	return networks.Verification{Verdict: networks.Verified, Message: msg + "; Herald finds an interrupted run's posts among the account's recent posts"}
}
