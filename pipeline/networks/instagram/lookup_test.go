package instagram_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/instagram/instagramtest"
)

// TestLookupAfterCrash: a post published by a run that stopped before
// its journal is found by a new client, by its caption, and the engine
// publishes nothing again.
func TestLookupAfterCrash(t *testing.T) {
	f := newFixture(t)
	p := publication(caption)
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	// Someone else's media, and a near-identical caption, after it.
	f.srv.AddMedia(instagramtest.Media{Caption: caption + " ", Timestamp: nine.Add(2 * time.Minute)})
	f.srv.AddMedia(instagramtest.Media{Caption: "Autre chose", Timestamp: nine.Add(3 * time.Minute)})
	before := len(f.srv.Requests())

	res, found, err := f.client(t).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup: found %v, %v", found, err)
	}
	if diff := cmp.Diff(first, res); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	reqs := f.srv.Requests()[before:]
	if len(reqs) != 1 || reqs[0].Route != "list" || reqs[0].Params["fields"] != "id,caption,timestamp,permalink" {
		t.Errorf("requests %+v, want one read of the account's media", reqs)
	}
	if len(f.srv.Media()) != 3 {
		t.Errorf("%d media, want 3", len(f.srv.Media()))
	}
}

func TestLookupNotFound(t *testing.T) {
	f := newFixture(t)
	f.srv.AddMedia(instagramtest.Media{Caption: caption, Timestamp: nine.Add(-2 * time.Hour)}) // an older post with the same text
	_, found, err := f.client(t).Lookup(context.Background(), publication(caption))
	if err != nil || found {
		t.Errorf("Lookup: found %v, %v; want not found", found, err)
	}
}

// TestLookupPages: the post is found on the second page of the account's
// media (cursor paging).
func TestLookupPages(t *testing.T) {
	f := newFixture(t)
	want := f.srv.AddMedia(instagramtest.Media{Caption: caption, Timestamp: nine})
	for i := range 60 {
		f.srv.AddMedia(instagramtest.Media{Caption: "autre", Timestamp: nine.Add(time.Duration(i+1) * time.Second)})
	}
	res, found, err := f.client(t).Lookup(context.Background(), publication(caption))
	if err != nil || !found || res.IDs[0] != want {
		t.Fatalf("Lookup: %v %v %v, want %s", res, found, err, want)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 2 || reqs[1].Params["after"] != "50" {
		t.Errorf("requests %+v, want two pages", reqs)
	}
}

func TestStatsTwoSamples(t *testing.T) {
	f := newFixture(t)
	a := f.srv.AddMedia(instagramtest.Media{Caption: "a"})
	b := f.srv.AddMedia(instagramtest.Media{Caption: "b"})
	f.srv.SetCounts(a, n(3), n(1), n(40))
	f.srv.SetCounts(b, nil, n(0), nil) // likes hidden, no insights yet
	c := f.client(t)
	got, err := c.Stats(context.Background(), []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	want := []statsRow{{Likes: n(3), Replies: n(1), Views: n(40)}, {Replies: n(0)}}
	if diff := cmp.Diff(want, rows(got)); diff != "" {
		t.Errorf("first sample (-want +got):\n%s", diff)
	}
	f.srv.SetCounts(a, n(5), n(2), n(90))
	got, err = c.Stats(context.Background(), []string{a})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]statsRow{{Likes: n(5), Replies: n(2), Views: n(90)}}, rows(got)); diff != "" {
		t.Errorf("second sample (-want +got):\n%s", diff)
	}
	for _, r := range f.srv.Requests() {
		if r.Route == "insights" && r.Params["metric"] != "views" {
			t.Errorf("insights metric %q", r.Params["metric"])
		}
	}
}

func TestStatsInsightsRefused(t *testing.T) {
	f := newFixture(t)
	a := f.srv.AddMedia(instagramtest.Media{Caption: "a"})
	f.srv.SetCounts(a, n(1), n(1), n(9))
	f.srv.Queue("insights", instagramtest.Reply{Status: 400,
		Body: `{"error":{"message":"(#10) Not enough viewers for the media to show insights","type":"OAuthException","code":10}}`})
	got, err := f.client(t).Stats(context.Background(), []string{a})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]statsRow{{Likes: n(1), Replies: n(1)}}, rows(got)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestFollowers(t *testing.T) {
	f := newFixture(t)
	got, err := f.client(t).Followers(context.Background())
	if err != nil || got != 1234 {
		t.Errorf("Followers: %d, %v; want 1234", got, err)
	}
}

func TestVerify(t *testing.T) {
	f := newFixture(t)
	v := f.client(t).Verify(context.Background(), nine)
	if v.Verdict != networks.Verified || v.Message != "the Graph API accepts the token for @maison.exemple (17841400000000001); posts are found again by their caption among the account's recent media" {
		t.Errorf("Verify: %+v", v)
	}
	f.token = "EAAGwrongTOKEN"
	v = f.client(t).Verify(context.Background(), nine)
	if v.Verdict != networks.Rejected || !contains(v.Message, "HERALD_INSTA_TOKEN") || contains(v.Message, f.token) {
		t.Errorf("Verify with a wrong token: %+v", v)
	}
	f.token = f.srv.Token
	v = f.clientWithMediaURL(t, "").Verify(context.Background(), nine)
	if v.Verdict != networks.Unsure || !contains(v.Message, "media_url") {
		t.Errorf("Verify without media_url: %+v", v)
	}
}

func TestStatsMediaGone(t *testing.T) {
	f := newFixture(t)
	a := f.srv.AddMedia(instagramtest.Media{Caption: "a"})
	f.srv.SetCounts(a, n(2), n(0), n(5))
	got, err := f.client(t).Stats(context.Background(), []string{"17900000000099999", a})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]statsRow{{}, {Likes: n(2), Replies: n(0), Views: n(5)}}, rows(got)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}
