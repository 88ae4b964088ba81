package instagram_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/instagram"
	"github.com/herald-social/herald/pipeline/networks/instagram/instagramtest"
	"github.com/herald-social/herald/pipeline/state"
)

// nine is the posts' date.
var nine = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const mediaBase = "https://cdn.example.com/maison/"

type fixture struct {
	srv     *instagramtest.Server
	account *load.Account
	token   string
	sleeps  []time.Duration
}

func newFixture(t *testing.T) *fixture {
	srv := instagramtest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Minute) }
	return &fixture{srv: srv, token: srv.Token,
		account: &load.Account{Key: "insta", Network: "instagram", User: srv.User, API: srv.API()}}
}

func (f *fixture) client(t *testing.T) *instagram.Client {
	t.Helper()
	c, err := instagram.New(f.account, instagram.Options{
		Getenv:   func(k string) (string, bool) { return f.token, k == "HERALD_INSTA_TOKEN" },
		MediaURL: mediaBase,
		HTTP: httpx.Options{
			HTTP: &http.Client{}, Rand: func() float64 { return 0.5 }, Budget: time.Hour,
			Now: func() time.Time { return nine.Add(time.Minute) },
			Sleep: func(_ context.Context, d time.Duration) error {
				f.sleeps = append(f.sleeps, d)
				return nil
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// publication is a post with one image.
func publication(text string, media ...networks.Medium) networks.Publication {
	if media == nil {
		media = []networks.Medium{{Path: "media/avent-1.jpg", Alt: "Une boîte de l'Avent ouverte", MIME: "image/jpeg"}}
	}
	return networks.Publication{PostID: "posts/avent-1", Account: "insta", IdempotencyKey: "key-1", Digest: "sha256:00",
		When: nine, At: nine, Parts: []networks.Part{{Text: text, Media: media}}}
}

func (f *fixture) clientWithMediaURL(t *testing.T, base string) *instagram.Client {
	t.Helper()
	c, err := instagram.New(f.account, instagram.Options{
		Getenv:   func(k string) (string, bool) { return f.token, k == "HERALD_INSTA_TOKEN" },
		MediaURL: base,
		HTTP:     httpx.Options{HTTP: &http.Client{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func n(v int64) *int64 { return &v }

type statsRow struct{ Likes, Reposts, Replies, Quotes, Views *int64 }

func rows(cs []state.Counts) []statsRow {
	var out []statsRow
	for _, c := range cs {
		out = append(out, statsRow(c))
	}
	return out
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
