package linkedin_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
	"github.com/herald-social/herald/pipeline/state"
)

// TestStatsOrganization: two samples of an organization's post, from its
// share statistics; LinkedIn has no quotes.
func TestStatsOrganization(t *testing.T) {
	f := newFixture(t)
	res, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/avent-1.md"))
	if err != nil {
		t.Fatal(err)
	}
	id := res.IDs[0]
	for _, s := range [][4]int64{{3, 1, 0, 120}, {8, 2, 1, 410}} {
		f.srv.Engage(id, s[0], s[1], s[2], s[3])
		got, err := f.client(t, f.srv.Token).Stats(context.Background(), []string{id, "urn:li:share:1"})
		if err != nil {
			t.Fatal(err)
		}
		want := []state.Counts{{Likes: state.Count(s[0]), Replies: state.Count(s[1]), Reposts: state.Count(s[2]), Views: state.Count(s[3])}, {}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("counts (-want +got):\n%s", diff)
		}
	}
	r := f.srv.Requests()[len(f.srv.Requests())-1]
	if want := "q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183&shares=List(urn%3Ali%3Ashare%3A"; !contains(r.Query, want) {
		t.Errorf("query %q, want it to start %q", r.Query, want)
	}
}

// TestStatsMember: a member's post has likes and comments
// (socialActions); a refused read is Unsupported.
func TestStatsMember(t *testing.T) {
	f := newFixture(t)
	f.srv.Author = "urn:li:person:5abc_dEfgH"
	f.account.Author = f.srv.Author
	res, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/avent-1.md"))
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Engage(res.IDs[0], 5, 2, 9, 99)
	got, err := f.client(t, f.srv.Token).Stats(context.Background(), res.IDs)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]state.Counts{{Likes: state.Count(5), Replies: state.Count(2)}}, got); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	f.srv.Queue("socialActions", linkedintest.Reply{Status: 403, Body: `{"status":403,"code":"ACCESS_DENIED","message":"Not enough permissions to access: socialActions.GET"}`})
	if _, err := f.client(t, f.srv.Token).Stats(context.Background(), res.IDs); networks.KindOf(err) != networks.Unsupported {
		t.Errorf("Stats refused: %v, want unsupported", err)
	}
	f.srv.Queue("posts.finder", linkedintest.Reply{Status: 403, Body: `{"status":403,"code":"ACCESS_DENIED","message":"Not enough permissions to access: partnerApiPostsExternal.FINDER-author"}`})
	if _, _, err := f.client(t, f.srv.Token).Lookup(context.Background(), f.publication(t, "posts/avent-1.md")); err == nil || !contains(err.Error(), "r_member_social") {
		t.Errorf("Lookup refused: %v, want an error naming r_member_social", err)
	}
	if _, err := f.client(t, f.srv.Token).Followers(context.Background()); networks.KindOf(err) != networks.Unsupported {
		t.Errorf("Followers of a member: %v, want unsupported", err)
	}
}

func TestFollowers(t *testing.T) {
	f := newFixture(t)
	n, err := f.client(t, f.srv.Token).Followers(context.Background())
	if err != nil || n != f.srv.Followers {
		t.Errorf("Followers = %d, %v, want %d", n, err, f.srv.Followers)
	}
}
