package mastodon_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
)

const pollPost = `---
date: 2026-12-01T09:00:00+01:00
networks: [mastodon]
tags: [communaute]
poll:
  options: [Rouge, Vert sapin, Bleu nuit]
  expires_in: 1d
  hide_totals: true
---
Quelle couleur pour le prochain plaid ?

---

Résultats demain.
`

// pollFixture is a fixture whose calendar holds pollPost.
func pollFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.root = channeltest.Calendar(t, map[string]string{"posts/plaid.md": pollPost, "media/a.png": channeltest.PNG + "image data"})
	return f
}

func (f *fixture) pollPublication(t *testing.T) networks.Publication {
	return channeltest.Publication(t, f.root, "posts/plaid.md", f.account, f.clk.Now())
}

func TestPublishPoll(t *testing.T) {
	f := pollFixture(t)
	p := f.pollPublication(t)
	if p.Poll == nil {
		t.Fatal("the publication has no poll")
	}
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	statuses := f.srv.Statuses()
	if len(statuses) != 2 || len(res.IDs) != 2 {
		t.Fatalf("%d statuses, result %v: want a thread of 2", len(statuses), res.IDs)
	}
	want := &mastodontest.Poll{Options: []string{"Rouge", "Vert sapin", "Bleu nuit"}, ExpiresIn: 86400, HideTotals: true}
	if diff := cmp.Diff(want, statuses[0].Poll); diff != "" {
		t.Errorf("poll of the first part (-want +got):\n%s", diff)
	}
	if statuses[1].Poll != nil {
		t.Errorf("the second part has a poll too: %+v", statuses[1].Poll)
	}
	// The form as sent: each option once, in order, and seconds.
	for _, r := range f.srv.Requests() {
		if r.Method == "POST" && r.Path == "/api/v1/statuses" && r.Form["in_reply_to_id"] == nil {
			if got := r.Form["poll[options][]"]; !slices.Equal(got, want.Options) {
				t.Errorf("poll[options][] = %q", got)
			}
			if got := r.Form["poll[expires_in]"]; !slices.Equal(got, []string{"86400"}) {
				t.Errorf("poll[expires_in] = %q, want 86400", got)
			}
		}
	}

	// A run that dies before it journals finds the thread, poll and all.
	f.srv.Forget()
	f.clk.Advance(2 * time.Hour)
	got, found, err := f.client(t).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, want found", found, err)
	}
	if diff := cmp.Diff(res, got); diff != "" {
		t.Errorf("Lookup (-published +found):\n%s", diff)
	}
}

// The fake server refuses a poll as Mastodon does: out of its limits, or
// with media.
func TestPollRefused(t *testing.T) {
	for name, edit := range map[string]func(*networks.Publication){
		"one option":   func(p *networks.Publication) { p.Poll.Options = p.Poll.Options[:1] },
		"five options": func(p *networks.Publication) { p.Poll.Options = []string{"a", "b", "c", "d", "e"} },
		"too short":    func(p *networks.Publication) { p.Poll.ExpiresIn = 4 * time.Minute },
		"too long":     func(p *networks.Publication) { p.Poll.ExpiresIn = 31 * 24 * time.Hour },
		"with media": func(p *networks.Publication) {
			p.Parts[0].Media = []networks.Medium{{Path: "media/a.png", Alt: "Une boîte", MIME: "image/png"}}
		},
	} {
		t.Run(name, func(t *testing.T) {
			f := pollFixture(t)
			p := f.pollPublication(t)
			edit(&p)
			_, err := f.client(t).Publish(context.Background(), p)
			var ne *networks.Error
			if !errors.As(err, &ne) || ne.Kind != networks.Permanent {
				t.Errorf("Publish = %v, want a permanent error", err)
			}
			if n := len(f.srv.Statuses()); n != 0 {
				t.Errorf("%d statuses posted", n)
			}
		})
	}
}
