package feed

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
)

// countingStore counts the reads and writes of each file.
type countingStore struct {
	networks.Store
	mu            sync.Mutex
	reads, writes map[string]int
}

func newCountingStore(s networks.Store) *countingStore {
	return &countingStore{Store: s, reads: map[string]int{}, writes: map[string]int{}}
}

func (c *countingStore) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.Store.ReadFile(name)
}

func (c *countingStore) WriteFile(name string, data []byte) error {
	c.mu.Lock()
	c.writes[name]++
	c.mu.Unlock()
	return c.Store.WriteFile(name, data)
}

// backlog is a calendar of n feed posts, one a day from 2026-01-01, and
// their publications, oldest first.
func backlog(t *testing.T, n int, a *load.Account) (string, []networks.Publication) {
	files := map[string]string{}
	for i := range n {
		when := time.Date(2026, 1, 1, 9, 0, 0, 0, cet).AddDate(0, 0, i)
		files[fmt.Sprintf("posts/p%03d.md", i)] = fmt.Sprintf("---\ndate: %s\nnetworks: [feed]\ntags: [produit]\n---\nPost %d.\n", when.Format(time.RFC3339), i)
	}
	root := channeltest.Calendar(t, files)
	var pubs []networks.Publication
	for i := range n {
		pubs = append(pubs, channeltest.Publication(t, root, fmt.Sprintf("posts/p%03d.md", i), a, time.Date(2027, 1, 1, 0, 0, 0, 0, cet)))
	}
	return root, pubs
}

// entryPosts lists the posts of the feed's entries, in the file's order.
func entryPosts(t *testing.T, root string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "public", "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range validate(t, data).Entries {
		id := strings.Join(e.ID, "")
		ids = append(ids, id[strings.LastIndex(id, "/")+1:])
	}
	return ids
}

// One PublishAll of a backlog reads the feed once and writes it once,
// and every publication gets its entry's id.
func TestPublishAllReadsAndWritesOnce(t *testing.T) {
	root, pubs := backlog(t, 30, account)
	store := newCountingStore(networks.DirStore{Root: root})
	f, err := New(account, Options{Store: store, Brand: "Maison Exemple"})
	if err != nil {
		t.Fatal(err)
	}
	results, errs := f.PublishAll(context.Background(), pubs)
	if len(results) != len(pubs) || len(errs) != len(pubs) {
		t.Fatalf("PublishAll of %d publications returned %d results, %d errors", len(pubs), len(results), len(errs))
	}
	for i, err := range errs {
		want := fmt.Sprintf("tag:maison-exemple.fr,2026:posts/p%03d", i)
		if err != nil || len(results[i].IDs) != 1 || results[i].IDs[0] != want || len(results[i].Files) != 1 {
			t.Errorf("publication %d: %+v, %v; want %s in public/feed.xml", i, results[i], err, want)
		}
	}
	if store.reads["public/feed.xml"] != 1 || store.writes["public/feed.xml"] != 1 {
		t.Errorf("the feed was read %d times and written %d times, want once each", store.reads["public/feed.xml"], store.writes["public/feed.xml"])
	}
	if got := entryPosts(t, root); len(got) != 30 || got[0] != "p029" || got[29] != "p000" {
		t.Errorf("entries %v, want the 30 posts newest first", got)
	}
}

// A publication that cannot be rendered fails alone; the others go out.
func TestPublishAllFailsOneAlone(t *testing.T) {
	root, pubs := backlog(t, 3, account)
	f, _ := New(account, Options{Store: networks.DirStore{Root: root}})
	pubs[1].PostID = "../p001"
	results, errs := f.PublishAll(context.Background(), pubs)
	if errs[0] != nil || errs[2] != nil || networks.KindOf(errs[1]) != networks.Permanent || len(results[1].IDs) != 0 {
		t.Fatalf("errors %v, results %+v: want only the second to fail, permanently", errs, results)
	}
	if got := entryPosts(t, root); strings.Join(got, " ") != "p002 p000" {
		t.Errorf("entries %v, want p002 p000", got)
	}
	// A feed that cannot be written fails them all.
	store := channeltest.NewStore(root)
	store.FailOn = "public/feed.xml"
	f, _ = New(&load.Account{Key: "feed", Network: "feed", Path: "public/feed.xml", Title: "Maison Exemple", Link: "https://maison-exemple.fr", MaxEntries: 5}, Options{Store: store})
	edited := pubs[0]
	edited.Parts = []networks.Part{{Text: "Changed."}}
	if _, errs := f.PublishAll(context.Background(), []networks.Publication{edited, pubs[2]}); errs[0] == nil {
		t.Errorf("the write failed, and the changed entry did not: %v", errs)
	}
}

// The feed keeps its newest max_entries entries, 100 by default, whether
// they come in one call or one by one, and in whatever order.
func TestKeepsNewestEntries(t *testing.T) {
	ctx := context.Background()
	t.Run("default", func(t *testing.T) {
		root, pubs := backlog(t, DefaultMaxEntries+20, account)
		f, _ := New(account, Options{Store: networks.DirStore{Root: root}})
		if f.MaxEntries() != 100 {
			t.Errorf("MaxEntries() = %d, want 100", f.MaxEntries())
		}
		// Newest first, then the older ones: these fall off at once.
		for i := len(pubs) - 1; i >= 0; i-- {
			if _, err := f.Publish(ctx, pubs[i]); err != nil {
				t.Fatal(err)
			}
		}
		got := entryPosts(t, root)
		if len(got) != 100 || got[0] != "p119" || got[99] != "p020" {
			t.Errorf("%d entries from %s to %s, want the newest 100: p119 to p020", len(got), got[0], got[len(got)-1])
		}
	})
	t.Run("max_entries", func(t *testing.T) {
		a := *account
		a.MaxEntries = 3
		root, pubs := backlog(t, 8, &a)
		f, _ := New(&a, Options{Store: networks.DirStore{Root: root}})
		// An older batch, then a newer one: the file keeps the 3 newest.
		_, errs := f.PublishAll(ctx, []networks.Publication{pubs[4], pubs[0], pubs[2], pubs[1], pubs[3]})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := strings.Join(entryPosts(t, root), " "); got != "p004 p003 p002" {
			t.Errorf("entries %s, want p004 p003 p002", got)
		}
		_, errs = f.PublishAll(ctx, pubs[5:])
		if errs[0] != nil {
			t.Fatal(errs[0])
		}
		if got := strings.Join(entryPosts(t, root), " "); got != "p007 p006 p005" {
			t.Errorf("entries %s, want p007 p006 p005", got)
		}
	})
	t.Run("refused", func(t *testing.T) {
		a := *account
		a.MaxEntries = -1
		if _, err := New(&a, Options{Store: networks.DirStore{Root: t.TempDir()}}); err == nil || !strings.Contains(err.Error(), "max_entries") {
			t.Errorf("New with max_entries -1 = %v, want an error naming max_entries", err)
		}
	})
}
