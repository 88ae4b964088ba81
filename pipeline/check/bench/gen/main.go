// Command gen writes a large, realistic calendar to measure herald check on:
//
//	go run ./pipeline/check/bench/gen -posts 10000 -out /tmp/cal10k
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
	seed := flag.Uint64("seed", 1, "random seed: the same seed and size give the same files")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: gen [-posts N] [-seed S] -out DIR")
		os.Exit(2)
	}
	if err := bench.Generate(*out, *posts, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
