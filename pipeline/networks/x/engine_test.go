package x_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/networks/x"
	"github.com/herald-social/herald/pipeline/networks/x/xtest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// TestEngineCrashBeforeResults: a run stopped after it posted a thread
// and before it journaled it leaves an intent; the next run, after the
// lease, finds the thread among the account's recent posts (Lookup) and
// journals it published, posting nothing: one thread on X.
func TestEngineCrashBeforeResults(t *testing.T) {
	srv := xtest.New(t)
	srv.Now = func() time.Time { return nine.Add(time.Hour) } // 10:00 in Paris
	repo := enginetest.Calendar(t, map[string]string{
		"charter.yaml": enginetest.Charter("social: {network: x, api: \""+srv.API()+"\"}", ""),
		"posts/avent-1.md": "---\ndate: 2026-12-01T09:00:00+01:00\nnetworks: [social]\ntags: [produit]\n---\n" +
			"Jour 1 du calendrier de l'Avent.\n\n---\n\nLa suite du fil.\n",
	})
	engine := &enginetest.Engine{Publish: publishRun, Dir: repo.Dir, Getenv: enginetest.Getenv(srv.Env("SOCIAL")),
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return x.New(a, x.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: enginetest.HTTP()})
		}}

	engine.Stop(t, "results")
	posted := srv.Posts()
	if len(posted) == 0 {
		t.Fatal("the stopped run posted nothing")
	}
	engine.Finish(t, publish.DefaultLease+time.Minute)
	if got := srv.Posts(); len(got) != len(posted) {
		t.Fatalf("%d posts on X after the second run, want the %d of the first", len(got), len(posted))
	}
	if n := strings.Count(strings.Join(srv.Routes(), "\n"), "POST /2/tweets"); n != len(posted) {
		t.Errorf("%d POST /2/tweets for %d posts: %v", n, len(posted), srv.Routes())
	}
	a := repo.Journal(t, "avent-1", "social")
	var ids []string
	for _, p := range posted {
		ids = append(ids, p.ID)
	}
	if a == nil || a.Status != state.Published || !slices.Equal(a.IDs, ids) {
		t.Fatalf("journal %+v, want published with ids %v", a, ids)
	}
	if len(posted) != 2 || posted[1].InReplyTo != posted[0].ID {
		t.Errorf("posts %+v, want a thread of two", posted)
	}
	repo.NoSecret(t, srv.ConsumerSecret, srv.AccessSecret, srv.AccessToken)
	engine.Idle(t, publish.DefaultLease+2*time.Minute, srv.Routes)
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
