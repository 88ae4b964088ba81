package bluesky

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
	"github.com/herald-social/herald/pipeline/state"

	"github.com/google/go-cmp/cmp"
)

// postViewJSON is an app.bsky.feed.defs#postView as the AppView answers
// it, with the fields Stats does not read.
func postViewJSON(uri string, n int64) map[string]any {
	return map[string]any{
		"uri": uri, "cid": blueskytest.RecordCIDs[0],
		"author": map[string]any{"did": blueskytest.DID, "handle": blueskytest.Handle, "displayName": "Maison", "labels": []any{},
			"createdAt": "2024-01-01T00:00:00.000Z"},
		"record":        map[string]any{"$type": "app.bsky.feed.post", "text": "x", "createdAt": "2026-12-01T08:00:00.000Z"},
		"embed":         map[string]any{"$type": "app.bsky.embed.somethingNew#view", "x": 1},
		"bookmarkCount": 1, "replyCount": n, "repostCount": 2 * n, "likeCount": 3 * n, "quoteCount": 4 * n,
		"indexedAt": "2026-12-01T08:00:01.000Z", "labels": []any{},
		"viewer": map[string]any{"threadMuted": false},
	}
}

func TestStats(t *testing.T) {
	var batches [][]string
	appview := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/xrpc/app.bsky.feed.getPosts" {
			t.Errorf("%s %s, want GET /xrpc/app.bsky.feed.getPosts", r.Method, r.URL.Path)
		}
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("the AppView was sent Authorization %q: getPosts is public", a)
		}
		uris := r.URL.Query()["uris"]
		batches = append(batches, uris)
		var posts []any
		for i, u := range slices.Backward(uris) { // in another order than asked
			if u == blueskytest.AtURI("deleted") {
				continue
			}
			posts = append(posts, postViewJSON(u, int64(i)))
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"posts": posts})
	}))
	defer appview.Close()
	pds := blueskytest.NewPDS(t)
	c := newClient(t, pds.URL(), appview.URL, noCards(t))

	var ids []string
	for i := range 30 {
		ids = append(ids, blueskytest.AtURI(fmt.Sprintf("3k%011d", i)))
	}
	ids[27] = blueskytest.AtURI("deleted")
	counts, err := c.Stats(context.Background(), ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 2 || len(batches[0]) != 25 || len(batches[1]) != 5 {
		t.Fatalf("getPosts batches of %v URIs, want 25 then 5", lens(batches))
	}
	if diff := cmp.Diff(ids, slices.Concat(batches...)); diff != "" {
		t.Errorf("URIs asked (-ids +asked):\n%s", diff)
	}
	if len(counts) != 30 {
		t.Fatalf("%d counts for 30 ids", len(counts))
	}
	// The view of ids[i] was answered with n = its index in its batch.
	want := state.Counts{Likes: state.Count(9), Reposts: state.Count(6), Replies: state.Count(3), Quotes: state.Count(12)}
	if diff := cmp.Diff(want, counts[3]); diff != "" {
		t.Errorf("counts of ids[3] (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(state.Counts{Likes: state.Count(3), Reposts: state.Count(2), Replies: state.Count(1), Quotes: state.Count(4)}, counts[26]); diff != "" {
		t.Errorf("counts of ids[26] (-want +got):\n%s", diff)
	}
	if counts[27] != (state.Counts{}) {
		t.Errorf("a post the AppView does not return has counts %+v, want none", counts[27])
	}
	if counts[0].Views != nil {
		t.Error("Bluesky gives no views")
	}
	if len(pds.Calls("com.atproto.server.createSession")) != 0 {
		t.Error("Stats logged in: the AppView is public")
	}
}

func lens(batches [][]string) []int {
	var n []int
	for _, b := range batches {
		n = append(n, len(b))
	}
	return n
}

func TestFollowers(t *testing.T) {
	appview := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/xrpc/app.bsky.actor.getProfile" || r.URL.Query().Get("actor") != blueskytest.Handle {
			t.Errorf("%s %s, want GET /xrpc/app.bsky.actor.getProfile?actor=%s", r.Method, r.URL, blueskytest.Handle)
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"did":%q,"handle":%q,"followersCount":1234,"followsCount":56,"postsCount":78,"indexedAt":"2026-01-01T00:00:00.000Z"}`, blueskytest.DID, blueskytest.Handle)
	}))
	defer appview.Close()
	c := newClient(t, blueskytest.NewPDS(t).URL(), appview.URL, noCards(t))
	n, err := c.Followers(context.Background())
	if err != nil || n != 1234 {
		t.Errorf("Followers = %d, %v; want 1234", n, err)
	}
}
