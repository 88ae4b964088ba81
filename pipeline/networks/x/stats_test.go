package x_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/x/xtest"
	"github.com/herald-social/herald/pipeline/state"
)

func TestStatsTwoSamples(t *testing.T) {
	srv, _, client := setup(t)
	id := srv.AddPost(xtest.Post{Text: "Jour 1."})
	gone := "1860000000000999999"
	c := client(&load.Account{Key: "x", Network: "x", UserID: srv.UserID}, nil)

	srv.SetMetrics(id, 3, 1, 2, 0, 120)
	first, err := c.Stats(context.Background(), []string{id, gone})
	if err != nil {
		t.Fatal(err)
	}
	srv.SetMetrics(id, 10, 4, 5, 1, 900)
	second, err := c.Stats(context.Background(), []string{id, gone})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]state.Counts{
		{{Likes: state.Count(3), Reposts: state.Count(1), Replies: state.Count(2), Quotes: state.Count(0), Views: state.Count(120)}, {}},
		{{Likes: state.Count(10), Reposts: state.Count(4), Replies: state.Count(5), Quotes: state.Count(1), Views: state.Count(900)}, {}},
	}
	if diff := cmp.Diff(want, [][]state.Counts{first, second}); diff != "" {
		t.Errorf("samples (-want +got):\n%s", diff)
	}
}

func TestStatsInBatchesOf100(t *testing.T) {
	srv, _, client := setup(t)
	var ids []string
	for i := range 150 {
		ids = append(ids, srv.AddPost(xtest.Post{Text: "post " + strconv.Itoa(i)}))
	}
	srv.SetMetrics(ids[149], 7, 0, 0, 0, 70)
	counts, err := client(nil, nil).Stats(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 150 || counts[149].Likes == nil || *counts[149].Likes != 7 || counts[0].Views == nil {
		t.Errorf("counts %d, last %+v", len(counts), counts[len(counts)-1])
	}
	if diff := cmp.Diff([]string{"GET /2/tweets", "GET /2/tweets"}, srv.Routes()); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	if n := len(srv.Requests()[0].Query["ids"][0]); n != 100*19+99 {
		t.Errorf("the first batch's ids are %d characters, want 100 ids", n)
	}
}

func TestFollowers(t *testing.T) {
	srv, _, client := setup(t)
	srv.Followers = 4321
	n, err := client(nil, nil).Followers(context.Background())
	if err != nil || n != 4321 {
		t.Errorf("Followers: %d, %v", n, err)
	}
}
