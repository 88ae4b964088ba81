package threads_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/threads/threadstest"
)

// TestLookupAfterCrash: a thread posted by one client is found whole by
// a new one, and publishing it again posts nothing.
func TestLookupAfterCrash(t *testing.T) {
	f := newFixture(t)
	p := publication(networks.Part{Text: "Jour 1 : la boîte."}, networks.Part{Text: "Une case par jour."})
	// Someone else's reply, and a post of another day with other text.
	f.srv.AddPost(threadstest.Post{Text: "Un autre jour.", Timestamp: nine.Add(-48 * time.Hour)})
	first, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.AddPost(threadstest.Post{Text: "Une case par jour.", ReplyTo: first.IDs[0], Username: "quelquun"})

	got, found, err := f.client(t).Lookup(context.Background(), p)
	if err != nil || !found {
		t.Fatalf("Lookup: found %v, %v", found, err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Lookup (-want +got):\n%s", diff)
	}
	before, calls := len(f.srv.Posts()), len(f.srv.Calls())
	again, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.srv.Posts()) != before || !cmp.Equal(again.IDs, first.IDs) {
		t.Errorf("publishing again made %d posts, ids %v, want none and %v", len(f.srv.Posts())-before, again.IDs, first.IDs)
	}
	if diff := cmp.Diff([]string{"GET threads", "GET replies"}, f.srv.Calls()[calls:]); diff != "" {
		t.Errorf("calls of the second Publish (-want +got):\n%s", diff)
	}
}

func TestLookupNotFound(t *testing.T) {
	f := newFixture(t)
	f.srv.AddPost(threadstest.Post{Text: "Jour 1 : la boîte !"}) // not exactly the text
	_, found, err := f.client(t).Lookup(context.Background(), publication(networks.Part{Text: "Jour 1 : la boîte."}))
	if err != nil || found {
		t.Errorf("Lookup: found %v, %v; want not found", found, err)
	}
}

// TestPublishFinishesThread: a thread whose first part went out is
// finished, its next part replying to it.
func TestPublishFinishesThread(t *testing.T) {
	f := newFixture(t)
	root := f.srv.AddPost(threadstest.Post{Text: "Jour 1 : la boîte."})
	p := publication(networks.Part{Text: "Jour 1 : la boîte."}, networks.Part{Text: "Une case par jour."})
	if _, found, err := f.client(t).Lookup(context.Background(), p); err != nil || found {
		t.Fatalf("Lookup of half a thread: found %v, %v; want not found", found, err)
	}
	res, err := f.client(t).Publish(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	posts := f.srv.Posts()
	if len(posts) != 2 || posts[1].ReplyTo != root || posts[1].Text != "Une case par jour." {
		t.Fatalf("posts %+v, want the second part replying to %s", posts, root)
	}
	if diff := cmp.Diff([]string{root, posts[1].ID}, res.IDs); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// TestLookupPages: the profile's threads are read page after page.
func TestLookupPages(t *testing.T) {
	f := newFixture(t)
	id := f.srv.AddPost(threadstest.Post{Text: "Jour 1."})
	for range 120 {
		f.srv.AddPost(threadstest.Post{Text: "Plus tard."})
	}
	got, found, err := f.client(t).Lookup(context.Background(), publication(networks.Part{Text: "Jour 1."}))
	if err != nil || !found || got.IDs[0] != id {
		t.Errorf("Lookup: %v %v %v, want %s", got, found, err, id)
	}
	reqs := f.srv.Requests()
	if len(reqs) != 2 || reqs[1].Params.Get("after") != "cursor-100" {
		t.Errorf("requests %+v, want a second page after the first 100", reqs)
	}
}
