// Command gen writes a large, realistic calendar to measure herald check on:
//
//	go run ./pipeline/check/bench/gen -posts 10000 -out /tmp/cal10k
//
// Its posts are about 2 KB, as herald check's and preview's targets say;
// -post-bytes 0 writes the first corpus, of posts of about 580 bytes.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/herald-social/herald/pipeline/check/bench"
)

func main() {
	posts := flag.Int("posts", 10_000, "how many posts to write")
	out := flag.String("out", "", "the `folder` to write the calendar in (created if needed)")
	seed := flag.Uint64("seed", 1, "random seed: the same seed and sizes give the same files")
	postBytes := flag.Int("post-bytes", bench.PostBytes, "average size of a post file, in `bytes`; 0 for the first corpus (about 580)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gen [-posts N] [-seed S] [-post-bytes B] -out DIR")
		os.Exit(2)
	}
	if err := bench.Write(*out, bench.Options{Posts: *posts, Seed: *seed, PostBytes: *postBytes}); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
