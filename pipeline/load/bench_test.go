package load_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/check/bench"
	"github.com/herald-social/herald/pipeline/internal/benchcpu"
	"github.com/herald-social/herald/pipeline/load"
)

// BenchmarkParsePost parses the posts of a generated calendar of 1,000
// posts of about 2 KB (bench.PostBytes), read once beforehand: parsing
// alone, without the file system or the rules.
func BenchmarkParsePost(b *testing.B) {
	dir := b.TempDir()
	if err := bench.Write(dir, bench.Options{Posts: 1000, Seed: 1, PostBytes: bench.PostBytes}); err != nil {
		b.Fatal(err)
	}
	files, err := load.PostFiles(dir)
	if err != nil {
		b.Fatal(err)
	}
	contents := make([][]byte, len(files))
	for i, f := range files {
		if contents[i], err = os.ReadFile(f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	defer benchcpu.Start(b)()
	for b.Loop() {
		for i, content := range contents {
			rel, _ := filepath.Rel(dir, files[i])
			if _, err := load.ParsePost(filepath.ToSlash(rel), content); err != nil {
				b.Fatal(err)
			}
		}
	}
}
