package publication

import (
	"errors"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
)

func TestNew(t *testing.T) {
	calendar := fstest.MapFS{"media/a.png": {Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}}
	post, err := load.ParsePost("posts/2026/12/avent-1.md", []byte(`---
date: 2026-12-01T09:00:00+01:00
networks: [mastodon, outbox]
tags: [produit, coulisses]
campaign: noel-2026
title: Jour 1
media:
  - src: ../../../media/a.png
    alt: Une boîte
    part: 2
---
Jour **1**

---

Suite
`))
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	medium := networks.Medium{Path: "media/a.png", Alt: "Une boîte", MIME: "image/png"}
	tests := []struct {
		account *load.Account
		parts   []networks.Part
	}{
		// A network with threads gets a part per post of the thread...
		{&load.Account{Key: "mastodon", Network: "mastodon"}, []networks.Part{{Text: "Jour 1"}, {Text: "Suite", Media: []networks.Medium{medium}}}},
		// ...the others one text.
		{&load.Account{Key: "outbox", Network: "outbox", Dir: "outbox"}, []networks.Part{{Text: "Jour 1\n\nSuite", Media: []networks.Medium{medium}}}},
	}
	for _, tt := range tests {
		t.Run(tt.account.Key, func(t *testing.T) {
			pub, err := New(post, tt.account, calendar, when, "fr-FR")
			if err != nil {
				t.Fatal(err)
			}
			digest, _ := Digest(tt.parts, calendar)
			want := networks.Publication{
				PostID: "posts/2026/12/avent-1", Account: tt.account.Key, Title: "Jour 1",
				Campaign: "noel-2026", Tags: []string{"produit", "coulisses"},
				Parts: tt.parts, Files: calendar, Digest: digest,
				IdempotencyKey: IdempotencyKey("posts/2026/12/avent-1", tt.account.Key, digest),
				Lang:           "fr-FR", When: when,
			}
			if diff := cmp.Diff(want, pub, cmp.Comparer(func(a, b fstest.MapFS) bool { return true })); diff != "" {
				t.Errorf("NewPublication (-want +got):\n%s", diff)
			}
		})
	}
	post.Media[0].Src.Value = "../../../media/missing.png"
	if _, err := New(post, tests[0].account, calendar, when, "fr-FR"); err == nil {
		t.Errorf("NewPublication with a missing medium is no error")
	}
}

// A post's poll goes to the accounts whose network has polls, in their
// digest; the others get the post without it, and the digest they had.
func TestNewPoll(t *testing.T) {
	post, err := load.ParsePost("posts/plaid.md", []byte(`---
date: 2026-12-01T09:00:00+01:00
networks: [mastodon, bluesky]
tags: [communaute]
poll:
  options: [Rouge, Vert, Bleu]
  expires_in: 1d
  hide_totals: true
---
Quelle couleur ?
`))
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	calendar := fstest.MapFS{}
	pub, err := New(post, &load.Account{Key: "mastodon", Network: "mastodon"}, calendar, when, "")
	if err != nil {
		t.Fatal(err)
	}
	want := &networks.Poll{Options: []string{"Rouge", "Vert", "Bleu"}, ExpiresIn: 24 * time.Hour, HideTotals: true}
	if diff := cmp.Diff(want, pub.Poll); diff != "" {
		t.Errorf("Poll (-want +got):\n%s", diff)
	}
	if d, _ := DigestWithPoll(pub.Parts, want, calendar); pub.Digest != d {
		t.Errorf("Digest = %s, want %s (with the poll)", pub.Digest, d)
	}
	pub, err = New(post, &load.Account{Key: "bluesky", Network: "bluesky"}, calendar, when, "")
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := Digest(pub.Parts, calendar); pub.Poll != nil || pub.Digest != d {
		t.Errorf("bluesky: Poll = %v, Digest = %s; want nil, %s", pub.Poll, pub.Digest, d)
	}
}

func TestMediumOf(t *testing.T) {
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	calendar := fstest.MapFS{
		"media/a.jpg":    {Data: jpeg},
		"media/clip.mov": {Data: []byte("\x00\x00\x00\x14ftypqt  ")},
	}
	media := func(src, alt string) load.Media {
		return load.Media{Src: load.Text{Value: src, Line: 1}, Alt: load.Text{Value: alt, Line: 1}}
	}
	got, err := MediumOf(calendar, "posts/2026/a.md", media("../../media/a.jpg", "Une boîte"))
	if want := (networks.Medium{Path: "media/a.jpg", Alt: "Une boîte", MIME: "image/jpeg"}); err != nil || got != want {
		t.Errorf("MediumOf = %+v, %v; want %+v", got, err, want)
	}
	if got, err := MediumOf(calendar, "posts/clip.md", media("../media/clip.mov", "")); err != nil || got.MIME != "video/quicktime" {
		t.Errorf("MediumOf(mov) = %+v, %v", got, err)
	}
	for _, src := range []string{"../../../etc/passwd", "/etc/passwd", "https://x.fr/a.jpg"} {
		if _, err := MediumOf(calendar, "posts/2026/a.md", media(src, "")); err == nil {
			t.Errorf("MediumOf(%q) is no error", src)
		}
	}
	if _, err := MediumOf(calendar, "posts/a.md", media("missing.jpg", "")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("MediumOf(missing) = %v, want fs.ErrNotExist", err)
	}
}

// The poll goes to every network netspec gives polls, as the post has it
// (the client fits its duration); the others get none.
func TestPollOfByNetwork(t *testing.T) {
	post, err := load.ParsePost("posts/plaid.md", []byte(`---
date: 2026-12-01T09:00:00+01:00
networks: [mastodon]
tags: [communaute]
poll: {options: [Rouge, Vert], expires_in: 90m, multiple: true}
---
Quelle couleur ?
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &networks.Poll{Options: []string{"Rouge", "Vert"}, ExpiresIn: 90 * time.Minute, Multiple: true}
	for _, tt := range []struct {
		network string
		want    *networks.Poll
	}{
		{"mastodon", want}, {"x", want}, {"discord", want}, {"telegram", want}, {"outbox", want},
		{"bluesky", nil}, {"linkedin", nil}, {"slack", nil}, {"webhook", nil}, {"feed", nil},
	} {
		t.Run(tt.network, func(t *testing.T) {
			got, err := pollOf(post, &load.Account{Key: tt.network, Network: tt.network})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("pollOf (-want +got):\n%s", diff)
			}
		})
	}
}
