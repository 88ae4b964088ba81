package slack

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Verify implements networks.Verifier with two read-only calls:
// auth.test (whose bot the token is, in which workspace), then
// conversations.info of the charter's channel (is the bot a member?).
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	var who struct {
		Team string `json:"team"`
		User string `json:"user"`
	}
	if _, err := c.get(ctx, "auth.test", nil, &who); err != nil {
		return c.verdict(err, "auth.test")
	}
	var info struct {
		Channel struct {
			Name     string `json:"name"`
			IsMember bool   `json:"is_member"`
		} `json:"channel"`
	}
	if _, err := c.get(ctx, "conversations.info", url.Values{"channel": {c.channel}}, &info); err != nil {
		return c.verdict(err, "conversations.info")
	}
	if !info.Channel.IsMember {
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("the token of @%s (workspace %s) works, but the bot is not a member of #%s (%s): invite it there (/invite @%s)",
				who.User, who.Team, info.Channel.Name, c.channel, who.User)}
	}
	return networks.Verification{Verdict: networks.Verified,
		Message: fmt.Sprintf("Slack accepts the token of @%s (workspace %s), a member of #%s (auth.test, conversations.info); messages are found again by their metadata",
			who.User, who.Team, info.Channel.Name)}
}

func (c *Client) verdict(err error, method string) networks.Verification {
	reason := networks.Reason(err, c.account)
	if networks.KindOf(err) == networks.Permanent {
		return networks.Verification{Verdict: networks.Rejected, Message: "rejected: " + reason}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("could not ask Slack (%s), the token was not checked: %s", method, reason)}
}
