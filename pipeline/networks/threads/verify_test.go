package threads_test

import (
	"context"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/threads/threadstest"
)

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(*threadstest.Server)
		verdict networks.Verdict
		says    []string
	}{
		{"accepted", func(*threadstest.Server) {}, networks.Verified, []string{"@maison.exemple", "60 days", "refresh_access_token"}},
		{"another user", func(s *threadstest.Server) { s.User = "17841400000000002" }, networks.Rejected, []string{"17841400000000002", "not the charter's user"}},
		{"expired", func(s *threadstest.Server) {
			s.Queue("me", threadstest.Reply{Status: 400, Body: `{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463}}`})
		}, networks.Rejected, []string{"rejected", "expired", "HERALD_MAISON_TOKEN"}},
		{"down", func(s *threadstest.Server) {
			for range 5 {
				s.Queue("me", threadstest.Reply{Status: 503, Body: `{"error":{"message":"Service temporarily unavailable","code":2,"is_transient":true}}`})
			}
		}, networks.Unsure, []string{"could not ask Threads"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			c := f.client(t)
			tt.setup(f.srv)
			v := c.Verify(context.Background(), nine)
			if v.Verdict != tt.verdict {
				t.Errorf("verdict %v, want %v: %s", v.Verdict, tt.verdict, v.Message)
			}
			for _, s := range tt.says {
				if !strings.Contains(v.Message, s) {
					t.Errorf("%q does not say %q", v.Message, s)
				}
			}
			if strings.Contains(v.Message, f.srv.Token) {
				t.Errorf("the message holds the token")
			}
			for _, r := range f.srv.Requests() {
				if r.Endpoint != "me" || r.Params.Get("fields") != "id,username" {
					t.Errorf("request %+v, want GET /me?fields=id,username", r)
				}
			}
		})
	}
}
