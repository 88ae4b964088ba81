package discord_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/discord"
)

// TestNew: which mode the credentials choose, and what is said when they
// are missing or wrong, never the webhook's URL.
func TestNew(t *testing.T) {
	const hook = "https://discord.com/api/webhooks/1400000000000000001/wh-T0ken_s3cret-9fQ"
	tests := []struct {
		name    string
		channel string
		api     string
		env     map[string]string
		kind    networks.Kind // 0: a client
		says    string
	}{
		{name: "nothing set names the webhook", kind: networks.NotConfigured, says: "HERALD_DISCORD_WEBHOOK"},
		{name: "a channel without a token names the bot token", channel: "12", kind: networks.NotConfigured, says: "HERALD_DISCORD_BOT_TOKEN"},
		{name: "a bot token without a channel", env: map[string]string{"HERALD_DISCORD_BOT_TOKEN": "tok-123456"},
			kind: networks.Permanent, says: "channel is not set"},
		{name: "bot", channel: "12", env: map[string]string{"HERALD_DISCORD_BOT_TOKEN": "tok-123456"}},
		{name: "the api in clear", channel: "12", api: "http://discord.example/api/v10", env: map[string]string{"HERALD_DISCORD_BOT_TOKEN": "tok-123456"},
			kind: networks.Permanent, says: "use https"},
		{name: "webhook", env: map[string]string{"HERALD_DISCORD_WEBHOOK": hook}},
		{name: "webhook in clear", env: map[string]string{"HERALD_DISCORD_WEBHOOK": strings.Replace(hook, "https", "http", 1)},
			kind: networks.Permanent, says: "HERALD_DISCORD_WEBHOOK: not an https URL"},
		{name: "webhook without its token", env: map[string]string{"HERALD_DISCORD_WEBHOOK": "https://discord.com/api/webhooks/1400000000000000001"},
			kind: networks.Permanent, says: "does not end in /webhooks/<id>/<token>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &load.Account{Key: "discord", Network: "discord", Channel: tt.channel, API: tt.api}
			c, err := discord.New(a, discord.Options{Getenv: func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }})
			if tt.kind == 0 {
				if err != nil || c == nil {
					t.Fatalf("New: %v, want a client", err)
				}
				return
			}
			ne, ok := errors.AsType[*networks.Error](err)
			if !ok || ne.Kind != tt.kind || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("New: %v; want %s saying %q", err, tt.kind, tt.says)
			}
			if strings.Contains(err.Error(), "wh-T0ken") {
				t.Errorf("error %q holds the webhook's token", err)
			}
		})
	}
}
