package instagram_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/instagram"
	"github.com/herald-social/herald/pipeline/networks/instagram/instagramtest"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// jpeg is the start of a JPEG file: enough for the MIME sniffer.
const jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"

// TestEngineCrashBeforeResults: a run stopped after Instagram published
// the post and before the journal said so leaves an intent; the next run,
// after the lease, finds the post by Lookup (its caption among the
// account's media) and journals it published without publishing again.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := instagramtest.New(t)
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("insta: {network: instagram, user: \""+srv.User+"\", api: \""+srv.API()+"\"}",
			"media_url: https://cdn.example.com/maison/\n"),
		"posts/avent-1.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [insta]\ntags: [produit]\n" +
			"media:\n  - src: ../media/avent.jpg\n    alt: Une boîte ouverte\n---\nJour 1 du calendrier de l'Avent.\n",
		"media/avent.jpg": jpeg + "image data",
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(map[string]string{"HERALD_INSTA_TOKEN": srv.Token}),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return instagram.New(a, instagram.Options{Getenv: networks.LookupEnv(env.Getenv), MediaURL: env.MediaURL, HTTP: enginetest.HTTP()})
		}}

	engine.Stop(t, "results")
	media := srv.Media()
	if len(media) != 1 {
		t.Fatalf("the stopped run published %d media, want 1", len(media))
	}
	c, _ := srv.Container(media[0].Container)
	if c.Params["image_url"] != "https://cdn.example.com/maison/media/avent.jpg" || c.Params["alt_text"] != "Une boîte ouverte" {
		t.Errorf("container %v, want the medium's public URL and its alt text", c.Params)
	}
	before := len(srv.Requests())
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if n := len(srv.Media()); n != 1 {
		t.Errorf("%d media after the second run, want 1", n)
	}
	for _, r := range srv.Requests()[before:] {
		if r.Method != http.MethodGet {
			t.Errorf("the second run sent %s %s", r.Method, r.Path)
		}
	}
	repo.NoSecret(t, srv.Token)
	a := repo.Journal(t, "avent-1", "insta")
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, []string{media[0].ID}) {
		t.Fatalf("journal %+v, want published with the media's id %s", a, media[0].ID)
	}
	engine.Idle(t, publish.DefaultLease+2*time.Minute, srv.Routes)
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
