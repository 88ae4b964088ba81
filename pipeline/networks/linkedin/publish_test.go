package linkedin_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
	"github.com/herald-social/herald/pipeline/networks/linkedin/linkedintest"
)

// TestPublishText: the commentary arrives escaped, and LinkedIn shows
// exactly the text preview showed.
func TestPublishText(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t, "posts/avent-1.md")
	res, err := f.client(t, f.srv.Token).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 1 {
		t.Fatalf("%d posts, want 1", len(posts))
	}
	// The rendered text (render drops the Markdown emphasis) keeps the
	// characters LinkedIn reserves.
	want := "L'Avent commence (enfin) : #NoelMaison avec @atelier, une case par jour_ [1/24] {bientôt} <3 ~ | \\o/"
	if p.Parts[0].Text != want || posts[0].Text != want {
		t.Errorf("rendered %q, LinkedIn shows %q, want both %q", p.Parts[0].Text, posts[0].Text, want)
	}
	wantRes := networks.Result{IDs: []string{posts[0].ID}, URLs: []string{"https://www.linkedin.com/feed/update/" + posts[0].ID + "/"}}
	if diff := cmp.Diff(wantRes, res); diff != "" {
		t.Errorf("result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"posts.create"}, f.srv.Calls()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	r := f.srv.Requests()[0]
	if r.Body["visibility"] != "PUBLIC" || r.Body["lifecycleState"] != "PUBLISHED" || r.Body["isReshareDisabledByAuthor"] != false {
		t.Errorf("body %v", r.Body)
	}
}

// TestPublishJoinsParts: LinkedIn has no threads: the parts go out as
// one post, a blank line between them.
func TestPublishJoinsParts(t *testing.T) {
	f := newFixture(t)
	p := f.publication(t, "posts/avent-1.md")
	p.Parts = []networks.Part{{Text: "Premier."}, {Text: "Second (fin)."}}
	if _, err := f.client(t, f.srv.Token).Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if posts := f.srv.Posts(); len(posts) != 1 || posts[0].Text != "Premier.\n\nSecond (fin)." {
		t.Errorf("posts %+v, want one with both parts", posts)
	}
}

func TestPublishImage(t *testing.T) {
	tests := []struct {
		name, post string
		multi      bool
		alts       []string
		data       []string
	}{
		{"one image is content.media", "posts/image.md", false, []string{"Une boîte de l'Avent ouverte"}, []string{"image data"}},
		{"two images are a multiImage", "posts/images.md", true, []string{"Une boîte de l'Avent ouverte", "Le sapin de l'atelier"},
			[]string{"image data", "second image"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if _, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, tt.post)); err != nil {
				t.Fatal(err)
			}
			posts := f.srv.Posts()
			if len(posts) != 1 {
				t.Fatalf("%d posts, want 1", len(posts))
			}
			if posts[0].Multi != tt.multi {
				t.Errorf("multiImage %v, want %v", posts[0].Multi, tt.multi)
			}
			if diff := cmp.Diff(tt.alts, posts[0].AltTexts); diff != "" {
				t.Errorf("alt texts (-want +got):\n%s", diff)
			}
			var data []string
			for _, urn := range posts[0].Images {
				im, _ := f.srv.Image(urn)
				data = append(data, string(im.Data[len(channeltest.PNG):]))
				if im.Owner != f.srv.Author {
					t.Errorf("image %s owned by %s", urn, im.Owner)
				}
			}
			if diff := cmp.Diff(tt.data, data); diff != "" {
				t.Errorf("uploaded bytes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRateLimited: a 429 with Retry-After is waited out, then the post
// is sent (LinkedIn did not process it).
func TestRateLimited(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("posts.create", linkedintest.Reply{Status: 429, Header: map[string]string{"Retry-After": "30"},
		Body: `{"status":429,"code":"TOO_MANY_REQUESTS","message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}`})
	if _, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/avent-1.md")); err != nil {
		t.Fatal(err)
	}
	if n := len(f.srv.Posts()); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	if diff := cmp.Diff([]string{"30s"}, durations(f.clk.Slept())); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

// TestServerErrorIsNotResent: a 500 may come after LinkedIn made the
// post: the POST is not sent again, the failure is Transient.
func TestServerErrorIsNotResent(t *testing.T) {
	f := newFixture(t)
	f.srv.Queue("posts.create", linkedintest.Reply{Status: 500, Body: `{"status":500,"message":"Internal Server Error"}`})
	_, err := f.client(t, f.srv.Token).Publish(context.Background(), f.publication(t, "posts/avent-1.md"))
	if networks.KindOf(err) != networks.Transient {
		t.Errorf("error %v, want transient", err)
	}
	if n := len(f.srv.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestExpiredToken: a 401 says the token is refused, why and what to do,
// without the token.
func TestExpiredToken(t *testing.T) {
	f := newFixture(t)
	expired := "AQV-expired-token-of-sixty-days"
	_, err := f.client(t, expired).Publish(context.Background(), f.publication(t, "posts/avent-1.md"))
	if networks.KindOf(err) != networks.Permanent || !networks.RejectedCredential(err) {
		t.Fatalf("error %v, want a permanent 401", err)
	}
	for _, want := range []string{"Invalid access token", "60 days", "HERALD_LINKEDIN_TOKEN"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if contains(err.Error(), expired) {
		t.Errorf("error %q holds the token", err)
	}
	if n := len(f.srv.Posts()); n != 0 {
		t.Errorf("%d posts", n)
	}
}
