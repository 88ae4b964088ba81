package threads_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/threads/threadstest"
	"github.com/herald-social/herald/pipeline/state"
)

// TestStatsTwice: two reads give two samples; the replies of a thread's
// parts leave Herald's own parts out.
func TestStatsTwice(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	res, err := c.Publish(context.Background(), publication(networks.Part{Text: "Jour 1."}, networks.Part{Text: "Suite."}, networks.Part{Text: "Fin."}))
	if err != nil {
		t.Fatal(err)
	}
	root := res.IDs[0]
	f.srv.SetInsight(root, "views", 100)
	f.srv.SetInsight(root, "likes", 7)
	f.srv.AddPost(threadstest.Post{Text: "Bravo", ReplyTo: root, Username: "quelquun"})
	first, err := c.Stats(context.Background(), res.IDs)
	if err != nil {
		t.Fatal(err)
	}
	n := state.Count
	want := []state.Counts{
		{Views: n(100), Likes: n(7), Replies: n(1), Reposts: n(0), Quotes: n(0)},
		{Views: n(0), Likes: n(0), Replies: n(0), Reposts: n(0), Quotes: n(0)},
		{Views: n(0), Likes: n(0), Replies: n(0), Reposts: n(0), Quotes: n(0)},
	}
	if diff := cmp.Diff(want, first); diff != "" {
		t.Errorf("first Stats (-want +got):\n%s", diff)
	}
	f.srv.SetInsight(root, "views", 250)
	f.srv.SetInsight(root, "reposts", 2)
	f.srv.SetInsight(res.IDs[2], "quotes", 1)
	f.srv.AddPost(threadstest.Post{Text: "Merci", ReplyTo: res.IDs[2], Username: "autre"})
	second, err := c.Stats(context.Background(), res.IDs)
	if err != nil {
		t.Fatal(err)
	}
	want[0] = state.Counts{Views: n(250), Likes: n(7), Replies: n(2), Reposts: n(2), Quotes: n(0)}
	want[2] = state.Counts{Views: n(0), Likes: n(0), Replies: n(1), Reposts: n(0), Quotes: n(1)}
	if diff := cmp.Diff(want, second); diff != "" {
		t.Errorf("second Stats (-want +got):\n%s", diff)
	}
	for _, r := range f.srv.Requests() {
		if r.Endpoint == "insights" && r.Params.Get("metric") != "views,likes,replies,reposts,quotes" {
			t.Errorf("insights metric %q", r.Params.Get("metric"))
		}
	}
}

// TestStatsMissingMetric: a metric the answer lacks stays nil.
func TestStatsMissingMetric(t *testing.T) {
	f := newFixture(t)
	id := f.srv.AddPost(threadstest.Post{Text: "Jour 1."})
	f.srv.Queue("insights", threadstest.Reply{Body: `{"data":[{"name":"likes","period":"lifetime","values":[{"value":3}],"title":"likes","id":"x"}]}`})
	got, err := f.client(t).Stats(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]state.Counts{{Likes: state.Count(3)}}, got); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

func TestFollowers(t *testing.T) {
	f := newFixture(t)
	f.srv.Followers = 4321
	got, err := f.client(t).Followers(context.Background())
	if err != nil || got != 4321 {
		t.Errorf("Followers: %d, %v; want 4321", got, err)
	}
	if r := f.srv.Requests()[0]; r.Endpoint != "user_insights" || r.Params.Get("metric") != "followers_count" {
		t.Errorf("request %+v", r)
	}
}
