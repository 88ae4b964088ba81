package threads_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/networks/threads"
	"github.com/herald-social/herald/pipeline/networks/threads/threadstest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// TestEngineCrashBeforeResults: a run stopped after it published a
// thread with an image and before it journaled it leaves an intent; the
// next run, after the lease, finds the thread by Lookup and journals it
// published without posting again; a third run sends nothing.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := threadstest.New(t)
	srv.Pending = 1
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("threads: {network: threads, user: \""+srv.User+"\", api: \""+srv.API()+"\"}",
			"media_url: https://cdn.example.com/maison/\n"),
		"posts/avent-1.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [threads]\ntags: [produit]\n" +
			"media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n---\nJour 1 : la boîte.\n\n---\n\nUne case par jour.\n",
		"media/avent.png": channeltest.PNG + "image data",
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_THREADS_TOKEN": srv.Token}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return threads.New(a, threads.Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, StatusPoll: time.Millisecond,
				HTTP: enginetest.HTTP()})
		}}

	engine.Stop(t, "results")
	posts := srv.Posts()
	if len(posts) != 2 || posts[0].Text != "Jour 1 : la boîte." || posts[1].Text != "Une case par jour." || posts[1].ReplyTo != posts[0].ID {
		t.Fatalf("the stopped run posted %+v, want a thread of two parts", posts)
	}
	var ids []string
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	first := len(srv.Calls())
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if got := srv.Posts(); len(got) != len(posts) {
		t.Fatalf("the run after the lease posted %d more", len(got)-len(posts))
	}
	if calls := srv.Calls()[first:]; slices.Contains(calls, "POST create") || slices.Contains(calls, "POST publish") {
		t.Errorf("the run after the lease made or published a container: %v", calls)
	}

	repo.NoSecret(t, srv.Token)
	a := repo.Journal(t, "avent-1", "threads")
	if a == nil || a.Status != state.Published {
		t.Fatalf("journal %+v, want published", a)
	}
	if diff := cmp.Diff(ids, a.IDs); diff != "" {
		t.Errorf("journaled ids (-server +journal):\n%s", diff)
	}
	if len(posts[0].Media) != 1 || posts[0].Media[0].URL != "https://cdn.example.com/maison/media/avent.png" || posts[0].Media[0].AltText != "Une boîte ouverte" {
		t.Errorf("first post's media %+v, want the image by media_url with its alt text", posts[0].Media)
	}
	engine.Idle(t, publish.DefaultLease+2*time.Minute, srv.Calls)
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
