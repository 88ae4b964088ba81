package publish_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/publication"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/check/bench"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
)

// The speed target: on a calendar of 10,000 posts with 10,000
// state files and 5,000 commits of history, a run with nothing due
// finishes in under 1 s.
const (
	benchPosts   = 10_000
	benchCommits = 5_000
)

// BenchmarkNothingDue runs herald publish on check's benchmark calendar
// (bench.Generate) where every post before now is journaled published, in
// a repository of 5,000 commits: locally (--no-push), and from a CI
// checkout that fetches from its remote first.
func BenchmarkNothingDue(b *testing.B) {
	remote, now := benchRepository(b)
	clone := filepath.Join(b.TempDir(), "ci")
	if keep := os.Getenv("HERALD_PUBLISH_BENCH_KEEP"); keep != "" {
		// To time the herald binary on it: the clone is kept there.
		clone = keep
	}
	gittest.Git(b, filepath.Dir(clone), "clone", "-q", remote, clone)
	b.Logf("herald publish --now %s in %s", now.Format(time.RFC3339), clone)
	// What the check publish runs takes of it, for comparison.
	b.Run("check", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := check.Run(context.Background(), check.Options{Dir: clone, KeepPosts: true, SkipPublished: true}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// herald check, whose post.edited-after-publish renders each
	// published post for each account it went to.
	b.Run("herald-check", func(b *testing.B) {
		defer reportCPU(b)()
		for b.Loop() {
			if _, err := check.Run(context.Background(), check.Options{Dir: clone}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, noPush := range []bool{true, false} {
		b.Run(map[bool]string{true: "local", false: "fetch"}[noPush], func(b *testing.B) {
			n := newFakeNetwork(b.Errorf, nil)
			opts := publish.Options{
				Dir:        clone,
				Now:        now,
				NoPush:     noPush,
				Wall:       func() time.Time { return now },
				Publishers: n.publishers(),
				Getenv:     func(string) string { return "" },
			}
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				rep, err := publish.Run(context.Background(), opts)
				if err != nil {
					b.Fatal(err)
				}
				for _, o := range rep.Outcomes {
					if o.What != "skipped" {
						b.Fatalf("%s %s on %s: want nothing due", o.What, o.PostID, o.Account)
					}
				}
				if len(rep.Commits) != 0 {
					b.Fatalf("commits %v", rep.Commits)
				}
			}
		})
	}
}

// reportCPU reports the process's CPU time (user and system) per
// operation: on a shared machine, wall time says more about the others.
func reportCPU(b *testing.B) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.ReportMetric(float64((cpu()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// benchRepository makes a bare repository holding check's benchmark
// calendar of 10,000 posts, with a state file for each post that journals
// it published on its accounts when it is due before now (the middle of
// the calendar), and 5,000 commits of history: the calendar, then commits
// of engagement samples, two state files each, as herald stats makes them.
func benchRepository(b *testing.B) (string, time.Time) {
	b.Helper()
	start := time.Now()
	dir := filepath.Join(b.TempDir(), "calendar")
	if err := bench.Generate(dir, benchPosts, 1); err != nil {
		b.Fatal(err)
	}
	res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
	if err != nil || len(res.Calendars) != 1 {
		b.Fatalf("check: %v", err)
	}
	cal := res.Calendars[0]
	var dates []time.Time
	for _, p := range cal.Posts {
		if !p.When.IsZero() {
			dates = append(dates, p.When)
		}
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	now := dates[len(dates)/2].Add(time.Minute)

	files := map[string][]byte{}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	var statePaths []string
	for _, p := range cal.Posts {
		f := &state.File{Accounts: map[string]*state.Account{}}
		for _, n := range p.Networks {
			acct := cal.Charter.Accounts[n.Value]
			if acct == nil || p.When.IsZero() || !p.When.Before(now) {
				continue
			}
			a := f.Account(n.Value)
			if pub, err := publication.New(p.Post, acct, os.DirFS(dir), p.When, cal.Charter.Locale); err == nil {
				a.Begin("bench", pub.IdempotencyKey, pub.Digest, p.When, publish.DefaultLease)
			}
			r := resultOf(p.ID)
			a.Publish(r.IDs, r.URLs, p.When)
		}
		name, err := state.Path(p.ID)
		if err != nil {
			b.Fatal(err)
		}
		if files[name], err = state.Encode(f); err != nil {
			b.Fatal(err)
		}
		statePaths = append(statePaths, name)
	}
	sort.Strings(statePaths)

	// The history, through git fast-import.
	var stream bytes.Buffer
	w := bufio.NewWriter(&stream)
	data := func(content []byte) { fmt.Fprintf(w, "data %d\n", len(content)); w.Write(content); w.WriteString("\n") }
	t0 := now.Add(-time.Duration(benchCommits) * time.Hour).Unix()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for c := range benchCommits {
		fmt.Fprintf(w, "commit refs/heads/main\ncommitter herald <herald@users.noreply.github.com> %d +0000\n", t0+int64(c)*3600)
		switch c {
		case 0:
			data([]byte("the calendar"))
			for _, name := range names {
				fmt.Fprintf(w, "M 100644 inline %s\n", name)
				data(files[name])
			}
		case benchCommits - 1:
			// Every state file as it ends up.
			data([]byte("herald: stats"))
			for _, name := range statePaths {
				fmt.Fprintf(w, "M 100644 inline %s\n", name)
				data(files[name])
			}
		default:
			data([]byte(fmt.Sprintf("herald: stats, run %d", c)))
			for k := range 2 {
				name := statePaths[(c*2+k)*7919%len(statePaths)]
				fmt.Fprintf(w, "M 100644 inline %s\n", name)
				data(append(bytes.Clone(files[name]), bytes.Repeat([]byte(" "), c%3)...))
			}
		}
	}
	w.Flush()

	bare := filepath.Join(b.TempDir(), "calendar.git")
	gittest.Git(b, filepath.Dir(bare), "init", "-q", "--bare", "-b", "main", bare)
	cmd := exec.Command("git", "fast-import", "--quiet")
	cmd.Dir, cmd.Env, cmd.Stdin = bare, gittest.Env(bare), &stream
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	gittest.Git(b, bare, "repack", "-adq")
	b.Logf("repository of %d posts, %d state files, %s commits in %v", len(cal.Posts), len(statePaths),
		strings.TrimSpace(gittest.Git(b, bare, "rev-list", "--count", "main")), time.Since(start).Round(time.Millisecond))
	return bare, now
}

func resultOf(id string) networks.Result {
	return networks.Result{IDs: []string{"https://social.example/@maison/" + id}}
}
