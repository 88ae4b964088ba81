package discord_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/discord"
	"github.com/herald-social/herald/pipeline/networks/discord/discordtest"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// runEngine runs herald publish on a calendar whose discord account is
// the fake server's channel (or webhook), at 10:00 on the post's day,
// outside git, and returns the account's journal.
func runEngine(t *testing.T, f *fixture) (enginetest.Report, *state.Account) {
	t.Helper()
	account := "discord: {network: discord, channel: \"" + f.srv.ChannelID + "\", api: \"" + f.srv.API() + "\"}"
	if f.account.Channel == "" {
		account = "discord: {network: discord}"
	}
	if err := os.WriteFile(filepath.Join(f.root, "charter.yaml"), []byte(enginetest.Charter(account, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	engine := &enginetest.Engine{Publish: publishRun, Dir: f.root, Getenv: enginetest.Getenv(f.env),
		Wall: func() time.Time { return nine.Add(time.Hour) },
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return discord.New(a, discord.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.Options{
				Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 }, Log: &f.log,
				HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}})
		}}
	rep, _ := engine.Run(t, 0, "")
	secrets := []string{f.srv.BotToken, f.srv.WebhookToken, f.srv.WebhookURL()}
	got := enginetest.Journal(t, f.root, rep, "avent-1", "discord", secrets...)
	enginetest.NoSecret(t, "the log", f.log.String(), secrets...)
	return rep, got
}

func TestEngine(t *testing.T) {
	for _, webhook := range []bool{false, true} {
		t.Run(map[bool]string{false: "bot, its answer lost once", true: "webhook"}[webhook], func(t *testing.T) {
			f := newFixture(t, webhook)
			if !webhook {
				f.srv.Fail("POST /channels/:channel/messages", discordtest.Reply{Status: 502, Body: `{"message": "Bad Gateway", "code": 0}`, After: true})
			}
			rep, got := runEngine(t, f)
			if rep.Failed() || got.Status != state.Published {
				t.Fatalf("run failed (%v): %+v", rep.Failed(), got)
			}
			msgs := f.srv.Messages()
			if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
				t.Fatalf("%d messages in the channel, want one with an image", len(msgs))
			}
			if diff := cmp.Diff([]string{msgs[0].ID}, got.IDs); diff != "" {
				t.Errorf("journaled ids (-server +journal):\n%s", diff)
			}
			if diff := cmp.Diff([]string{f.link(msgs[0].ID)}, got.URLs); diff != "" {
				t.Errorf("journaled links (-want +journal):\n%s", diff)
			}
			if !webhook && msgs[0].Nonce != discord.Nonce(got.IdempotencyKey, 0) {
				t.Errorf("the message's nonce %q is not that of the journaled key %q", msgs[0].Nonce, got.IdempotencyKey)
			}
			before := len(f.srv.Requests())
			if rep, _ := runEngine(t, f); rep.Failed() || len(f.srv.Requests()) != before {
				t.Errorf("a second run sent %v", f.srv.Routes()[before:])
			}
		})
	}
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
