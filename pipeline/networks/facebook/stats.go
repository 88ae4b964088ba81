package facebook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/state"
)

// statsFields are the fields of a post Stats reads: the totals of its
// reactions and comments (their summaries), and its shares; a video has
// no shares.
const (
	statsFields      = "reactions.summary(total_count),comments.summary(total_count),shares"
	videoStatsFields = "reactions.summary(total_count),comments.summary(total_count)"
)

// Views metrics. Meta deprecated post_impressions on November 15, 2025
// ("Page Insights API Updates", 2025-08-15: the impressions metric "will
// be replaced by the views metric on all API versions"); the Page
// Insights reference and its list of deprecated metrics name
// post_media_view, "the number of times your post was on screen", as
// what replaces it for a post. A video post's views are its video's
// total_video_views (Video API, Insights: viewed 3 seconds or to its end).
const (
	postViewsMetric  = "post_media_view"
	videoViewsMetric = "total_video_views"
)

type summary struct {
	Summary *struct {
		TotalCount int64 `json:"total_count"`
	} `json:"summary"`
}

// Stats returns the engagement of Page posts, one Counts per id (GET
// /{post-id}, or GET /{video-id} for a video post): all reactions are
// likes, comments are replies, shares are reposts (the Graph API leaves
// shares out of a post nobody shared: that is 0; a video has none: nil).
// Views are the post's insights (GET /{post-id}/insights, post_media_view)
// or the video's (GET /{video-id}/video_insights, total_video_views):
// they need the read_insights permission and a Page of 100 likes
// or more, so a refused or empty insight leaves views nil rather than
// failing the other counts. Facebook has no quotes. A post that is gone
// has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		video := isVideoID(id)
		fields := statsFields
		if video {
			fields = videoStatsFields
		}
		var out struct {
			Reactions summary `json:"reactions"`
			Comments  summary `json:"comments"`
			Shares    *struct {
				Count int64 `json:"count"`
			} `json:"shares"`
		}
		err := c.get(ctx, "/"+url.PathEscape(id), url.Values{"fields": {fields}}, &out)
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
		if !video {
			counts[i].Reposts = state.Count(0)
			if out.Shares != nil {
				counts[i].Reposts = state.Count(out.Shares.Count)
			}
		}
		views, err := c.views(ctx, id, video)
		if err != nil {
			return nil, err
		}
		counts[i].Views = views
	}
	return counts, nil
}

// views reads a post's or a video's lifetime views from its insights; nil
// when Facebook gives none or refuses them (a missing permission, a Page
// too small for insights, a metric it no longer knows), which the log
// says.
func (c *Client) views(ctx context.Context, id string, video bool) (*int64, error) {
	edge, q := "/insights", url.Values{"metric": {postViewsMetric}, "period": {"lifetime"}}
	if video {
		edge, q = "/video_insights", url.Values{"metric": {videoViewsMetric}}
	}
	var out struct {
		Data []struct {
			Name   string `json:"name"`
			Values []struct {
				Value *int64 `json:"value"`
			} `json:"values"`
		} `json:"data"`
	}
	err := c.get(ctx, "/"+url.PathEscape(id)+edge, q, &out)
	if se, ok := errors.AsType[*httpx.ServerError](err); ok && se.Status >= 400 && se.Status < 500 && se.Status != http.StatusTooManyRequests && se.Status != http.StatusUnauthorized {
		fmt.Fprintf(c.log, "%s: no views for %s (GET %s refused: %s); the token needs read_insights, and Meta gives insights of Pages with 100 likes or more\n", c.account, id, edge, networks.Reason(err, c.account))
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, d := range out.Data {
		if d.Name == q.Get("metric") && len(d.Values) > 0 {
			return d.Values[len(d.Values)-1].Value, nil
		}
	}
	return nil, nil
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
