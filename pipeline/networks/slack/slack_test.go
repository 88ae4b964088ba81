package slack_test

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/slack"
	"github.com/herald-social/herald/pipeline/networks/slack/slacktest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

const post = `---
date: 2026-12-01T09:00:00+01:00
networks: [slack]
tags: [produit]
---
Le calendrier de l'Avent commence : **une case par jour** jusqu'à Noël.
`

const threadPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [slack]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte
---
Le calendrier de l'Avent commence : https://maison-exemple.fr/avent

---

Rendez-vous demain à 9 h.
`

type fixture struct {
	srv     *slacktest.Server
	clk     *fakeclock.Clock
	root    string
	account *load.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := fakeclock.New(nine.Add(2 * time.Minute))
	srv := slacktest.New(t)
	srv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{
		"posts/avent-1.md":   post,
		"posts/avent-fil.md": threadPost,
		"media/avent-1.png":  channeltest.PNG + "image data",
		"media/avent-2.png":  channeltest.PNG + "second image",
	})
	return &fixture{srv: srv, clk: clk, root: root,
		account: &load.Account{Key: "slack", Network: "slack", Channel: srv.Channel, API: srv.API()}}
}

// client is a new run's client of the fixture's account.
func (f *fixture) client(t *testing.T) *slack.Client {
	t.Helper()
	c, err := slack.New(f.account, slack.Options{
		Getenv: func(k string) (string, bool) {
			if k == "HERALD_SLACK_TOKEN" {
				return f.srv.Token, true
			}
			return "", false
		},
		HTTP: httpx.Options{Log: testLog{t}, Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 },
			HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// publication is the fixture's post as the engine makes it: one part.
func (f *fixture) publication(t *testing.T) networks.Publication {
	return channeltest.Publication(t, f.root, "posts/avent-1.md", f.account, f.clk.Now())
}

// thread is a publication of three parts, with an image on the first and
// on the last.
func (f *fixture) thread(t *testing.T) networks.Publication {
	p := f.publication(t)
	p.PostID, p.IdempotencyKey, p.Digest = "posts/avent-fil", "herald-key-thread-1", "sha256:abcd"
	p.Files = os.DirFS(f.root)
	p.Parts = []networks.Part{
		{Text: "Jour 1 : *la boîte*", Media: []networks.Medium{{Path: "media/avent-1.png", Alt: "Une boîte de l'Avent ouverte", MIME: "image/png"}}},
		{Text: "Une case par jour."},
		{Text: "Rendez-vous demain à 9 h.", Media: []networks.Medium{{Path: "media/avent-2.png", Alt: "Le sapin de l'atelier", MIME: "image/png"}}},
	}
	return p
}

func (f *fixture) noSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && strings.Contains(err.Error(), f.srv.Token) {
		t.Errorf("error %q holds the token", err)
	}
}

// herald is a message as the test expects Herald to have posted it.
type herald struct {
	Text, Thread string // Thread: "" outside a thread, "root" in the first message's
	Part         any    // the metadata's part; nil for a file share
	Files        []string
}

// posted returns the channel's messages as herald values, with the
// metadata checked against p.
func posted(t *testing.T, srv *slacktest.Server, p networks.Publication) []herald {
	t.Helper()
	msgs := srv.Messages()
	var out []herald
	for _, m := range msgs {
		h := herald{Text: m.Text}
		if m.ThreadTS != "" && m.ThreadTS != m.TS {
			h.Thread = "root"
			if m.ThreadTS != msgs[0].TS {
				h.Thread = m.ThreadTS
			}
		}
		if md := m.Metadata; md != nil {
			want := map[string]any{"idempotency_key": p.IdempotencyKey, "post": p.PostID, "digest": p.Digest, "part": md.EventPayload["part"]}
			if md.EventType != "herald_post" || !cmp.Equal(md.EventPayload, want) {
				t.Errorf("message %s: metadata %+v, want event_type herald_post and payload %v", m.TS, md, want)
			}
			h.Part = md.EventPayload["part"]
		}
		for _, id := range m.FileIDs {
			file, _ := srv.File(id)
			h.Files = append(h.Files, file.Filename+" ("+file.AltTxt+"): "+string(file.Data[len(channeltest.PNG):]))
		}
		out = append(out, h)
	}
	return out
}

func TestNew(t *testing.T) {
	a := &load.Account{Key: "annonces", Network: "slack", Channel: "C0123"}
	_, err := slack.New(a, slack.Options{Getenv: func(string) (string, bool) { return "", false }})
	if ne, ok := errors.AsType[*networks.Error](err); !ok || ne.Kind != networks.NotConfigured || ne.Env != "HERALD_ANNONCES_TOKEN" {
		t.Errorf("New without a token: %v, want not configured naming HERALD_ANNONCES_TOKEN", err)
	}
	set := func(string) (string, bool) { return "xoxb-1", true }
	for _, bad := range []*load.Account{
		{Key: "a", Network: "slack"},
		{Key: "a", Network: "slack", Channel: "#annonces"},
		{Key: "a", Network: "slack", Channel: "C0123", API: "http://slack.example/api"},
	} {
		if _, err := slack.New(bad, slack.Options{Getenv: set}); networks.KindOf(err) != networks.Permanent {
			t.Errorf("New(%+v) = %v, want a permanent error", bad, err)
		}
	}
}
