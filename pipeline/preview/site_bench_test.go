package preview_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/check/bench"
	"github.com/herald-social/herald/pipeline/preview"
)

// BenchmarkSite10k previews a generated calendar of 10,000 posts of about
// 2 KB as an HTML site: "all" is what herald preview --format html --out DIR
// does (check, render, write) into a new folder each time; "write" is
// WriteSite alone (render, write), rewriting the same site each time as
// --serve does.
func BenchmarkSite10k(b *testing.B) {
	cal := b.TempDir()
	if err := bench.Write(cal, bench.Options{Posts: 10_000, Seed: 1, PostBytes: bench.PostBytes}); err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	site := func() string {
		dir := filepath.Join(out, "site")
		b.StopTimer()
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		return dir
	}
	run := func() *check.Result {
		res, err := check.Run(context.Background(), check.Options{Dir: cal, KeepPosts: true})
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := preview.WriteSite(site(), run(), preview.SiteOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("write", func(b *testing.B) {
		res := run()
		dir := site()
		b.ReportAllocs()
		for b.Loop() {
			if err := preview.WriteSite(dir, res, preview.SiteOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
