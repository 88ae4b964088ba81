package publish_test

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks/telegram/telegramtest"
	"github.com/herald-social/herald/pipeline/publish"
)

// TestConfirmTelegram is the whole story on Telegram's Bot API (the
// telegramtest server): a run stops after sending (or before), the next
// one reports the post unconfirmed and sends nothing, a person confirms
// what they saw in the channel, and the run after that sends only what did
// not go out.
func TestConfirmTelegram(t *testing.T) {
	tests := []struct {
		name      string
		step      string // where the first run stops
		published bool   // what the person saw
		sent      int    // messages in the channel at the end
	}{
		{name: "sent, confirmed published", step: "results", published: true, sent: 1},
		{name: "not sent, confirmed not published", step: "publish", published: false, sent: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := telegramtest.New(t)
			dir := newCalendar(t, map[string]string{
				"charter.yaml": `brand: Maison Test
timezone: Europe/Paris
locale: fr-FR
accounts:
  telegram: {network: telegram, chat: "@maison", api: ` + srv.URL + `}
editorial_line:
  produit: {description: Nos créations}
cadence:
  max_lateness: 6h
`,
				"posts/avent-1.md": "---\ndate: 2026-12-01 09:00\nnetworks: [telegram]\ntags: [produit]\n---\nJour 1 : la première case.\n",
			})
			opts := publish.Options{
				Dir: dir, NowText: now,
				Wall:   func() time.Time { return wall },
				Getenv: func(k string) string { return map[string]string{"HERALD_TELEGRAM_TOKEN": srv.Token}[k] },
			}
			runStopped(t, opts, tt.step, 1)
			sentFirst := len(srv.Messages())
			if want := map[bool]int{true: 1, false: 0}[tt.step == "results"]; sentFirst != want {
				t.Fatalf("the stopped run sent %d messages, want %d", sentFirst, want)
			}

			// Past the lease: Telegram cannot tell, nothing is sent, the
			// run fails and says what to run.
			opts.Wall = func() time.Time { return wall.Add(time.Hour) }
			rep := run(t, opts)
			if diff := cmp.Diff([]string{"unconfirmed posts/avent-1 on telegram"}, outcomes(rep)); diff != "" {
				t.Fatalf("the run after the stop (-want +got):\n%s", diff)
			}
			wantRemedy := "look in the channel, then run: herald publish --confirm posts/avent-1@telegram --published [--id ID...] if it went out, --not-published if not"
			if got := rep.Outcomes[0].Remedy(); !rep.Failed() || got != wantRemedy {
				t.Errorf("Failed() = %v, Remedy() = %q; want a failed run that says %q", rep.Failed(), got, wantRemedy)
			}
			if n := len(srv.Messages()); n != sentFirst {
				t.Fatalf("the run after the stop sent %d messages", n-sentFirst)
			}

			conf := publish.Confirmation{PostID: "posts/avent-1", Account: "telegram", Published: tt.published}
			if tt.published {
				// The message id the person reads in the channel.
				conf.IDs = []string{strconv.FormatInt(srv.Messages()[0].ID, 10)}
				conf.URLs = []string{"https://t.me/maison/" + conf.IDs[0]}
			}
			if _, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{conf}); err != nil {
				t.Fatalf("Confirm: %v", err)
			}

			rep = run(t, opts)
			msgs := srv.Messages()
			if len(msgs) != tt.sent {
				t.Fatalf("the channel has %d messages, want %d: %+v", len(msgs), tt.sent, msgs)
			}
			if msgs[0].Text != "Jour 1 : la première case." || msgs[0].Method != "sendMessage" {
				t.Errorf("the channel has %+v", msgs[0])
			}
			wantOutcomes := []string(nil)
			if !tt.published {
				wantOutcomes = []string{"published posts/avent-1 on telegram"}
			}
			if diff := cmp.Diff(wantOutcomes, outcomes(rep)); diff != "" || rep.Failed() {
				t.Errorf("the run after the confirmation (Failed() = %v) (-want +got):\n%s", rep.Failed(), diff)
			}
			a := accountState(t, readJSON(t, filepath.Join(dir, "state/posts/avent-1.json")), "telegram")
			if a["status"] != "published" || !cmp.Equal(a["ids"], []any{strconv.FormatInt(msgs[0].ID, 10)}) {
				t.Errorf("journal: %v, want published with the message's id %d", a, msgs[0].ID)
			}
			// Confirmed again: refused, it is published.
			if _, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{conf}); err == nil {
				t.Errorf("a second confirmation was not refused")
			}
		})
	}
}
