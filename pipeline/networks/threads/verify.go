package threads

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Verify implements networks.Verifier with one read-only call, GET
// /me?fields=id,username: whose token it is, and whether it is the
// charter's user. The API tells a token's expiry only to the app's own
// credentials (debug_token), which Herald does not hold: the message
// says how long a long-lived token lasts and how to refresh it.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	var me struct {
		ID       string `json:"id"`
		Username string `json:"username"`
	}
	if err := c.get(ctx, "/me", url.Values{"fields": {"id,username"}}, &me); err != nil {
		reason := networks.Reason(err, c.account)
		if networks.KindOf(err) == networks.Permanent {
			return networks.Verification{Verdict: networks.Rejected, Message: "rejected: " + reason}
		}
		return networks.Verification{Verdict: networks.Unsure,
			Message: fmt.Sprintf("could not ask Threads (GET /me), the token was not checked: %s", reason)}
	}
	if me.ID != c.user {
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("the token in %s is @%s's (Threads user id %s), not the charter's user %s: set user: %s, or the token of user %s",
				c.tokenEnv, me.Username, me.ID, c.user, me.ID, c.user)}
	}
	return networks.Verification{Verdict: networks.Verified,
		Message: fmt.Sprintf("Threads accepts the token of @%s (user %s; GET /me); a long-lived token lasts 60 days from when it was made or last refreshed: refresh it before then with GET https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token and set the new one in %s; posts are found again by their text among the profile's recent threads",
			me.Username, me.ID, c.tokenEnv)}
}
