package mastodon

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// Open makes the client of a Mastodon account for the registry
// (networks.Open).
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.FromEnv(env)})
	if err != nil {
		return nil, err
	}
	return c, nil
}

var _ networks.Verifier = (*Client)(nil)

// Verify implements networks.Verifier: GET
// /api/v1/accounts/verify_credentials, which needs the read:accounts
// scope and posts nothing.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	server := networks.Host(c.base.String(), "")
	acct, err := c.VerifyCredentials(ctx)
	switch {
	case err == nil:
		if !strings.Contains(acct, "@") {
			acct += "@" + server
		}
		return networks.Verification{Verdict: networks.Verified,
			Message: fmt.Sprintf("%s accepts the token of @%s (GET /api/v1/accounts/verify_credentials)", server, acct)}
	case networks.RejectedCredential(err):
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("rejected: %s: make a new access token on %s (Preferences > Development) and set it in %s",
				networks.Reason(err, c.account), server, c.tokenEnv)}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("could not reach %s, the token was not checked: %s", server, networks.Reason(err, c.account))}
}
