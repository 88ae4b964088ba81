package bluesky

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// Session describes the session a login opened: whose it is and how long
// its access token lasts. It holds no token.
type Session struct {
	DID, Handle string
	// AccessExpires is when the access token expires, from its exp claim;
	// zero when the token does not say.
	AccessExpires time.Time
}

// Login logs in with com.atproto.server.createSession, as a run does before
// its first call, and describes the session. herald doctor calls it to
// check the app password; the session is the client's afterwards.
func (c *Client) Login(ctx context.Context) (Session, error) {
	s, err := c.session(ctx)
	if err != nil {
		return Session{}, err
	}
	return Session{DID: s.did, Handle: s.handle, AccessExpires: jwtExpiry(s.access)}, nil
}

// jwtExpiry reads the exp claim of a JWT's payload without checking its
// signature: the PDS that issued the token is the one that checks it;
// herald only says how long it lasts. Written by hand because no module
// herald depends on parses a JWT, and this needs three of its lines. Zero
// when the token is no JWT or has no exp.
func jwtExpiry(token string) time.Time {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}
	}
	var claims struct {
		Exp *float64 `json:"exp"` // NumericDate: seconds, maybe fractional (RFC 7519 §2)
	}
	if json.Unmarshal(payload, &claims) != nil || claims.Exp == nil || *claims.Exp <= 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(*claims.Exp*float64(time.Second))).UTC()
}
