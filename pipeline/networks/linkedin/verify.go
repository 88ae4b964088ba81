package linkedin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Verify implements networks.Verifier with one read-only call: the
// organization (GET /rest/organizations/{id}), which only its
// administrators' tokens may read; or, for a member, whose token it is
// (GET /v2/userinfo, OpenID Connect), which must be the author.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	id := c.author[strings.LastIndex(c.author, ":")+1:]
	lookup := " Herald finds a post again among the author's recent posts, by its text."
	if c.org {
		var org struct {
			LocalizedName string `json:"localizedName"`
			VanityName    string `json:"vanityName"`
		}
		if _, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/rest/organizations/"+id, ""), out: &org, rest: true}); err != nil {
			return c.verdict(err, "GET /rest/organizations")
		}
		return networks.Verification{Verdict: networks.Verified,
			Message: fmt.Sprintf("LinkedIn accepts the token for the page %s (%s, LinkedIn-Version %s); it lasts 60 days.%s", org.LocalizedName, c.author, c.version, lookup)}
	}
	var who struct {
		Sub  string `json:"sub"`
		Name string `json:"name"`
	}
	if _, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/v2/userinfo", ""), out: &who}); err != nil {
		return c.verdict(err, "GET /v2/userinfo")
	}
	if who.Sub != id {
		return networks.Verification{Verdict: networks.Rejected,
			Message: fmt.Sprintf("the token is %s's (urn:li:person:%s), not the author %s's: set author: to urn:li:person:%s, or set a token of the author in %s", who.Name, who.Sub, c.author, who.Sub, c.tokenEnv)}
	}
	return networks.Verification{Verdict: networks.Verified,
		Message: fmt.Sprintf("LinkedIn accepts the token of %s (%s, LinkedIn-Version %s); it lasts 60 days. Herald finds a post again after a crash by reading the member's posts, which takes r_member_social (granted by LinkedIn to select developers): without it, an interrupted publication waits for a person.", who.Name, c.author, c.version)}
}

func (c *Client) verdict(err error, what string) networks.Verification {
	reason := networks.Reason(err, c.account)
	if networks.KindOf(err) == networks.Permanent {
		return networks.Verification{Verdict: networks.Rejected, Message: "rejected: " + reason}
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("could not ask LinkedIn (%s), the token was not checked: %s", what, reason)}
}
