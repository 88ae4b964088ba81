package threads

import (
	"context"
	"errors"
	"net/url"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// insights is the answer of the insights edges: one entry per metric,
// its value in values (media) or total_value (the user's
// followers_count).
type insights struct {
	Data []struct {
		Name   string `json:"name"`
		Values []struct {
			Value int64 `json:"value"`
		} `json:"values"`
		TotalValue *struct {
			Value int64 `json:"value"`
		} `json:"total_value"`
	} `json:"data"`
}

// Stats returns the engagement of a publication's posts, one Counts per
// id, from the media insights (GET /{media-id}/insights with views,
// likes, replies, reposts and quotes). A metric the answer lacks stays
// nil. The replies of a thread's part count Herald's own parts after it
// (all of them for the first, which counts every reply of the thread;
// the next one for the others, which count their direct replies): those
// are taken off. A post that is gone (code 100) has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		var out insights
		err := c.get(ctx, "/"+id+"/insights", url.Values{"metric": {"views,likes,replies,reposts,quotes"}}, &out)
		if code(err) == 100 {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, d := range out.Data {
			if len(d.Values) == 0 {
				continue
			}
			v := d.Values[0].Value
			switch d.Name {
			case "views":
				counts[i].Views = state.Count(v)
			case "likes":
				counts[i].Likes = state.Count(v)
			case "replies":
				own := int64(0)
				switch {
				case i == 0:
					own = int64(len(ids) - 1)
				case i < len(ids)-1:
					own = 1
				}
				counts[i].Replies = state.Count(max(0, v-own))
			case "reposts":
				counts[i].Reposts = state.Count(v)
			case "quotes":
				counts[i].Quotes = state.Count(v)
			}
		}
	}
	return counts, nil
}

// Followers returns the profile's followers_count (GET
// /{threads-user-id}/threads_insights).
func (c *Client) Followers(ctx context.Context) (int64, error) {
	var out insights
	if err := c.get(ctx, "/"+c.user+"/threads_insights", url.Values{"metric": {"followers_count"}}, &out); err != nil {
		return 0, err
	}
	for _, d := range out.Data {
		if d.Name == "followers_count" && d.TotalValue != nil {
			return d.TotalValue.Value, nil
		}
	}
	return 0, &networks.Error{Kind: networks.Transient, Account: c.account,
		Err: errors.New("threads_insights: the answer has no followers_count total_value")}
}
