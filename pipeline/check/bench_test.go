package check_test

import (
	"context"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/check/bench"
	"github.com/herald-social/herald/pipeline/internal/benchcpu"
)

// BenchmarkCheck10k checks a generated calendar of 10,000 posts of about
// 2 KB (see bench/README.md for the end-to-end figures of the herald
// binary).
func BenchmarkCheck10k(b *testing.B) { benchmarkCheck(b, 10_000) }

// BenchmarkCheck100k checks 100,000 posts. Writing them takes a while, so it
// runs only when -bench names it (-bench 100k) or HERALD_BENCH_100K is set.
func BenchmarkCheck100k(b *testing.B) {
	pattern := flag.Lookup("test.bench").Value.String()
	if !strings.Contains(pattern, "100k") && os.Getenv("HERALD_BENCH_100K") == "" {
		b.Skip("run with -bench 100k or HERALD_BENCH_100K=1")
	}
	benchmarkCheck(b, 100_000)
}

func benchmarkCheck(b *testing.B, posts int) {
	dir := b.TempDir()
	if err := bench.Write(dir, bench.Options{Posts: posts, Seed: 1, PostBytes: bench.PostBytes}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	defer benchcpu.Start(b)()
	for b.Loop() {
		res, err := check.Run(context.Background(), check.Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		if res.Checked != posts {
			b.Fatalf("checked %d posts, want %d", res.Checked, posts)
		}
	}
}
