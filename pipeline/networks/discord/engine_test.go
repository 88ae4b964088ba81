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
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// runEngine runs herald publish on a calendar whose discord account is
// the fake server's channel (or webhook), at 10:00 on the post's day,
// outside git, and returns the account's journal.
func runEngine(t *testing.T, f *fixture) (*publish.Report, *state.Account) {
	t.Helper()
	account := "{network: discord, channel: \"" + f.srv.ChannelID + "\", api: \"" + f.srv.API() + "\"}"
	if f.account.Channel == "" {
		account = "{network: discord}"
	}
	charter := "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\naccounts:\n  discord: " + account + "\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n"
	if err := os.WriteFile(filepath.Join(f.root, "charter.yaml"), []byte(charter), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := publish.Run(context.Background(), publish.Options{
		Dir: f.root, NowText: "2026-12-01 10:00", Getenv: func(k string) string { return f.env[k] },
		Wall: func() time.Time { return nine.Add(time.Hour) },
		Publishers: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return discord.New(a, discord.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.Options{
				Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 }, Log: &f.log,
				HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(f.root, "state/posts/avent-1.json"))
	if err != nil {
		for _, o := range rep.Outcomes {
			t.Logf("%+v", o)
		}
		for _, p := range rep.Plans {
			t.Logf("%+v", p)
		}
		t.Fatal(err)
	}
	f.noSecret(t, "the journal", string(data))
	f.noSecret(t, "the log", f.log.String())
	file, err := state.Decode("state/posts/avent-1.json", data)
	if err != nil {
		t.Fatal(err)
	}
	return rep, file.Accounts["discord"]
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
