package linkedin_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/fakeclock"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/linkedin"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
)

var nine = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // 09:00 in Paris

type testLog struct{ t *testing.T }

func (l testLog) Write(b []byte) (int, error) {
	l.t.Helper()
	l.t.Log(strings.TrimSuffix(string(b), "\n"))
	return len(b), nil
}

// text has every character the little text format reserves.
const text = "L'Avent commence (enfin) : #NoelMaison avec @atelier, *une case* par jour_ [1/24] {bientôt} <3 ~ | \\o/"

const post = "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [linkedin]\ntags: [produit]\n---\n" + text + "\n"

const imagePost = `---
date: 2026-12-01T09:00:00+01:00
networks: [linkedin]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte
---
Jour 1.
`

const imagesPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [linkedin]
tags: [produit]
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte
  - src: ../media/avent-2.png
    alt: Le sapin de l'atelier
---
Jours 1 et 2.
`

type fixture struct {
	srv     *linkedintest.Server
	clk     *fakeclock.Clock
	root    string
	account *load.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	clk := fakeclock.New(nine.Add(2 * time.Minute))
	srv := linkedintest.New(t)
	srv.Now = clk.Now
	root := channeltest.Calendar(t, map[string]string{
		"posts/avent-1.md":  post,
		"posts/image.md":    imagePost,
		"posts/images.md":   imagesPost,
		"media/avent-1.png": channeltest.PNG + "image data",
		"media/avent-2.png": channeltest.PNG + "second image",
	})
	return &fixture{srv: srv, clk: clk, root: root,
		account: &load.Account{Key: "linkedin", Network: "linkedin", Author: srv.Author, Version: srv.Version, API: srv.API()}}
}

// client is a new run's client of the fixture's account, with token.
func (f *fixture) client(t *testing.T, token string) *linkedin.Client {
	t.Helper()
	c, err := linkedin.New(f.account, linkedin.Options{
		Getenv: func(k string) (string, bool) {
			if k == "HERALD_LINKEDIN_TOKEN" {
				return token, true
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

func (f *fixture) publication(t *testing.T, rel string) networks.Publication {
	return channeltest.Publication(t, f.root, rel, f.account, f.clk.Now())
}

func TestNew(t *testing.T) {
	a := &load.Account{Key: "page", Network: "linkedin", Author: "urn:li:organization:1"}
	_, err := linkedin.New(a, linkedin.Options{Getenv: func(string) (string, bool) { return "", false }})
	if ne, ok := errors.AsType[*networks.Error](err); !ok || ne.Kind != networks.NotConfigured || ne.Env != "HERALD_PAGE_TOKEN" || ne.Help == "" {
		t.Errorf("New without a token: %v, want not configured naming HERALD_PAGE_TOKEN, with help", err)
	}
	set := func(string) (string, bool) { return "AQV-token", true }
	for _, bad := range []*load.Account{
		{Key: "a", Network: "linkedin"},
		{Key: "a", Network: "linkedin", Author: "maison-exemple"},
		{Key: "a", Network: "linkedin", Author: "urn:li:company:1"},
		{Key: "a", Network: "linkedin", Author: "urn:li:organization:1", Version: "2026-05"},
		{Key: "a", Network: "linkedin", Author: "urn:li:organization:1", Version: "202613"},
		{Key: "a", Network: "linkedin", Author: "urn:li:organization:1", API: "http://api.linkedin.example"},
	} {
		if _, err := linkedin.New(bad, linkedin.Options{Getenv: set}); networks.KindOf(err) != networks.Permanent {
			t.Errorf("New(%+v) = %v, want a permanent error", bad, err)
		}
	}
	for _, good := range []*load.Account{
		{Key: "a", Network: "linkedin", Author: "urn:li:organization:2414183"},
		{Key: "a", Network: "linkedin", Author: "urn:li:person:5abc_dEfgH", Version: "202611"},
	} {
		if _, err := linkedin.New(good, linkedin.Options{Getenv: set}); err != nil {
			t.Errorf("New(%+v) = %v", good, err)
		}
	}
}

// TestDefaultVersion: an account without version: sends DefaultVersion.
func TestDefaultVersion(t *testing.T) {
	f := newFixture(t)
	f.account.Version = ""
	f.srv.Version = linkedin.DefaultVersion
	if _, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/avent-1.md")); err != nil {
		t.Fatal(err)
	}
	if got := f.srv.Requests()[0].Header.Get("LinkedIn-Version"); got != linkedin.DefaultVersion {
		t.Errorf("LinkedIn-Version %q, want %q", got, linkedin.DefaultVersion)
	}
}
