package bluesky

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
)

func TestLogin(t *testing.T) {
	pds := blueskytest.NewPDS(t)
	c := newClient(t, pds.URL(), "", CardOptions{})
	got, err := c.Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The fake's tokens are no JWTs: the expiry is unknown.
	if diff := cmp.Diff(Session{DID: blueskytest.DID, Handle: blueskytest.Handle}, got); diff != "" {
		t.Errorf("session (-want +got):\n%s", diff)
	}
	if n := len(pds.Calls("com.atproto.server.createSession")); n != 1 {
		t.Errorf("%d createSession calls, want 1", n)
	}

	t.Run("rejected", func(t *testing.T) {
		pds := blueskytest.NewPDS(t)
		a := &load.Account{Key: "bluesky", Network: "bluesky", Handle: blueskytest.Handle, PDS: pds.URL()}
		c, err := New(a, Options{Getenv: func(k string) (string, bool) { return "not-the-app-password", k == "HERALD_BLUESKY_PASSWORD" }})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Login(context.Background())
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "HTTP 401") {
			t.Fatalf("err = %v, want a permanent HTTP 401", err)
		}
		if strings.Contains(err.Error(), "not-the-app-password") {
			t.Errorf("the error says the password: %v", err)
		}
	})
}

func TestJWTExpiry(t *testing.T) {
	jwt := func(payload string) string {
		return "eyJhbGciOiJFUzI1NksifQ." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
	}
	for _, tc := range []struct {
		name, token string
		want        time.Time
	}{
		{"exp", jwt(`{"scope":"com.atproto.appPass","sub":"did:plc:x","exp":1796122800}`), time.Unix(1796122800, 0).UTC()},
		{"fractional exp", jwt(`{"exp":1796122800.5}`), time.Unix(1796122800, 5e8).UTC()},
		{"padded payload", "a." + base64.URLEncoding.EncodeToString([]byte(`{"exp":1796122800}`)) + ".b", time.Unix(1796122800, 0).UTC()},
		{"no exp", jwt(`{"sub":"did:plc:x"}`), time.Time{}},
		{"exp not a number", jwt(`{"exp":"soon"}`), time.Time{}},
		{"not base64", "a.b!c.d", time.Time{}},
		{"not a JWT", "access-jwt-1", time.Time{}},
		{"empty", "", time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := jwtExpiry(tc.token); !got.Equal(tc.want) {
				t.Errorf("jwtExpiry = %v, want %v", got, tc.want)
			}
		})
	}
}
