package webhook_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/networks/webhook"
	"github.com/herald-social/herald/pipeline/networks/webhook/webhooktest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// TestEngineCrashBeforeResults: a run stopped after it delivered both
// posts and before it journaled them leaves intents; the next run, after
// the lease, finds nothing by Lookup (a receiver cannot be asked) and
// delivers both again with the same webhook-ids, which the receiver
// dedupes: one unique delivery per publication, journaled published
// with its webhook-id. The charter's media_url gives each medium its url.
func TestEngineCrashBeforeResults(t *testing.T) {
	rcv := webhooktest.New(t)
	post := func(hour, text string) string {
		return "---\ndate: 2026-12-01T" + hour + ":00+01:00\nnetworks: [hooks]\ntags: [produit]\ncampaign: noel-2026\n" +
			"media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n---\n" + text + "\n"
	}
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("hooks: {network: webhook, url: \""+rcv.Endpoint()+"\"}",
			"media_url: https://cdn.example.com/maison/\n"+
				"campaigns:\n  noel-2026: {title: Noël 2026, start: 2026-12-01, end: 2026-12-25}\n"),
		"posts/avent-1.md": post("09:00", "Jour 1."),
		"posts/avent-2.md": post("09:30", "Jour 2."),
		"media/avent.png":  channeltest.PNG + "image data",
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_HOOKS_SECRET": rcv.Secret}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return webhook.New(a, webhook.Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, HTTP: enginetest.HTTP()})
		}}

	engine.Stop(t, "results")
	if n := len(rcv.Deliveries()); n != 2 {
		t.Fatalf("the stopped run delivered %d, want 2", n)
	}
	engine.Finish(t, publish.DefaultLease+time.Minute)

	keys := map[string]int{}
	for _, id := range []string{"avent-1", "avent-2"} {
		a := repo.Journal(t, id, "hooks")
		if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{a.IdempotencyKey}) {
			t.Fatalf("%s: journal %+v, want published with its webhook-id", id, a)
		}
		keys[a.IdempotencyKey] = 2 // delivered by each run
	}
	if diff := cmp.Diff(keys, rcv.Counts()); diff != "" {
		t.Errorf("deliveries per webhook-id (-want +got):\n%s", diff)
	}
	var got []string
	for _, d := range rcv.Unique() {
		got = append(got, fmt.Sprintf("%s %s %s %+v", d.Payload.Data.Post, d.Payload.Data.Campaign, d.Payload.Data.Parts, d.Payload.Data.Media))
	}
	slices.Sort(got)
	medium := fmt.Sprintf("[{Src:media/avent.png Alt:Une boîte ouverte Type:image/png SHA256:%x URL:https://cdn.example.com/maison/media/avent.png}]",
		sha256.Sum256([]byte(channeltest.PNG+"image data")))
	want := []string{"posts/avent-1 noel-2026 [Jour 1.] " + medium, "posts/avent-2 noel-2026 [Jour 2.] " + medium}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unique deliveries (-want +got):\n%s", diff)
	}
	repo.NoSecret(t, rcv.Secret)
	engine.Idle(t, publish.DefaultLease+2*time.Minute, func() []string {
		var ids []string
		for _, r := range rcv.Requests() {
			ids = append(ids, r.ID)
		}
		return ids
	})
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
