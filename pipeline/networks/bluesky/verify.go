package bluesky

import (
	"context"
	"fmt"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// Open makes the client of a Bluesky account for the registry
// (networks.Open). With env.Public it needs no app password: herald stats
// reads the public AppView.
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Getenv: networks.LookupEnv(env.Getenv), Retry: httpx.FromEnv(env), Log: env.Log, Public: env.Public})
	if err != nil {
		return nil, err
	}
	return c, nil
}

var _ networks.Verifier = (*Client)(nil)

// Verify implements networks.Verifier: it logs in
// (com.atproto.server.createSession), which posts nothing, and says how
// long the session lasts.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	pds := networks.Host(c.pds, load.DefaultPDS)
	s, err := c.Login(ctx)
	switch {
	case err == nil:
		msg := fmt.Sprintf("logged in as @%s on %s", s.Handle, pds)
		if s.AccessExpires.IsZero() {
			return networks.Verification{Verdict: networks.Verified, Message: msg + ": publish logs in once per run, nothing to do"}
		}
		left := s.AccessExpires.Sub(now)
		if left <= 0 {
			return networks.Verification{Verdict: networks.Unsure, Message: fmt.Sprintf("%s, but the session's access token expired at %s: is this machine's clock right?",
				msg, s.AccessExpires.Format(time.RFC3339))}
		}
		return networks.Verification{Verdict: networks.Verified,
			Message: fmt.Sprintf("%s: session lasts %s: publish logs in once per run, nothing to do", msg, lasting(left))}
	case networks.RejectedCredential(err):
		// The client's error already says which handle and variable.
		return networks.Verification{Verdict: networks.Rejected, Message: "rejected: " + networks.Reason(err, c.account)}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("could not reach %s, the app password was not checked: %s", pds, networks.Reason(err, c.account))}
}

// lasting says how long a session lasts, in whole hours (or minutes under
// an hour and a half).
func lasting(d time.Duration) string {
	if d < 90*time.Minute {
		m := int(d.Round(time.Minute) / time.Minute)
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%d hours", int(d.Round(time.Hour)/time.Hour))
}
