package stats_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
	"github.com/herald-social/herald/pipeline/state"
	"github.com/herald-social/herald/pipeline/stats"
)

// TestBlueskyTwice runs stats twice against a Bluesky AppView, through
// the real client that publish.NewReader makes: the thread's two posts
// are asked in one getPosts call, summed, and both samples are in the
// state file, with two follower counts. Stats never logs in to the PDS,
// and needs no app password: the AppView is public.
func TestBlueskyTwice(t *testing.T) {
	for _, password := range []string{"", "app-pass-word-xxxx"} {
		t.Run(fmt.Sprintf("password=%q", password), func(t *testing.T) { testBlueskyTwice(t, password) })
	}
}

func testBlueskyTwice(t *testing.T, password string) {
	av := blueskytest.NewAppView(t)
	pds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("PDS: %s %s: stats reads the public AppView only", r.Method, r.URL)
		w.WriteHeader(http.StatusInternalServerError)
	}))
	t.Cleanup(pds.Close)
	uris := []string{"at://did:plc:abc/app.bsky.feed.post/3lbtrcwqk2c2a", "at://did:plc:abc/app.bsky.feed.post/3lbtrcwqk2c2b"}
	gone := "at://did:plc:abc/app.bsky.feed.post/3lbtrcwqk2c2c"
	dir := newCalendar(t, map[string]string{
		"charter.yaml": fmt.Sprintf(`brand: Maison Exemple
timezone: Europe/Paris
accounts:
  bluesky: {network: bluesky, handle: maison.example.com, pds: %s, appview: %s}
editorial_line:
  produit: {description: Nos créations}
`, pds.URL, av.URL()),
		"posts/avent-1.md":         post(day0, "bluesky"),
		"posts/avent-2.md":         post(day0, "bluesky"),
		"state/posts/avent-1.json": encode(t, map[string]*state.Account{"bluesky": published(day0, uris)}),
		"state/posts/avent-2.json": encode(t, map[string]*state.Account{"bluesky": published(day0, []string{gone})}),
	})
	av.SetLikes(uris[0], 10)
	av.SetLikes(uris[1], 4)
	av.SetFollowers(530)
	opts := stats.Options{Dir: dir, Getenv: func(k string) string {
		if k == "HERALD_BLUESKY_PASSWORD" {
			return password
		}
		return ""
	}}
	first, second := day0.Add(time.Hour), day0.Add(2*time.Hour)
	for i, now := range []time.Time{first, second} {
		opts.Now = now
		rep := collect(t, opts)
		if rep.Failed() || len(rep.Problems) > 0 || len(rep.Samples) != 1 || len(rep.Followers) != 1 || rep.NotFound != 1 {
			t.Fatalf("run %d: problems %v, %d samples, %d follower counts, %d not found; want 1, 1, 1",
				i+1, rep.Problems, len(rep.Samples), len(rep.Followers), rep.NotFound)
		}
		av.SetLikes(uris[1], 10)
		av.SetFollowers(535)
	}
	if diff := cmp.Diff([][]string{append(uris, gone), append(uris, gone)}, av.Asked()); diff != "" {
		t.Errorf("getPosts calls (-want +got):\n%s", diff)
	}
	if n := av.Profiles(); n != 2 {
		t.Errorf("%d getProfile calls, want one per run", n)
	}
	f := loadState(t, dir, "posts/avent-1")
	want := []state.Sample{sample(first, counts(14, 7, 2, 0, -1)), sample(second, counts(20, 10, 2, 0, -1))}
	if diff := cmp.Diff(want, f.Accounts["bluesky"].Stats, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("avent-1 on bluesky (-want +got):\n%s", diff)
	}
	// A post the AppView no longer has gets no sample, and is asked
	// again at the next run.
	if got := loadState(t, dir, "posts/avent-2").Accounts["bluesky"].Stats; len(got) != 0 {
		t.Errorf("avent-2 on bluesky: %+v, want no sample", got)
	}
	got, err := stats.ReadFollowers(os.DirFS(dir), "bluesky")
	if err != nil || len(got) != 2 || got[0].Followers != 530 || got[1].Followers != 535 {
		t.Errorf("followers of bluesky: %+v, %v; want 530 then 535", got, err)
	}
}

