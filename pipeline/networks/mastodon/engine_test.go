package mastodon_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/networks/internal/enginetest"
	"github.com/herald-social/herald/pipeline/networks/mastodon"
	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/state"
)

// runEngine runs herald publish on a calendar whose mastodon account is
// the fake server, at 10:00 on the post's day, outside git.
func runEngine(t *testing.T, f *fixture) (enginetest.Report, *state.Account) {
	t.Helper()
	charter := enginetest.Charter("mastodon: {network: mastodon, server: "+f.srv.URL+"}", "")
	if err := os.WriteFile(filepath.Join(f.root, "charter.yaml"), []byte(charter), 0o644); err != nil {
		t.Fatal(err)
	}
	engine := &enginetest.Engine{Publish: publishRun, Dir: f.root, Getenv: enginetest.Getenv(map[string]string{"HERALD_MASTODON_TOKEN": f.srv.Token}),
		Wall: func() time.Time { return nine.Add(time.Hour) },
		Open: func(a *load.Account, env networks.Env) (networks.Publisher, error) {
			return mastodon.New(a, mastodon.Options{Getenv: networks.LookupEnv(env.Getenv), HTTP: httpx.Options{
				Now: f.clk.Now, Sleep: f.clk.Sleep, Rand: func() float64 { return 0.5 },
				HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}})
		}}
	rep, _ := engine.Run(t, 0, "")
	return rep, enginetest.Journal(t, f.root, rep, "avent-1", "mastodon", f.srv.Token)
}

func TestEnginePublishesAThreadWithAnImage(t *testing.T) {
	f := newFixture(t)
	f.srv.ProcessingPolls = 1
	rep, got := runEngine(t, f)
	if rep.Failed() || got.Status != state.Published {
		t.Fatalf("run failed (%v): %+v", rep.Failed(), got)
	}
	statuses := f.srv.Statuses()
	if len(statuses) != 3 || len(statuses[0].MediaIDs) != 1 {
		t.Fatalf("%d statuses on the server, want a thread of 3 with an image", len(statuses))
	}
	ids := []string{statuses[0].ID, statuses[1].ID, statuses[2].ID}
	if diff := cmp.Diff(ids, got.IDs); diff != "" {
		t.Errorf("journaled ids (-server +journal):\n%s", diff)
	}
	if !strings.HasPrefix(statuses[0].IdempotencyKey, got.IdempotencyKey+"-") {
		t.Errorf("the status's key %q is not the journaled key %q and its part", statuses[0].IdempotencyKey, got.IdempotencyKey)
	}
	// The next run has nothing to do: nothing is sent.
	before := len(f.srv.Requests())
	if rep, _ := runEngine(t, f); rep.Failed() || len(f.srv.Requests()) != before {
		t.Errorf("a second run sent %v", f.srv.Routes()[before:])
	}
}

func TestEngineJournalsARateLimit(t *testing.T) {
	f := newFixture(t)
	reset := f.clk.Now().Add(25 * time.Minute).UTC().Format(time.RFC3339)
	f.srv.Fail("POST /api/v2/media", mastodontest.Reply{Status: 429, Body: `{"error":"Too many requests"}`,
		Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}})
	rep, got := runEngine(t, f)
	if !rep.Failed() || got.Status != state.Failed || len(got.Attempts) != 1 {
		t.Fatalf("journal %+v, want a failure", got)
	}
	want := state.Attempt{At: got.Attempts[0].At, Kind: "rate-limited",
		Error: "account mastodon: rate limited, retry after 25m0s: HTTP 429: POST /api/v2/media: Too many requests"}
	if diff := cmp.Diff(want, got.Attempts[0]); !strings.HasSuffix(got.Attempts[0].Error, want.Error) || got.Attempts[0].Kind != want.Kind {
		t.Errorf("attempt (-want +got):\n%s", diff)
	}
	if len(f.srv.Statuses()) != 0 {
		t.Errorf("a status was posted")
	}
}

// publishRun is publish.Run for enginetest, which sits below publish.
func publishRun(ctx context.Context, o enginetest.Options) (enginetest.Report, error) {
	return publish.Run(ctx, publish.Options{Dir: o.Dir, NowText: o.NowText, Getenv: o.Getenv, Wall: o.Wall, Publishers: o.Publishers, Hook: o.Hook})
}
