package facebook_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/facebook"
	"github.com/herald-social/herald/pipeline/networks/facebook/facebooktest"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// TestEngineCrashBeforeResults: a run stopped after it posted and before
// it journaled the post leaves an intent; the next run, after the lease,
// finds the post by Lookup among the Page's posts and journals it
// published without posting again: one post on the Page, with its photo
// and alt text.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := facebooktest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("fb: {network: facebook, page: \""+srv.Page+"\", api: \""+srv.API()+"\"}", ""),
		"posts/avent-1.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [fb]\ntags: [produit]\n" +
			"media:\n  - src: ../media/avent.png\n    alt: Une boîte ouverte\n---\nJour 1 : la première case.\n",
		"media/avent.png": channeltest.PNG + "image data",
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_FB_TOKEN": srv.Token}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return facebook.New(a, facebook.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: enginetest.HTTP()})
		}}
	endpoints := func() []string {
		var e []string
		for _, r := range srv.Requests() {
			e = append(e, r.Endpoint)
		}
		return e
	}

	engine.Stop(t, "results")
	if n := len(srv.Posts()); n != 1 {
		t.Fatalf("the stopped run posted %d, want 1", n)
	}
	before := len(srv.Requests())
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if second := endpoints()[before:]; !slices.Equal(second, []string{"posts"}) {
		t.Errorf("the run after the lease called %v, want only the Lookup of the Page's posts", second)
	}

	posts := srv.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts on the Page, want 1", len(posts))
	}
	photo, _ := srv.Photo(posts[0].Photos[0])
	if posts[0].Message != "Jour 1 : la première case." || photo.Alt != "Une boîte ouverte" {
		t.Errorf("post %q with a photo described %q", posts[0].Message, photo.Alt)
	}
	repo.NoSecret(t, srv.Token)
	a := repo.Journal(t, "avent-1", "fb")
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{posts[0].ID}) {
		t.Fatalf("journal %+v, want published with the post's id %s", a, posts[0].ID)
	}
	engine.Idle(t, publish.DefaultLease+2*time.Minute, endpoints)
}

// TestEngineCrashVideo: a run stopped after it published a video post and
// before it journaled it; the next run finds the video among the Page's
// videos and journals its id, uploading nothing again.
func TestEngineCrashVideo(t *testing.T) {
	srv := facebooktest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) }
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("fb: {network: facebook, page: \""+srv.Page+"\", api: \""+srv.API()+"\"}", ""),
		"posts/atelier.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [fb]\ntags: [produit]\n" +
			"media:\n  - src: ../media/atelier.mp4\n    alt: L'atelier\n---\nL'atelier en vidéo.\n",
		"media/atelier.mp4": string(videoBytes(3000)),
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_FB_TOKEN": srv.Token}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return facebook.New(a, facebook.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: enginetest.HTTP()})
		}}
	endpoints := func() []string {
		var e []string
		for _, r := range srv.Requests() {
			e = append(e, r.Endpoint)
		}
		return e
	}
	engine.Stop(t, "results")
	before := len(srv.Requests())
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if second := endpoints()[before:]; !slices.Equal(second, []string{"videos.list"}) {
		t.Errorf("the run after the lease called %v, want only the Lookup of the Page's videos", second)
	}
	videos := srv.Videos()
	if len(videos) != 1 || !videos[0].Published || videos[0].Description != "L'atelier en vidéo." {
		t.Fatalf("videos %+v, want one published", videos)
	}
	a := repo.Journal(t, "atelier", "fb")
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{videos[0].ID}) {
		t.Fatalf("journal %+v, want published with the video's id %s", a, videos[0].ID)
	}
	repo.NoSecret(t, srv.Token)
	engine.Idle(t, publish.DefaultLease+2*time.Minute, endpoints)
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
