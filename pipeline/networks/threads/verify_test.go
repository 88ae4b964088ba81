package threads_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
		{"accepted", func(s *threadstest.Server) { s.TokenExpires = nine.Add(45 * 24 * time.Hour) }, networks.Verified,
			[]string{"@maison.exemple", "expires on 2027-01-15, in 45 days", "refresh_access_token?grant_type=th_refresh_token", "HERALD_MAISON_TOKEN"}},
		{"expiring soon", func(s *threadstest.Server) { s.TokenExpires = nine.Add(3*24*time.Hour - time.Hour) }, networks.Unsure,
			[]string{"expires on 2026-12-04, in 3 days", "refresh_access_token", "now"}},
		{"expired by debug_token", func(s *threadstest.Server) { s.TokenExpires = nine.Add(-time.Hour) }, networks.Rejected,
			[]string{"expired on 2026-12-01", "make a new long-lived token"}},
		{"not a tester", func(s *threadstest.Server) { s.NotTester = true }, networks.Verified,
			[]string{"did not say when it expires", "Threads tester", "60 days", "refresh_access_token"}},
		{"without publishing", func(s *threadstest.Server) { s.Scopes = []string{"threads_basic", "threads_manage_insights"} }, networks.Rejected,
			[]string{"without the permission threads_content_publish"}},
		{"without insights", func(s *threadstest.Server) { s.Scopes = []string{"threads_basic", "threads_content_publish"} }, networks.Unsure,
			[]string{"lacks threads_manage_insights"}},
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
				me := r.Endpoint == "me" && r.Params.Get("fields") == "id,username"
				debug := r.Endpoint == "debug_token" && r.Params.Get("input_token") == f.srv.Token
				if !me && !debug {
					t.Errorf("request %+v, want GET /me?fields=id,username or GET /debug_token?input_token=", r)
				}
			}
		})
	}
}
