package bluesky

import (
	"context"
	"fmt"
	"net/url"

	"github.com/herald-social/herald/pipeline/state"

	"github.com/herald-social/herald/pipeline/networks"
)

// getPostsBatch is the most URIs app.bsky.feed.getPosts takes at once.
const getPostsBatch = 25

// postView is what Herald reads of an app.bsky.feed.defs#postView: its
// counts. indigo's FeedDefs_PostView decodes every embed and record of the
// view too, and would fail a whole batch on one it does not know; the
// counts are all Stats needs.
type postView struct {
	URI         string `json:"uri"`
	LikeCount   *int64 `json:"likeCount"`
	RepostCount *int64 `json:"repostCount"`
	ReplyCount  *int64 `json:"replyCount"`
	QuoteCount  *int64 `json:"quoteCount"`
}

// Stats returns the engagement of posts by their at:// URIs (the ids of a
// Result), one Counts per id, from app.bsky.feed.getPosts on the AppView
// in batches of 25. Bluesky gives no views. A post the AppView does not
// return (deleted, or not indexed yet) has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	counts := make([]state.Counts, len(ids))
	for start := 0; start < len(ids); start += getPostsBatch {
		batch := ids[start:min(start+getPostsBatch, len(ids))]
		var out struct {
			Posts []postView `json:"posts"`
		}
		err := c.do(ctx, call{host: c.appview, nsid: "app.bsky.feed.getPosts", query: url.Values{"uris": batch}}, &out)
		if err != nil {
			return nil, err
		}
		byURI := make(map[string]postView, len(out.Posts))
		for _, v := range out.Posts {
			byURI[v.URI] = v
		}
		for i, id := range batch {
			if v, ok := byURI[id]; ok {
				counts[start+i] = state.Counts{Likes: v.LikeCount, Reposts: v.RepostCount, Replies: v.ReplyCount, Quotes: v.QuoteCount}
			}
		}
	}
	return counts, nil
}

// Followers returns the account's follower count from
// app.bsky.actor.getProfile on the AppView.
func (c *Client) Followers(ctx context.Context) (int64, error) {
	var out struct {
		FollowersCount *int64 `json:"followersCount"`
	}
	err := c.do(ctx, call{host: c.appview, nsid: "app.bsky.actor.getProfile", query: url.Values{"actor": {c.handle}}}, &out)
	if err != nil {
		return 0, err
	}
	if out.FollowersCount == nil {
		return 0, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("app.bsky.actor.getProfile: the AppView gave no followersCount for %s", c.handle)}
	}
	return *out.FollowersCount, nil
}
