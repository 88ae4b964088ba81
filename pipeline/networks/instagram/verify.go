package instagram

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Verify implements networks.Verifier with one read-only call: the
// account's username (GET /{ig-user-id}?fields=username), which only a
// token with access to it reads.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	var out struct {
		Username string `json:"username"`
	}
	if err := c.get(ctx, c.user, url.Values{"fields": {"username"}}, &out); err != nil {
		reason := networks.Reason(err, c.account)
		if networks.KindOf(err) == networks.Permanent {
			return networks.Verification{Verdict: networks.Rejected, Message: "rejected: " + reason}
		}
		return networks.Verification{Verdict: networks.Unsure,
			Message: "could not ask the Graph API, the token was not checked: " + reason}
	}
	msg := fmt.Sprintf("the Graph API accepts the token for @%s (%s); posts are found again by their caption among the account's recent media", out.Username, c.user)
	if c.mediaURL == "" {
		return networks.Verification{Verdict: networks.Unsure,
			Message: msg + ", but the charter has no media_url: Instagram fetches media from a public URL, so set media_url to where the calendar's files are served"}
	}
	return networks.Verification{Verdict: networks.Verified, Message: msg}
}
