package linkedin_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks/linkedin"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func durations(ds []time.Duration) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// TestLookupAfterCrash: a run posts and dies before its journal; the
// next run's client finds the post among the author's recent ones, by
// its commentary, and nothing is posted again.
func TestLookupAfterCrash(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t, "posts/avent-1.md")
	f.srv.AddPost(linkedin.Escape("Un autre post."), nine)
	first, err := f.client(t, f.srv.Token).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.AddPost(linkedin.Escape("Plus récent."), nine.Add(5*time.Minute))
	f.clk.Advance(15 * time.Minute)
	// LinkedIn's trouble on a read is retried.
	f.srv.Queue("posts.finder", linkedintest.Reply{Status: 503, Body: `{"status":503,"message":"Service Unavailable"}`})
	got, found, err := f.client(t, f.srv.Token).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup = %v, %v, want found", found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("found (-published +found):\n%s", diff)
	}
	if n := len(f.srv.Posts()); n != 3 {
		t.Errorf("%d posts, want 3", n)
	}
	r := f.srv.Requests()[len(f.srv.Requests())-1]
	if r.Route != "posts.finder" || !strings.Contains(r.Query, "author=urn%3Ali%3Aorganization%3A2414183&q=author") || r.Header.Get("X-RestLi-Method") != "FINDER" {
		t.Errorf("finder request %+v", r)
	}
}

func TestLookupNotFound(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t, "posts/avent-1.md")
	// The same text, posted two days before the post's date: not this one.
	f.srv.AddPost(linkedin.Escape(text), nine.Add(-48*time.Hour))
	f.srv.AddPost(linkedin.Escape("Autre chose."), nine)
	_, found, err := f.client(t, f.srv.Token).Lookup(context.Background(), p)
	if err != nil || found {
		t.Errorf("Lookup = %v, %v, want not found", found, err)
	}
}

// TestLookupImages: a post is found with its images, and a post of the
// same text without them is not it.
func TestLookupImages(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t, "posts/images.md")
	f.srv.AddPost(linkedin.Escape(p.Parts[0].Text), f.clk.Now())
	_, found, err := f.client(t, f.srv.Token).Lookup(context.Background(), p)
	if err != nil || found {
		t.Fatalf("Lookup before publishing = %v, %v, want not found", found, err)
	}
	res, err := f.client(t, f.srv.Token).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	got, found, err := f.client(t, f.srv.Token).Lookup(context.Background(), p)
	if err != nil || !found || !cmp.Equal(got, res) {
		t.Errorf("Lookup = %+v, %v, %v, want %+v", got, found, err, res)
	}
}
