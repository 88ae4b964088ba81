package instagram

import (
	"context"
	"fmt"
	"net/url"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// Stats returns the engagement of media, one Counts per id: like_count
// as likes (absent, so nil, where the owner hides likes), comments_count
// as replies, and the views insight as views (nil when Instagram has no
// insight for it yet, or refuses it: a medium with too few viewers, or a
// token without instagram_manage_insights). Instagram has no reposts or
// quotes: nil. A medium that is gone has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		var m struct {
			LikeCount     *int64 `json:"like_count"`
			CommentsCount *int64 `json:"comments_count"`
		}
		err := c.get(ctx, id, url.Values{"fields": {"like_count,comments_count"}}, &m)
		if networks.KindOf(err) == networks.Permanent && !networks.RejectedCredential(err) {
			fmt.Fprintf(c.log, "instagram: no counts for media %s: %v\n", id, err)
			continue // deleted, or not the account's: it has no counts
		}
		if err != nil {
			return nil, err
		}
		counts[i].Likes, counts[i].Replies = m.LikeCount, m.CommentsCount
		views, err := c.views(ctx, id)
		if err != nil && networks.KindOf(err) != networks.Permanent {
			return nil, err
		}
		counts[i].Views = views
	}
	return counts, nil
}

// views reads a medium's views insight, nil when Instagram gives none.
func (c *Client) views(ctx context.Context, id string) (*int64, error) {
	var out struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value int64 `json:"value"`
			} `json:"values"`
		} `json:"data"`
	}
	if err := c.get(ctx, id+"/insights", url.Values{"metric": {"views"}}, &out); err != nil {
		return nil, err
	}
	for _, d := range out.Data {
		if d.Name == "views" && len(d.Values) > 0 {
			return state.Count(d.Values[0].Value), nil
		}
	}
	return nil, nil
}

// Followers returns how many accounts follow the Instagram account
// (followers_count).
func (c *Client) Followers(ctx context.Context) (int64, error) {
	var out struct {
		FollowersCount int64 `json:"followers_count"`
	}
	if err := c.get(ctx, c.user, url.Values{"fields": {"followers_count"}}, &out); err != nil {
		return 0, err
	}
	return out.FollowersCount, nil
}
