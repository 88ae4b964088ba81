package scaffold

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/schema"
)

// TestNetworkFieldsMatchTheSchema keeps networkFields, which init checks
// --account against, equal to what the charter schema allows and requires
// of each network's accounts.
func TestNetworkFieldsMatchTheSchema(t *testing.T) {
	var s struct {
		Defs struct {
			Account struct {
				AllOf []struct {
					If struct {
						Properties struct {
							Network struct {
								Const string   `json:"const"`
								Enum  []string `json:"enum"`
							} `json:"network"`
						} `json:"properties"`
					} `json:"if"`
					Then struct {
						Required   []string                   `json:"required"`
						Properties map[string]json.RawMessage `json:"properties"`
					} `json:"then"`
				} `json:"allOf"`
			} `json:"account"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(schema.Charter, &s); err != nil {
		t.Fatal(err)
	}
	fields, required := map[string][]string{}, map[string][]string{}
	for _, c := range s.Defs.Account.AllOf {
		networks := c.If.Properties.Network.Enum
		if n := c.If.Properties.Network.Const; n != "" {
			networks = []string{n}
		}
		for _, n := range networks {
			for name := range c.Then.Properties {
				fields[n] = append(fields[n], name)
			}
			required[n] = append(required[n], c.Then.Required...)
		}
	}
	for _, network := range netspec.Names() {
		var gotFields, gotRequired []string
		for _, f := range networkFields[network] {
			gotFields = append(gotFields, f.name)
			if f.required && channelDefaults[network].Name != f.name {
				gotRequired = append(gotRequired, f.name)
			}
		}
		slices.Sort(gotFields)
		slices.Sort(fields[network])
		if diff := cmp.Diff(fields[network], gotFields); diff != "" {
			t.Errorf("%s: networkFields' fields are not the schema's (-schema +networkFields):\n%s", network, diff)
		}
		// init may require more than the schema (what the client needs),
		// never less.
		for _, r := range required[network] {
			if !slices.Contains(gotRequired, r) && channelDefaults[network].Name != r {
				t.Errorf("%s: the schema requires %s, networkFields does not", network, r)
			}
		}
	}
}

// TestEveryNetworkHasCredentials keeps credentials in step with netspec:
// every network but the feed and the outbox reads a secret.
func TestEveryNetworkHasCredentials(t *testing.T) {
	for _, network := range netspec.Names() {
		a := Account{Key: "k", Network: network}
		if got := len(credentials[network]); got == 0 && !a.isChannel() {
			t.Errorf("%s has no credentials: the README and workflows would name no secret for it", network)
		}
		if _, ok := networkFields[network]; !ok {
			t.Errorf("%s has no networkFields: init would refuse its every field", network)
		}
	}
}

func TestSecrets(t *testing.T) {
	got := Secrets(nil, []Account{
		{Key: "x", Network: "x"},
		{Key: "dc", Network: "discord"},
		{Key: "hook", Network: "webhook", Fields: []Field{{"url", "https://hooks.example.com/h"}}},
		{Key: "secret-hook", Network: "webhook"},
		{Key: "li", Network: "linkedin"},
		{Key: "blog", Network: "feed"},
	})
	type row struct {
		Name, Or string
		Optional bool
	}
	var rows []row
	for _, s := range got {
		rows = append(rows, row{s.Name, s.Or, s.Optional})
	}
	want := []row{
		{"HERALD_DC_WEBHOOK", "HERALD_DC_BOT_TOKEN", false},
		{"HERALD_DC_BOT_TOKEN", "HERALD_DC_WEBHOOK", false},
		{"HERALD_HOOK_SECRET", "", false},
		{"HERALD_HOOK_URL", "", true},
		{"HERALD_LI_TOKEN", "", false},
		{"HERALD_LI_TOKEN_EXPIRES", "", true},
		{"HERALD_SECRET_HOOK_SECRET", "", false},
		{"HERALD_SECRET_HOOK_URL", "", false}, // no url: in the charter
		{"HERALD_X_API_KEY", "", false},
		{"HERALD_X_API_SECRET", "", false},
		{"HERALD_X_ACCESS_TOKEN", "", false},
		{"HERALD_X_ACCESS_SECRET", "", false},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("Secrets (-want +got):\n%s", diff)
	}
}

// TestReadmeSecrets checks that the README init writes names each secret
// of each account, Discord's alternative, the webhook secret's form, and
// how a person confirms a Telegram or Discord webhook post a run left
// unsure.
func TestReadmeSecrets(t *testing.T) {
	var accounts []Account
	for _, s := range []string{"dc=discord", "tg=telegram,chat=@maison", "hook=webhook,url=https://hooks.example.com/h", "x=x", "sl=slack,channel=C0123ABCDEF"} {
		a, err := ParseAccount(s)
		if err != nil {
			t.Fatal(err)
		}
		accounts = append(accounts, a)
	}
	d := newCalendarData(i18n.English(), "Maison", "Europe/Paris", "en-US", accounts, now)
	readme, err := render("templates/calendar/README.en.md.tmpl", d, d.funcs())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| `HERALD_DC_WEBHOOK` | dc (discord) | either this or `HERALD_DC_BOT_TOKEN`: ",
		"| `HERALD_DC_BOT_TOKEN` | dc (discord) | either this or `HERALD_DC_WEBHOOK`: ",
		"| `HERALD_HOOK_SECRET` | hook (webhook) | the receiver's Standard Webhooks signing secret: whsec_ followed by the base64 key |",
		"| `HERALD_HOOK_URL` | hook (webhook) | ",
		"| `HERALD_X_ACCESS_SECRET` | x (x) | ",
		"| `HERALD_SL_TOKEN` | sl (slack) | the Bot User OAuth Token (xoxb-...)",
		"| `HERALD_TG_TOKEN` | tg (telegram) | the bot's token",
		"    herald publish --confirm POST@tg --published      # it is there\n",
		"    herald publish --confirm POST@dc --not-published  # it is not: the next run sends it again\n",
		"with a bot token in `HERALD_DC_BOT_TOKEN`",
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md lacks %q", want)
		}
	}
	if strings.Contains(string(readme), "POST@sl") || strings.Contains(string(readme), "POST@x") {
		t.Error("README.md asks to confirm posts of a network that finds them again")
	}
}

// TestCharterMediaURL checks that the charter of a calendar with an
// Instagram or Threads account says how to set media_url, and others not.
func TestCharterMediaURL(t *testing.T) {
	for accounts, want := range map[string]bool{"ig=instagram,user=1": true, "th=threads,user=1": true, "x=x": false} {
		a, err := ParseAccount(accounts)
		if err != nil {
			t.Fatal(err)
		}
		d := newCalendarData(i18n.English(), "Maison", "UTC", "en-US", []Account{a}, now)
		charter, err := render("templates/calendar/charter.yaml.tmpl", d, d.funcs())
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(string(charter), "\n# media_url: https://"); got != want {
			t.Errorf("%s: the charter shows media_url: %v, want %v", accounts, got, want)
		}
	}
}