// TestMastodonTwice runs stats twice against mastodontest's server,
// through the real client that publish.NewPublisher makes: the statuses
// of every due publication are asked in one GET /api/v1/statuses?id[]=,
// a thread's summed, both samples are in the state files, and so are two
// follower counts; the server's limits are read on the first run only
// (they are a day fresh on the second) into state/instances/.
func TestMastodonTwice(t *testing.T) {
	srv := mastodontest.New(t)
	thread := []string{srv.AddStatus(mastodontest.Status{Text: "Jour 1."}), srv.AddStatus(mastodontest.Status{Text: "Suite."})}
	single := srv.AddStatus(mastodontest.Status{Text: "Jour 2."})
	srv.SetCounts(thread[0], 10, 2, 1, nil)
	srv.SetCounts(thread[1], 3, 0, 0, nil)
	srv.SetCounts(single, 7, 1, 0, state.Count(2))
	srv.FollowersCount = 1200
	dir := newCalendar(t, map[string]string{
		"charter.yaml": fmt.Sprintf(`brand: Maison Exemple
timezone: Europe/Paris
accounts:
  mastodon: {network: mastodon, server: %s}
editorial_line:
  produit: {description: Nos créations}
`, srv.URL),
		"posts/avent-1.md":         post(day0, "mastodon"),
		"posts/avent-2.md":         post(day0, "mastodon"),
		"state/posts/avent-1.json": encode(t, map[string]*state.Account{"mastodon": published(day0, thread)}),
		"state/posts/avent-2.json": encode(t, map[string]*state.Account{"mastodon": published(day0, []string{single})}),
	})
	opts := stats.Options{Dir: dir, Getenv: func(k string) string {
		if k == "HERALD_MASTODON_TOKEN" {
			return srv.Token
		}
		return ""
	}}
	first, second := day0.Add(time.Hour), day0.Add(2*time.Hour)
	var routes [][]string
	for i, now := range []time.Time{first, second} {
		opts.Now = now
		before := len(srv.Routes())
		rep := collect(t, opts)
		if rep.Failed() || len(rep.Problems) > 0 || len(rep.Samples) != 2 || len(rep.Followers) != 1 {
			t.Fatalf("run %d: problems %v, %d samples, %d follower counts", i+1, rep.Problems, len(rep.Samples), len(rep.Followers))
		}
		routes = append(routes, srv.Routes()[before:])
		srv.SetCounts(thread[1], 9, 0, 0, nil)
		srv.FollowersCount += 10
	}
	want := [][]string{
		{"GET /api/v1/statuses", "GET /api/v1/accounts/verify_credentials", "GET /api/v2/instance"},
		{"GET /api/v1/statuses", "GET /api/v1/accounts/verify_credentials"},
	}
	if diff := cmp.Diff(want, routes); diff != "" {
		t.Errorf("requests of each run (-want +got):\n%s", diff)
	}
	for _, r := range srv.Requests() {
		if r.Path == "/api/v1/statuses" {
			q, err := url.ParseQuery(r.Query)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(append(thread, single), q["id[]"]); diff != "" {
				t.Errorf("GET /api/v1/statuses ids (-want +got):\n%s", diff)
			}
		}
	}
	c := func(likes, reposts, replies int64, quotes *int64) state.Counts {
		return state.Counts{Likes: state.Count(likes), Reposts: state.Count(reposts), Replies: state.Count(replies), Quotes: quotes}
	}
	for post, want := range map[string][]state.Sample{
		"posts/avent-1": {sample(first, c(13, 2, 1, nil)), sample(second, c(19, 2, 1, nil))},
		"posts/avent-2": {sample(first, c(7, 1, 0, state.Count(2))), sample(second, c(7, 1, 0, state.Count(2)))},
	} {
		if diff := cmp.Diff(want, loadState(t, dir, post).Accounts["mastodon"].Stats, cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Errorf("%s on mastodon (-want +got):\n%s", post, diff)
		}
	}
	got, err := stats.ReadFollowers(os.DirFS(dir), "mastodon")
	if err != nil || len(got) != 2 || got[0].Followers != 1200 || got[1].Followers != 1210 {
		t.Errorf("followers of mastodon: %+v, %v; want 1200 then 1210", got, err)
	}
	facts, ok, err := state.ReadFacts(os.DirFS(dir), "mastodon")
	if err != nil || !ok || facts.MaxCharacters != srv.MaxCharacters || !facts.FetchedAt.Equal(first) {
		t.Errorf("state/instances/mastodon.json: %+v, %v; want the server's %d characters, fetched at the first --now", facts, err, srv.MaxCharacters)
	}
}
