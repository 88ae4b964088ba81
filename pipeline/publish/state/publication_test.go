package state

import (
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
)

func TestNewPublication(t *testing.T) {
	calendar := fstest.MapFS{"media/a.png": {Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}}
	post, err := load.ParsePost("posts/2026/12/avent-1.md", []byte(`---
date: 2026-12-01T09:00:00+01:00
networks: [mastodon, outbox]
tags: [produit]
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
			pub, err := NewPublication(post, tt.account, calendar, when, "fr-FR")
			if err != nil {
				t.Fatal(err)
			}
			digest, _ := Digest(tt.parts, calendar)
			want := networks.Publication{
				PostID: "posts/2026/12/avent-1", Account: tt.account.Key, Title: "Jour 1",
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
	if _, err := NewPublication(post, tests[0].account, calendar, when, "fr-FR"); err == nil {
		t.Errorf("NewPublication with a missing medium is no error")
	}
}

// A post's poll goes to the accounts whose network has polls, in their
// digest; the others get the post without it, and the digest they had.
func TestNewPublicationPoll(t *testing.T) {
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
	pub, err := NewPublication(post, &load.Account{Key: "mastodon", Network: "mastodon"}, calendar, when, "")
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
	pub, err = NewPublication(post, &load.Account{Key: "bluesky", Network: "bluesky"}, calendar, when, "")
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := Digest(pub.Parts, calendar); pub.Poll != nil || pub.Digest != d {
		t.Errorf("bluesky: Poll = %v, Digest = %s; want nil, %s", pub.Poll, pub.Digest, d)
	}
}
