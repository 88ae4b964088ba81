package threads

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// refreshHelp says how to refresh a long-lived token: the Threads API's
// GET /refresh_access_token, which Herald never calls itself (a new token
// must be set in the environment, where Herald cannot write).
const refreshHelp = "refresh it with GET https://graph.threads.net/refresh_access_token?grant_type=th_refresh_token&access_token=<the token> " +
	"(a token at least 24 hours old and not expired; the new one lasts 60 days) and set the new token in %s"

// expiringSoon is how close to its expiry a token makes doctor warn.
const expiringSoon = 7 * 24 * time.Hour

// Verify implements networks.Verifier with read-only calls: GET
// /me?fields=id,username says whose token it is, which must be the
// charter's user; GET /debug_token (Threads API, Debug Access Token)
// says when it expires and what it may do. debug_token answers only
// when the token is a Threads tester's of its app (as a brand's own app
// in development mode has it): otherwise the message says a long-lived
// token lasts 60 days and how to refresh it. Verify never refreshes a
// token.
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
	who := fmt.Sprintf("Threads accepts the token of @%s (user %s; GET /me)", me.Username, me.ID)
	lookup := "; posts are found again by their text among the profile's recent threads"
	refresh := fmt.Sprintf(refreshHelp, c.tokenEnv)

	var debug struct {
		Data struct {
			IsValid   bool     `json:"is_valid"`
			ExpiresAt int64    `json:"expires_at"`
			Scopes    []string `json:"scopes"`
		} `json:"data"`
	}
	if err := c.get(ctx, "/debug_token", url.Values{"input_token": {c.token}}, &debug); err != nil {
		return networks.Verification{Verdict: networks.Verified,
			Message: fmt.Sprintf("%s; Threads did not say when it expires (GET /debug_token answers for a Threads tester of the app only: %s): a long-lived token lasts 60 days from when it was made or last refreshed: %s%s",
				who, networks.Reason(err, c.account), refresh, lookup)}
	}
	d := debug.Data
	if !d.IsValid {
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("Threads says the token in %s is no longer valid (GET /debug_token): make a new long-lived token and set it in %s", c.tokenEnv, c.tokenEnv)}
	}
	for _, scope := range []string{"threads_basic", "threads_content_publish"} {
		if !slices.Contains(d.Scopes, scope) {
			return networks.Verification{Verdict: networks.Rejected,
				Message: fmt.Sprintf("%s, but without the permission %s, which publishing needs: authorize the app again with it, and set the new token in %s", who, scope, c.tokenEnv)}
		}
	}
	verdict, expiry := networks.Verified, "Threads did not give the token's expiry"
	if d.ExpiresAt > 0 {
		at := time.Unix(d.ExpiresAt, 0).UTC()
		days := int(math.Ceil(at.Sub(now).Hours() / 24))
		switch left := at.Sub(now); {
		case left <= 0:
			return networks.Verification{Verdict: networks.Rejected,
				Message: fmt.Sprintf("the token in %s expired on %s (GET /debug_token): make a new long-lived token and set it in %s", c.tokenEnv, at.Format(time.DateOnly), c.tokenEnv)}
		case left <= expiringSoon:
			verdict = networks.Unsure
			expiry = fmt.Sprintf("it expires on %s, in %s: %s now", at.Format(time.DateOnly), plural(days, "day"), refresh)
		default:
			expiry = fmt.Sprintf("it expires on %s, in %s: before then, %s", at.Format(time.DateOnly), plural(days, "day"), refresh)
		}
	}
	if !slices.Contains(d.Scopes, "threads_manage_insights") {
		verdict = networks.Unsure
		expiry += "; it lacks threads_manage_insights, which herald stats needs"
	}
	return networks.Verification{Verdict: verdict, Message: who + "; " + strings.TrimSpace(expiry) + lookup}
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
