package xtest

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// twitterExample is the signed request of X's "Creating a signature"
// guide: its credentials, and the Authorization header it gives.
var twitterExample = credentials{consumerKey: "xvz1evFS4wEEPTGEFPHBog", consumerSecret: "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
	token: "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", tokenSecret: "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"}

func TestVerifySignature(t *testing.T) {
	body := "status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
	header := func(sig string) string {
		return `OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", ` +
			`oauth_signature="` + sig + `", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", ` +
			`oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"`
	}
	at := time.Unix(1318622958, 0)
	for _, tc := range []struct {
		name, sig, secret string
		ok                bool
	}{
		{"the guide's signature", "hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", twitterExample.tokenSecret, true},
		{"another signature", "aCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", twitterExample.tokenSecret, false},
		{"signed with another token secret", "hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", "another", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r.Header.Set("Authorization", header(tc.sig))
			c := twitterExample
			c.tokenSecret = tc.secret
			known, err := verify(r, []byte(body), c, map[string]bool{}, at)
			if !known || (err == nil) != tc.ok {
				t.Errorf("known %v, err %v; want ok %v", known, err, tc.ok)
			}
		})
	}
	t.Run("a nonce used twice", func(t *testing.T) {
		seen := map[string]bool{"kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg": true}
		r := httptest.NewRequest("POST", "https://api.twitter.com/1.1/statuses/update.json?include_entities=true", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Authorization", header("hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"))
		if _, err := verify(r, []byte(body), twitterExample, seen, at); err == nil || !strings.Contains(err.Error(), "nonce") {
			t.Errorf("err %v, want the nonce refused", err)
		}
	})
	t.Run("an unknown token", func(t *testing.T) {
		r := httptest.NewRequest("GET", "https://api.x.com/2/users/me", nil)
		r.Header.Set("Authorization", header("x"))
		c := twitterExample
		c.token = "other"
		if known, err := verify(r, nil, c, map[string]bool{}, at); known || err != nil {
			t.Errorf("known %v, err %v; want unknown, no error (X answers 401)", known, err)
		}
	})
	t.Run("a bearer token", func(t *testing.T) {
		r := httptest.NewRequest("GET", "https://api.x.com/2/users/me", nil)
		r.Header.Set("Authorization", "Bearer AAAA")
		if _, err := verify(r, nil, twitterExample, map[string]bool{}, at); err == nil {
			t.Error("a bearer token passed for OAuth 1.0a")
		}
	})
}
