package publish_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// backlogPosts is the backlog: 10,000 due posts, each on a feed
// and an outbox. HERALD_BACKLOG_POSTS sets another number (to compare a
// smaller run with the code before a change).
func backlogPosts(b *testing.B) int {
	if s := os.Getenv("HERALD_BACKLOG_POSTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("HERALD_BACKLOG_POSTS=%q: want a number of posts", s)
		}
		return n
	}
	return 10_000
}

// backlogCalendar has n posts, one a minute before now and all within
// max_lateness, each due on the feed and the outbox.
func backlogCalendar(n int, now time.Time) map[string]string {
	files := map[string]string{
		"charter.yaml": `brand: Maison Test
timezone: UTC
locale: fr-FR
accounts:
  outbox: {network: outbox, dir: outbox}
  feed:   {network: feed, path: public/feed.xml, title: Maison Test, link: https://maison.example}
editorial_line:
  produit: {description: Nos créations}
cadence:
  max_lateness: 8760h
`,
	}
	for i := range n {
		when := now.Add(-time.Duration(n-i) * time.Minute)
		files[fmt.Sprintf("posts/%03d/p%05d.md", i/1000, i)] = fmt.Sprintf("---\ndate: %s\nnetworks: [outbox, feed]\ntags: [produit]\n---\nPost %d of the backlog.\n",
			when.Format("2006-01-02 15:04"), i)
	}
	return files
}

// BenchmarkBacklog is the first publish of a backlog of due posts to a
// feed and an outbox, in one run, with local commits in a git repository:
// the target is under 30 s for 10,000 posts. Each iteration
// publishes the whole backlog into a fresh copy of the repository.
func BenchmarkBacklog(b *testing.B) {
	n := backlogPosts(b)
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	files := backlogCalendar(n, now)
	b.Run(fmt.Sprintf("posts=%d", n), func(b *testing.B) {
		// The run's own time, without making the repository: wall time,
		// and this process's CPU time (user and system), which says more
		// on a machine shared with others.
		var wall, cpu time.Duration
		for b.Loop() {
			b.StopTimer()
			dir := filepath.Join(b.TempDir(), "calendar")
			gittest.WriteFiles(b, dir, files)
			gittest.Git(b, dir, "init", "-q", "-b", "main")
			gittest.Git(b, dir, "add", "-A")
			gittest.Git(b, dir, "commit", "-q", "-m", "the calendar")
			b.StartTimer()
			start, cpuStart := time.Now(), processCPU()
			rep, err := publish.Run(context.Background(), publish.Options{
				Dir: dir, Now: now, NoPush: true,
				Wall:   func() time.Time { return now },
				Getenv: func(string) string { return "" },
			})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			wall += time.Since(start)
			cpu += processCPU() - cpuStart
			published := 0
			for _, o := range rep.Outcomes {
				if o.What != "published" {
					b.Fatalf("%s %s on %s (%v): want every post published", o.What, o.PostID, o.Account, o.Err)
				}
				published++
			}
			if published != 2*n {
				b.Fatalf("%d publications, want %d", published, 2*n)
			}
			feed, err := os.ReadFile(filepath.Join(dir, "public/feed.xml"))
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("%d posts published to the feed and the outbox in %v (%v of CPU); the feed has %d entries",
				n, time.Since(start).Round(time.Millisecond), (processCPU() - cpuStart).Round(time.Millisecond), strings.Count(string(feed), "<entry"))
			b.StartTimer()
		}
		b.ReportMetric(wall.Seconds()/float64(b.N), "run-s/op")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "run-cpu-s/op")
	})
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
