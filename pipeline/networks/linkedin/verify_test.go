package linkedin_test

import (
	"context"
	"testing"

	"github.com/herald-social/herald/pipeline/networks"
)

func TestVerify(t *testing.T) {
	tests := []struct {
		name, author, sub, token string
		verdict                  networks.Verdict
		says                     string
	}{
		{"organization", "", "", "", networks.Verified, "Maison Exemple"},
		{"member", "urn:li:person:5abc_dEfgH", "", "", networks.Verified, "urn:li:person:5abc_dEfgH"},
		{"member of another token", "urn:li:person:5abc_dEfgH", "Zz9", "", networks.Rejected, "urn:li:person:Zz9"},
		{"expired token", "", "", "AQV-expired", networks.Rejected, "60 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.author != "" {
				f.srv.Author, f.account.Author = tt.author, tt.author
			}
			f.srv.Sub = tt.sub
			token := f.srv.Token
			if tt.token != "" {
				token = tt.token
			}
			v := f.client(t, token).Verify(context.Background(), f.clk.Now())
			if v.Verdict != tt.verdict || !contains(v.Message, tt.says) {
				t.Errorf("Verify = %d %q, want %d saying %q", v.Verdict, v.Message, tt.verdict, tt.says)
			}
			if contains(v.Message, token) {
				t.Errorf("message %q holds the token", v.Message)
			}
			if len(f.srv.Posts()) != 0 {
				t.Error("Verify posted")
			}
		})
	}
}
