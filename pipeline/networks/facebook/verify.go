package facebook

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Verify implements networks.Verifier with one read-only call, GET
// /me?fields=id,name: with a Page access token, /me is the Page, which
// must be the charter's.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	var me struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	err := c.get(ctx, "/me", url.Values{"fields": {"id,name"}}, &me)
	switch {
	case err == nil && me.ID == c.page:
		return networks.Verification{Verdict: networks.Verified,
			Message: fmt.Sprintf("Facebook accepts the Page token of %s (Page %s, GET /me); posts are found again by their text among the Page's recent posts, videos among its videos; views in herald stats need read_insights", me.Name, me.ID)}
	case err == nil:
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("the token works but is that of %s (%s), not a Page token of Page %s: make a Page access token of Page %s (GET /me/accounts with a Page admin's user token) and set it in %s",
				me.Name, me.ID, c.page, c.page, c.tokenEnv)}
	case networks.KindOf(err) == networks.Permanent:
		return networks.Verification{Verdict: networks.Rejected, Message: "rejected: " + networks.Reason(err, c.account)}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: "could not ask Facebook (GET /me), the token was not checked: " + networks.Reason(err, c.account)}
}
