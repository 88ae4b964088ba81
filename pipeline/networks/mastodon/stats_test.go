package mastodon_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/state"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

func TestStatsAndFollowers(t *testing.T) {
	for _, batch := range []bool{true, false} {
		t.Run(fmt.Sprintf("batch %v", batch), func(t *testing.T) {
			f := newFixture(t)
			f.srv.NoBatchStats = !batch
			var ids []string
			for i := range 23 {
				ids = append(ids, f.srv.AddStatus(mastodontest.Status{Text: fmt.Sprint(i)}))
			}
			f.srv.SetCounts(ids[0], 12, 3, 2, nil)
			f.srv.SetCounts(ids[22], 1, 0, 0, state.Count(4))
			ids = append(ids, "113999999999999999") // deleted
			counts, err := f.client(t).Stats(context.Background(), ids)
			if err != nil {
				t.Fatal(err)
			}
			if len(counts) != 24 {
				t.Fatalf("%d counts, want 24", len(counts))
			}
			c := state.Count
			want := []state.Counts{
				{Likes: c(12), Reposts: c(3), Replies: c(2)},
				{Likes: c(0), Reposts: c(0), Replies: c(0)},
			}
			if diff := cmp.Diff(want, counts[:2]); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(state.Counts{Likes: c(1), Reposts: c(0), Replies: c(0), Quotes: c(4)}, counts[22]); diff != "" {
				t.Errorf("quotes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(state.Counts{}, counts[23]); diff != "" {
				t.Errorf("a deleted status (-want +got):\n%s", diff)
			}
			routes := f.srv.Routes()
			if batch && (len(routes) != 2 || routes[0] != "GET /api/v1/statuses") {
				t.Errorf("requests %v, want 2 batches (20 + 4)", routes)
			}
			if !batch && len(routes) != 25 {
				t.Errorf("%d requests, want the batch then one per id", len(routes))
			}
		})
	}
	f := newFixture(t)
	if n, err := f.client(t).Followers(context.Background()); err != nil || n != 1234 {
		t.Errorf("Followers = %d, %v; want 1234", n, err)
	}
}

func TestFacts(t *testing.T) {
	f := newFixture(t)
	f.srv.MaxCharacters, f.srv.DescriptionLimit = 11000, 4000
	facts, err := f.client(t).Facts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := netspec.Facts{Server: f.srv.URL, Version: "4.5.0", FetchedAt: f.clk.Now().UTC().Truncate(time.Second),
		MaxCharacters: 11000, CharactersReservedPerURL: 23, MaxMediaAttachments: 4, DescriptionLimit: 4000,
		SupportedMIMETypes: []string{"image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4"},
		ImageSizeLimit:     16777216, VideoSizeLimit: 103809024}
	if diff := cmp.Diff(want, facts); diff != "" {
		t.Errorf("Facts (-want +got):\n%s", diff)
	}
	def, _ := netspec.Lookup("mastodon")
	spec := facts.Apply(def)
	if spec.TextLimit != 11000 || spec.AltTextLimit != 4000 || spec.MaxMedia != 4 || spec.Image.MaxBytes != 16777216 ||
		!cmp.Equal(spec.Video.Types, []string{"video/mp4"}) {
		t.Errorf("Apply = %+v", spec)
	}
}
