package blueskytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
)

// AppView is a Bluesky AppView for tests: app.bsky.feed.getPosts and
// app.bsky.actor.getProfile as the lexicons define them, public (a
// request with Authorization fails the test), answering a postView for
// each URI given counts with SetLikes and the account's (Handle)
// followers with SetFollowers.
type AppView struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	likes     map[string]int64 // at:// URI → likes (reposts, replies, quotes derived)
	followers int64
	asked     [][]string // the uris of each getPosts call
	profiles  int
}

// NewAppView starts an AppView for the test, closed at its end.
func NewAppView(t testing.TB) *AppView {
	av := &AppView{t: t, likes: map[string]int64{}}
	av.srv = httptest.NewServer(http.HandlerFunc(av.serve))
	t.Cleanup(av.srv.Close)
	return av
}

// URL is the AppView's base URL, for the account's appview: field.
func (av *AppView) URL() string { return av.srv.URL }

// SetLikes makes the post at uri exist with n likes, n/2 reposts, one
// reply and no quote. A post never set is one the AppView leaves out, as
// it does a deleted post.
func (av *AppView) SetLikes(uri string, n int64) {
	av.mu.Lock()
	defer av.mu.Unlock()
	av.likes[uri] = n
}

// SetFollowers sets the account's followersCount.
func (av *AppView) SetFollowers(n int64) {
	av.mu.Lock()
	defer av.mu.Unlock()
	av.followers = n
}

// Asked returns the uris of each getPosts call, in order.
func (av *AppView) Asked() [][]string {
	av.mu.Lock()
	defer av.mu.Unlock()
	return slices.Clone(av.asked)
}

// Profiles returns how many times getProfile was called.
func (av *AppView) Profiles() int {
	av.mu.Lock()
	defer av.mu.Unlock()
	return av.profiles
}

func (av *AppView) serve(w http.ResponseWriter, r *http.Request) {
	av.mu.Lock()
	defer av.mu.Unlock()
	if r.Method != http.MethodGet {
		av.t.Errorf("AppView: %s %s, want GET", r.Method, r.URL)
	}
	if a := r.Header.Get("Authorization"); a != "" {
		av.t.Errorf("AppView: sent Authorization %q, but getPosts and getProfile are public", a)
	}
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/xrpc/app.bsky.feed.getPosts":
		uris := r.URL.Query()["uris"]
		if len(uris) == 0 || len(uris) > 25 {
			av.t.Errorf("AppView: getPosts with %d uris, want 1 to 25", len(uris))
		}
		av.asked = append(av.asked, uris)
		posts := []any{}
		for _, u := range uris {
			n, ok := av.likes[u]
			if !ok {
				continue // deleted: the AppView leaves it out
			}
			posts = append(posts, map[string]any{
				"uri": u, "cid": RecordCIDs[0],
				"author":    map[string]any{"did": DID, "handle": Handle},
				"record":    map[string]any{"$type": PostCollection, "text": "Jour.", "createdAt": "2026-12-01T08:00:00.000Z"},
				"likeCount": n, "repostCount": n / 2, "replyCount": 1, "quoteCount": 0,
				"indexedAt": "2026-12-01T08:00:01.000Z",
			})
		}
		json.NewEncoder(w).Encode(map[string]any{"posts": posts})
	case "/xrpc/app.bsky.actor.getProfile":
		if got := r.URL.Query().Get("actor"); got != Handle {
			av.t.Errorf("AppView: getProfile of %q, want %s", got, Handle)
		}
		av.profiles++
		fmt.Fprintf(w, `{"did":%q,"handle":%q,"followersCount":%d,"followsCount":3,"postsCount":9}`, DID, Handle, av.followers)
	default:
		av.t.Errorf("AppView: %s, want getPosts or getProfile", r.URL.Path)
		w.WriteHeader(http.StatusNotImplemented)
		fmt.Fprint(w, `{"error":"MethodNotImplemented","message":"not here"}`)
	}
}
