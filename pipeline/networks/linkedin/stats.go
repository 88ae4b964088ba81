package linkedin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// Stats returns the engagement of posts, one Counts per URN. For an
// organization, organizationalEntityShareStatistics (lifetime, the
// shares= and ugcPosts= lists): likes, comments as replies, reposts and
// impressions as views. For a member, who has no share statistics,
// socialActions: likes and comments (it needs r_member_social: refused,
// Stats is Unsupported); reposts and views stay nil.
// LinkedIn has no quotes. A post that is gone has no counts.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	if c.org {
		return c.orgStats(ctx, ids)
	}
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		var out struct {
			LikesSummary struct {
				TotalLikes int64 `json:"totalLikes"`
			} `json:"likesSummary"`
			CommentsSummary struct {
				AggregatedTotalComments int64 `json:"aggregatedTotalComments"`
			} `json:"commentsSummary"`
		}
		_, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/rest/socialActions/"+enc(id), ""), out: &out, rest: true})
		if e, ok := errors.AsType[*networks.Error](err); ok && e.Status == http.StatusNotFound {
			continue
		} else if ok && e.Status == http.StatusForbidden {
			// Reading a member's social actions takes r_member_social,
			// which LinkedIn grants to select developers only.
			return nil, &networks.Error{Kind: networks.Unsupported, Account: c.account, Status: e.Status,
				Err: fmt.Errorf("%w (a member's likes and comments need the r_member_social permission, which LinkedIn grants to select developers only)", e.Err)}
		}
		if err != nil {
			return nil, err
		}
		counts[i] = state.Counts{Likes: state.Count(out.LikesSummary.TotalLikes), Replies: state.Count(out.CommentsSummary.AggregatedTotalComments)}
	}
	return counts, nil
}

func (c *Client) orgStats(ctx context.Context, ids []string) ([]state.Counts, error) {
	var shares, ugc []string
	for _, id := range ids {
		switch {
		case strings.HasPrefix(id, "urn:li:share:"):
			shares = append(shares, enc(id))
		case strings.HasPrefix(id, "urn:li:ugcPost:"):
			ugc = append(ugc, enc(id))
		default:
			return nil, c.permanent(fmt.Errorf("%q is not the URN of a LinkedIn post (urn:li:share or urn:li:ugcPost)", id))
		}
	}
	counts := make([]state.Counts, len(ids))
	if len(ids) == 0 {
		return counts, nil
	}
	q := "q=organizationalEntity&organizationalEntity=" + enc(c.author)
	if len(shares) > 0 {
		q += "&shares=List(" + strings.Join(shares, ",") + ")"
	}
	if len(ugc) > 0 {
		q += "&ugcPosts=List(" + strings.Join(ugc, ",") + ")"
	}
	var out struct {
		Elements []struct {
			Share   string `json:"share"`
			UGCPost string `json:"ugcPost"`
			Total   struct {
				LikeCount       int64 `json:"likeCount"`
				CommentCount    int64 `json:"commentCount"`
				ShareCount      int64 `json:"shareCount"`
				ImpressionCount int64 `json:"impressionCount"`
			} `json:"totalShareStatistics"`
		} `json:"elements"`
	}
	if _, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/rest/organizationalEntityShareStatistics", q), out: &out, rest: true}); err != nil {
		return nil, err
	}
	for _, e := range out.Elements {
		urn := e.Share
		if urn == "" {
			urn = e.UGCPost
		}
		for i, id := range ids {
			if id == urn {
				counts[i] = state.Counts{Likes: state.Count(e.Total.LikeCount), Replies: state.Count(e.Total.CommentCount),
					Reposts: state.Count(e.Total.ShareCount), Views: state.Count(e.Total.ImpressionCount)}
			}
		}
	}
	return counts, nil
}

// Followers returns how many members follow the organization
// (networkSizes, edgeType COMPANY_FOLLOWED_BY_MEMBER). A member's
// followers are not in the API Herald uses: Unsupported.
func (c *Client) Followers(ctx context.Context) (int64, error) {
	if !c.org {
		return 0, &networks.Error{Kind: networks.Unsupported, Account: c.account,
			Err: errors.New("LinkedIn gives the follower count of an organization only")}
	}
	var out struct {
		FirstDegreeSize *int64 `json:"firstDegreeSize"`
	}
	if _, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/rest/networkSizes/"+enc(c.author), "edgeType=COMPANY_FOLLOWED_BY_MEMBER"), out: &out, rest: true}); err != nil {
		return 0, err
	}
	if out.FirstDegreeSize == nil {
		return 0, &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("networkSizes: the answer has no firstDegreeSize")}
	}
	return *out.FirstDegreeSize, nil
}
