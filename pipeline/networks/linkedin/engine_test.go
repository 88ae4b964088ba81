package linkedin_test

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
	"github.com/herald-social/herald/pipeline/networks/linkedin"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// TestEngineCrashBeforeResults: a run stopped after it posted both posts
// and before it journaled them leaves intents; the next run, after the
// lease, finds both among the page's recent posts by their commentary
// (Lookup) and journals them published, posting nothing again.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := linkedintest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	post := func(hour, text, media string) string {
		return "---\ndate: 2026-12-01T" + hour + ":00+01:00\nnetworks: [linkedin]\ntags: [produit]\n" + media + "---\n" + text + "\n"
	}
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml":     enginetest.Charter("linkedin: {network: linkedin, author: \""+srv.Author+"\", version: \""+srv.Version+"\", api: \""+srv.API()+"\"}", ""),
		"posts/avent-1.md": post("09:00", "Jour 1 (enfin) : #Avent", ""),
		"posts/avent-2.md": post("09:30", "Jour 2.", "media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n"),
		"media/avent.png":  channeltest.PNG + "image data",
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_LINKEDIN_TOKEN": srv.Token}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return linkedin.New(a, linkedin.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: enginetest.HTTP()})
		}}

	engine.Stop(t, "results")
	posts := srv.Posts()
	if len(posts) != 2 {
		t.Fatalf("the stopped run made %d posts, want 2", len(posts))
	}
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if n := len(srv.Posts()); n != 2 {
		t.Fatalf("%d posts after the second run, want 2", n)
	}
	got := map[string][]string{}
	for _, id := range []string{"avent-1", "avent-2"} {
		a := repo.Journal(t, id, "linkedin")
		if a == nil || a.Status != state.Published {
			t.Fatalf("%s: journal %+v, want published", id, a)
		}
		got[id] = a.IDs
	}
	want := map[string][]string{"avent-1": {posts[0].ID}, "avent-2": {posts[1].ID}}
	if posts[0].Text != "Jour 1 (enfin) : #Avent" || len(posts[1].Images) != 1 || posts[1].AltTexts[0] != "Une boîte ouverte" {
		t.Errorf("posts %+v", posts)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("journaled ids (-want +got):\n%s", diff)
	}
	if calls := srv.Calls(); slices.Index(calls, "posts.finder") < 0 {
		t.Errorf("the second run did not look the posts up: %v", calls)
	}
	repo.NoSecret(t, srv.Token)
	engine.Idle(t, publish.DefaultLease+2*time.Minute, srv.Calls)
}

// TestEngineCrashVideo: a run stopped after it posted a video and before
// it journaled the post; the next run finds the post by its commentary and
// journals it, uploading nothing again.
func TestEngineCrashVideo(t *testing.T) {
	srv := linkedintest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	srv.VideoPolls = 1
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("linkedin: {network: linkedin, author: \""+srv.Author+"\", version: \""+srv.Version+"\", api: \""+srv.API()+"\"}", ""),
		"posts/atelier.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [linkedin]\ntags: [produit]\ntitle: L'atelier\n" +
			"media:\n  - src: ../media/atelier.mp4\n    alt: L'atelier en vidéo\n---\nL'atelier (en vidéo).\n",
		"media/atelier.mp4": string(mp4(100_000)),
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_LINKEDIN_TOKEN": srv.Token}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return linkedin.New(a, linkedin.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: enginetest.HTTP()})
		}}
	engine.Stop(t, "results")
	before := len(srv.Calls())
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if second := srv.Calls()[before:]; !slices.Equal(second, []string{"posts.finder"}) {
		t.Errorf("the run after the lease called %v, want only the author finder", second)
	}
	posts := srv.Posts()
	if len(posts) != 1 || posts[0].Video == "" || posts[0].Title != "L'atelier" {
		t.Fatalf("posts %+v, want one video post", posts)
	}
	a := repo.Journal(t, "atelier", "linkedin")
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{posts[0].ID}) {
		t.Fatalf("journal %+v, want published with %s", a, posts[0].ID)
	}
	repo.NoSecret(t, srv.Token)
	engine.Idle(t, publish.DefaultLease+2*time.Minute, srv.Calls)
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
