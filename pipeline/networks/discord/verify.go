package discord

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Verify implements networks.Verifier with read-only calls. With a bot:
// GET /users/@me (the token), then GET /channels/{id} (the bot sees the
// channel). With a webhook: GET of the webhook's URL, which answers with
// the webhook; it also says that a webhook's publications cannot be
// looked up after an interrupted run. No message says the token or the
// webhook's URL.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	host := networks.Host(c.hostURL(), "")
	if c.webhook != nil {
		name, err := c.getWebhook(ctx, &channel{})
		if err == nil {
			return networks.Verification{Verdict: networks.Verified,
				Message: fmt.Sprintf("%s accepts the webhook %q (GET of the webhook); a webhook cannot read its channel, so a publication interrupted mid-way is left in progress until a person checks the channel and confirms it with herald publish --confirm POST@ACCOUNT --published (or --not-published); a bot token and the account's channel let Herald find it itself", host, name)}
		}
		return c.failed(err, host, "copy the webhook's URL again (Channel settings > Integrations > Webhooks) and set it in "+c.envName)
	}
	var u user
	if err := c.getJSON(ctx, "/users/@me", nil, &u); err != nil {
		return c.failed(err, host, "reset the bot's token in the Discord Developer Portal (Applications > Bot > Reset Token) and set it in "+c.envName)
	}
	var ch channel
	if err := c.getJSON(ctx, "/channels/"+url.PathEscape(c.channel), nil, &ch); err != nil {
		v := c.failed(err, host, "invite the bot to the channel's server and give it View Channel, Send Messages, Read Message History and Attach Files in channel "+c.channel)
		if v.Verdict == networks.Rejected {
			v.Message = fmt.Sprintf("the bot %s cannot see channel %s: %s", u.Username, c.channel, v.Message)
		}
		return v
	}
	return networks.Verification{Verdict: networks.Verified,
		Message: fmt.Sprintf("%s accepts the token of bot %s, which sees channel #%s (GET /users/@me, GET /channels/%s)", host, u.Username, ch.Name, c.channel)}
}

// failed is the Verification of a failed call: Rejected when Discord
// refuses the credential (401, 403), with what to do; Unsure otherwise.
func (c *Client) failed(err error, host, todo string) networks.Verification {
	reason := scrub(networks.Reason(err, c.account), c.secrets)
	if networks.RejectedCredential(err) {
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("rejected: %s: %s", reason, todo)}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("could not reach %s, the credential was not checked: %s", host, reason)}
}

func (c *Client) hostURL() string {
	if c.webhook != nil {
		return c.webhook.Scheme + "://" + c.webhook.Host
	}
	return c.base.String()
}
