package publish_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// countingStore counts the reads and writes of each file of the Store a
// channel is given.
type countingStore struct {
	networks.Store
	mu            *sync.Mutex
	reads, writes map[string]int
}

func (c countingStore) ReadFile(name string) ([]byte, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.Store.ReadFile(name)
}

func (c countingStore) WriteFile(name string, data []byte) error {
	c.mu.Lock()
	c.writes[name]++
	c.mu.Unlock()
	return c.Store.WriteFile(name, data)
}

// TestFeedReadAndWrittenOnce publishes a backlog of posts to a feed and
// an outbox in one run: the feed file is read once and written once, as
// the results commit is built once, and holds every post; each post has
// its outbox file.
func TestFeedReadAndWrittenOnce(t *testing.T) {
	files := channelCalendar()
	for i := 5; i < 40; i++ {
		files[fmt.Sprintf("posts/p%d.md", i)] = fmt.Sprintf("---\ndate: 2026-12-01 %02d:%02d\nnetworks: [outbox, feed]\ntags: [produit]\n---\nPost %d.\n", 5+i/60, i%60, i)
	}
	dir := newRepository(t, files)
	var mu sync.Mutex
	reads, writes := map[string]int{}, map[string]int{}
	opts := options(dir, newNetwork(t))
	opts.NoPush = true
	opts.Publishers = func(a *load.Account, env networks.Env) (networks.Publisher, error) {
		if env.Store != nil {
			env.Store = countingStore{Store: env.Store, mu: &mu, reads: reads, writes: writes}
		}
		return registry.Open(a, env)
	}
	rep := run(t, opts)
	published := 0
	for _, o := range rep.Outcomes {
		if o.What != "published" {
			t.Errorf("%s %s on %s: %v", o.What, o.PostID, o.Account, o.Err)
		}
		published++
	}
	if published != 80 || len(rep.Commits) != 2 {
		t.Fatalf("%d publications in commits %v, want 80 in 2", published, rep.Commits)
	}
	if reads["public/feed.xml"] != 1 || writes["public/feed.xml"] != 1 {
		t.Errorf("the feed was read %d times and written %d times for 40 posts, want once each", reads["public/feed.xml"], writes["public/feed.xml"])
	}
	feed := gittest.Git(t, dir, "show", "main:public/feed.xml")
	for i := range 40 {
		if n := strings.Count(feed, fmt.Sprintf("<id>tag:maison.example,2026:posts/p%d</id>", i)); n != 1 {
			t.Errorf("the feed has %d entries for posts/p%d, want 1", n, i)
		}
		if _, err := gittest.GitErr(t, dir, "cat-file", "-e", fmt.Sprintf("main:outbox/posts/p%d.json", i)); err != nil {
			t.Errorf("outbox/posts/p%d.json is not committed", i)
		}
	}
}
