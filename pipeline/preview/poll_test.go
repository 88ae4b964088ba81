package preview

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
)

// A poll shows as each network takes it: Discord's duration in whole
// hours, Telegram's without open_period past 600 s, X's single choice.
func TestPollByNetwork(t *testing.T) {
	tests := []struct {
		name, network, title, expires string
		multiple                      bool
		line                          string
		json                          string
	}{
		{name: "mastodon as written", network: "mastodon", expires: "90m", multiple: true,
			line: "poll: Oui / Non, 90m, multiple choice, counts hidden until the end",
			json: `{"options":["Oui","Non"],"expires_in":"90m","duration":5400,"multiple":true,"hide_totals":true}`},
		{name: "discord rounds up to hours, asks the title", network: "discord", title: "Oui ou non ?", expires: "90m", multiple: true,
			line: "poll: Oui / Non, 2h (90m as discord takes it), multiple choice; question: Oui ou non ?",
			json: `{"question":"Oui ou non ?","options":["Oui","Non"],"expires_in":"90m","duration":7200,"multiple":true,"hide_totals":false}`},
		{name: "discord without a title asks the text", network: "discord", expires: "1d",
			line: "poll: Oui / Non, 1d; its question is the text above",
			json: `{"question":"Votez : **oui** ou non ?","options":["Oui","Non"],"expires_in":"1d","duration":86400,"multiple":false,"hide_totals":false}`},
		{name: "telegram past 600 s stays open", network: "telegram", expires: "1d",
			line: "poll: Oui / Non, open until closed (telegram closes a poll by itself within 5s to 10m, not 1d); its question is the text above",
			json: `{"question":"Votez : oui ou non ?","options":["Oui","Non"],"expires_in":"1d","duration":null,"multiple":false,"hide_totals":false}`},
		{name: "telegram within open_period", network: "telegram", expires: "5m",
			line: "poll: Oui / Non, 5m; its question is the text above",
			json: `{"question":"Votez : oui ou non ?","options":["Oui","Non"],"expires_in":"5m","duration":300,"multiple":false,"hide_totals":false}`},
		{name: "x has single choice, in minutes", network: "x", expires: "90s", multiple: true,
			line: "poll: Oui / Non, 2m (90s as x takes it), single choice (x has no multiple choice)",
			json: `{"options":["Oui","Non"],"expires_in":"90s","duration":120,"multiple":false,"hide_totals":false}`},
		{name: "bluesky has none", network: "bluesky", expires: "1d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [" + tt.network + "]\ntags: [communaute]\n"
			if tt.title != "" {
				src += "title: " + tt.title + "\n"
			}
			src += "poll: {options: [Oui, Non], expires_in: " + tt.expires + ", hide_totals: true"
			if tt.multiple {
				src += ", multiple: true"
			}
			src += "}\n---\nVotez : **oui** ou non ?\n"
			post, err := load.ParsePost("posts/p.md", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			a := &load.Account{Key: tt.network, Network: tt.network}
			p := pollOf(post, a, render.Render(post, a))
			if tt.line == "" {
				if p != nil {
					t.Fatalf("pollOf = %+v, want nil", p)
				}
				return
			}
			if diff := cmp.Diff(tt.line, p.line(i18n.English(), tt.network)); diff != "" {
				t.Errorf("line (-want +got):\n%s", diff)
			}
			var got, want any
			b := appendPollJSON(nil, p)
			if err := json.Unmarshal(append(append([]byte("{"), b[1:]...), '}'), &got); err != nil {
				t.Fatalf("%s: %v", b, err)
			}
			if err := json.Unmarshal([]byte(`{"poll":`+tt.json+`}`), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("JSON (-want +got):\n%s", diff)
			}
		})
	}
}
