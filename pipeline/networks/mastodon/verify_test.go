package mastodon_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/networks"
)

func TestVerifyCredentials(t *testing.T) {
	f := newFixture(t)
	acct, err := f.client(t).VerifyCredentials(context.Background())
	if err != nil || acct != "maison" {
		t.Fatalf("VerifyCredentials = %q, %v; want maison", acct, err)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/api/v1/accounts/verify_credentials" ||
		reqs[0].Header.Get("Authorization") != "Bearer "+f.srv.Token {
		t.Errorf("requests %+v, want one GET /api/v1/accounts/verify_credentials with the token", reqs)
	}

	t.Run("a token the server refuses", func(t *testing.T) {
		f := newFixture(t)
		c := f.client(t)
		f.srv.Token = "another-token"
		_, err := c.VerifyCredentials(context.Background())
		var ne *networks.Error
		if !errors.As(err, &ne) || ne.Status != 401 || ne.Kind != networks.Permanent {
			t.Fatalf("VerifyCredentials: %v, want a permanent HTTP 401", err)
		}
		f.noSecret(t, err)
		if strings.Contains(err.Error(), "test-token") {
			t.Errorf("error %q holds the token", err)
		}
	})
}
