package facebook

import (
	"context"
	"errors"
	"net/url"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/state"
)

// statsFields are the fields of a post Stats reads: the totals of its
// reactions and comments (their summaries), and its shares.
const statsFields = "reactions.summary(total_count),comments.summary(total_count),shares"

type summary struct {
	Summary *struct {
		TotalCount int64 `json:"total_count"`
	} `json:"summary"`
}

// Stats returns the engagement of Page posts, one Counts per id (GET
// /{post-id}): all reactions are likes, comments are replies, shares are
// reposts. The Graph API leaves shares out of a post nobody shared: that
// is 0. Facebook has no quotes, and Herald reads no views (post insights
// need the read_insights permission): both stay nil. A post that is gone
// has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		var out struct {
			Reactions summary `json:"reactions"`
			Comments  summary `json:"comments"`
			Shares    *struct {
				Count int64 `json:"count"`
			} `json:"shares"`
		}
		err := c.get(ctx, "/"+url.PathEscape(id), url.Values{"fields": {statsFields}}, &out)
		if gone(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if s := out.Reactions.Summary; s != nil {
			counts[i].Likes = state.Count(s.TotalCount)
		}
		if s := out.Comments.Summary; s != nil {
			counts[i].Replies = state.Count(s.TotalCount)
		}
		counts[i].Reposts = state.Count(0)
		if out.Shares != nil {
			counts[i].Reposts = state.Count(out.Shares.Count)
		}
	}
	return counts, nil
}

// gone reports whether err is the Graph API saying the object does not
// exist or cannot be read (code 100, subcode 33, which the transport
// makes a 404).
func gone(err error) bool {
	se, ok := errors.AsType[*httpx.ServerError](err)
	return ok && se.Status == 404
}

// Followers returns how many people follow the Page (GET
// /{page-id}?fields=followers_count).
func (c *Client) Followers(ctx context.Context) (int64, error) {
	var out struct {
		FollowersCount *int64 `json:"followers_count"`
	}
	if err := c.get(ctx, "/"+url.PathEscape(c.page), url.Values{"fields": {"followers_count"}}, &out); err != nil {
		return 0, err
	}
	if out.FollowersCount == nil {
		return 0, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("GET /{page-id}: the answer has no followers_count")}
	}
	return *out.FollowersCount, nil
}
