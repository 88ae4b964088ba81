package discord_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/discord/discordtest"
	"github.com/herald-social/herald/pipeline/state"
)

func TestVerify(t *testing.T) {
	tests := []struct {
		name    string
		webhook bool
		break_  func(*discordtest.Server)
		verdict networks.Verdict
		says    string
		routes  []string
	}{
		{name: "bot", verdict: networks.Verified, says: "accepts the token of bot herald, which sees channel #annonces",
			routes: []string{"GET /api/v10/users/@me", "GET /api/v10/channels/1200000000000000001"}},
		{name: "bot token refused", break_: func(s *discordtest.Server) { s.BotToken = "another-token" },
			verdict: networks.Rejected, says: "Reset Token) and set it in HERALD_DISCORD_BOT_TOKEN",
			routes: []string{"GET /api/v10/users/@me"}},
		{name: "channel the bot cannot see", break_: func(s *discordtest.Server) {
			s.Fail("GET /channels/:channel", discordtest.Reply{Status: 403, Body: `{"message": "Missing Access", "code": 50001}`})
		}, verdict: networks.Rejected, says: "the bot herald cannot see channel 1200000000000000001: rejected: HTTP 403",
			routes: []string{"GET /api/v10/users/@me", "GET /api/v10/channels/1200000000000000001"}},
		{name: "webhook", webhook: true, verdict: networks.Verified, says: `accepts the webhook "Maison"`,
			routes: []string{"GET /api/webhooks/1400000000000000001/wh-T0ken_s3cret-9fQ"}},
		{name: "webhook deleted", webhook: true, break_: func(s *discordtest.Server) { s.WebhookToken = "another-token" },
			verdict: networks.Rejected, says: "Invalid Webhook Token: copy the webhook's URL again",
			routes: []string{"GET /api/webhooks/1400000000000000001/wh-T0ken_s3cret-9fQ"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.webhook)
			c := f.client(t)
			if tt.break_ != nil {
				tt.break_(f.srv)
			}
			v := c.Verify(context.Background(), f.clk.Now())
			if v.Verdict != tt.verdict || !strings.Contains(v.Message, tt.says) {
				t.Errorf("Verify = %d %q; want %d saying %q", v.Verdict, v.Message, tt.verdict, tt.says)
			}
			if tt.webhook && !strings.Contains(v.Message, "cannot read its channel") && v.Verdict == networks.Verified {
				t.Errorf("Verify %q does not say a webhook's publications cannot be looked up", v.Message)
			}
			if tt.webhook && v.Verdict == networks.Verified && !strings.Contains(v.Message, "herald publish --confirm POST@ACCOUNT --published") {
				t.Errorf("Verify %q does not name the command that confirms an interrupted publication", v.Message)
			}
			f.noSecret(t, "Verify", v.Message)
			if diff := cmp.Diff(tt.routes, f.srv.Routes()); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStats(t *testing.T) {
	f := newFixture(t, false)
	a := f.srv.AddMessage(discordtest.Message{Content: "Premier jour."})
	b := f.srv.AddMessage(discordtest.Message{Content: "Deuxième jour."})
	f.srv.React(a, 12, 3, 1)
	counts, err := f.client(t).Stats(context.Background(), []string{a, b, "1599999999999999999"})
	if err != nil {
		t.Fatal(err)
	}
	want := []state.Counts{{Likes: state.Count(16)}, {Likes: state.Count(0)}, {}}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}
