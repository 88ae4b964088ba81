package check

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
)

var boundPieces = []string{
	" ", "\n", "a", "é", "e\u0301", "🎄", "👩‍🎨", "🇫🇷", "日本", "\xff", "https://", "http://", "://", "t.co", "x.fr",
	"/", ".", "@alice", "@alice@example.org", "https://maison-exemple.fr/a_(b)", "www.example.com", "#tag", "가",
}

func checkBound(t *testing.T, text string) {
	t.Helper()
	for _, network := range []string{"bluesky", "mastodon"} {
		a := &load.Account{Key: network, Network: network}
		if got, bound := render.Length(a, text), lengthAtMost(network, text); got > bound {
			t.Fatalf("%s length of %q is %d, above its bound %d", network, text, got, bound)
		}
	}
}

func TestLengthAtMost(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 1_000 // a few seconds under -race; HERALD_LONG_TESTS=1 runs the full count
	if os.Getenv("HERALD_LONG_TESTS") == "1" {
		n = 20_000
	}
	for range n {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(boundPieces[rng.IntN(len(boundPieces))])
		}
		checkBound(t, b.String())
	}
}

func FuzzLengthAtMost(f *testing.F) {
	f.Add("Voir https://t.co/x et @alice@example.org 👩‍🎨 e\u0301")
	f.Fuzz(checkBound)
}
