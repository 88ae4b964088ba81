package length

import (
	"math/rand/v2"
	"os"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestRelaxedWords checks what relaxedMatch relies on: no match of the
// expression holds ASCII white space, every match is minRelaxedMatch bytes
// long or more and holds a ":" or a "." that is not its last character,
// and the only context the expression looks at is \b.
func TestRelaxedWords(t *testing.T) {
	re, err := syntax.Parse(relaxed().String(), syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*syntax.Regexp)
	walk = func(n *syntax.Regexp) {
		switch n.Op {
		case syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText, syntax.OpNoWordBoundary:
			t.Errorf("the expression uses %v: words cannot be matched on their own", n)
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			t.Errorf("the expression matches any character with %v", n)
		}
		for _, c := range asciiSpace {
			if matchesRune(n, c) {
				t.Errorf("%v matches %q", n, c)
			}
		}
		for _, sub := range n.Sub {
			walk(sub)
		}
	}
	walk(re)
	if !holdsDotOrColon(re) {
		t.Error("a match of the expression may hold neither a . nor a :")
	}
	if canEndWith(re, '.') {
		t.Error("a match of the expression may end with a .")
	}
	if canStartWith(re, '(') {
		t.Error("a match of the expression may start with a (")
	}
	if n := minRunes(re); n < minRelaxedMatch {
		t.Errorf("a match of the expression may be %d characters long, less than minRelaxedMatch", n)
	}
}

// canEndWith reports whether a string n matches may end with r.
func canEndWith(n *syntax.Regexp, r rune) bool {
	switch n.Op {
	case syntax.OpLiteral:
		return len(n.Rune) > 0 && matchesRune(&syntax.Regexp{Op: syntax.OpLiteral, Rune: n.Rune[len(n.Rune)-1:], Flags: n.Flags}, r)
	case syntax.OpCharClass:
		return matchesRune(n, r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return true
	case syntax.OpConcat:
		for i := len(n.Sub) - 1; i >= 0; i-- {
			if canEndWith(n.Sub[i], r) {
				return true
			}
			if minRunes(n.Sub[i]) > 0 {
				return false
			}
		}
		return false
	case syntax.OpAlternate:
		return slices.ContainsFunc(n.Sub, func(sub *syntax.Regexp) bool { return canEndWith(sub, r) })
	case syntax.OpCapture, syntax.OpPlus, syntax.OpStar, syntax.OpQuest:
		return canEndWith(n.Sub[0], r)
	case syntax.OpRepeat:
		return n.Max != 0 && canEndWith(n.Sub[0], r)
	}
	return false
}

// canStartWith reports whether a string n matches may start with r.
func canStartWith(n *syntax.Regexp, r rune) bool {
	switch n.Op {
	case syntax.OpLiteral:
		return len(n.Rune) > 0 && matchesRune(&syntax.Regexp{Op: syntax.OpLiteral, Rune: n.Rune[:1], Flags: n.Flags}, r)
	case syntax.OpCharClass:
		return matchesRune(n, r)
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return true
	case syntax.OpConcat:
		for _, sub := range n.Sub {
			if canStartWith(sub, r) {
				return true
			}
			if minRunes(sub) > 0 {
				return false
			}
		}
		return false
	case syntax.OpAlternate:
		return slices.ContainsFunc(n.Sub, func(sub *syntax.Regexp) bool { return canStartWith(sub, r) })
	case syntax.OpCapture, syntax.OpPlus, syntax.OpStar, syntax.OpQuest:
		return canStartWith(n.Sub[0], r)
	case syntax.OpRepeat:
		return n.Max != 0 && canStartWith(n.Sub[0], r)
	}
	return false
}

// minRunes is the length of the shortest string n matches, in runes.
func minRunes(n *syntax.Regexp) int {
	switch n.Op {
	case syntax.OpLiteral:
		return len(n.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpConcat:
		sum := 0
		for _, sub := range n.Sub {
			sum += minRunes(sub)
		}
		return sum
	case syntax.OpAlternate:
		least := -1
		for _, sub := range n.Sub {
			if m := minRunes(sub); least < 0 || m < least {
				least = m
			}
		}
		return max(least, 0)
	case syntax.OpCapture, syntax.OpPlus:
		return minRunes(n.Sub[0])
	case syntax.OpRepeat:
		return n.Min * minRunes(n.Sub[0])
	}
	return 0 // empty, assertions, star, quest
}

func matchesRune(n *syntax.Regexp, r rune) bool {
	switch n.Op {
	case syntax.OpLiteral:
		for _, l := range n.Rune {
			if l == r || n.Flags&syntax.FoldCase != 0 && slices.Contains(folds(l), r) {
				return true
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(n.Rune); i += 2 {
			if n.Rune[i] <= r && r <= n.Rune[i+1] {
				return true
			}
		}
	}
	return false
}

func folds(r rune) []rune {
	out := []rune{r}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		out = append(out, f)
	}
	return out
}

// holdsDotOrColon reports whether every string n matches holds "." or ":".
func holdsDotOrColon(n *syntax.Regexp) bool {
	switch n.Op {
	case syntax.OpLiteral:
		return slices.Contains(n.Rune, '.') || slices.Contains(n.Rune, ':')
	case syntax.OpCharClass:
		for i := 0; i+1 < len(n.Rune); i += 2 {
			for r := n.Rune[i]; r <= n.Rune[i+1]; r++ {
				if r != '.' && r != ':' {
					return false
				}
			}
		}
		return len(n.Rune) > 0
	case syntax.OpConcat:
		return slices.ContainsFunc(n.Sub, holdsDotOrColon)
	case syntax.OpAlternate:
		for _, sub := range n.Sub {
			if !holdsDotOrColon(sub) {
				return false
			}
		}
		return len(n.Sub) > 0
	case syntax.OpCapture, syntax.OpPlus:
		return holdsDotOrColon(n.Sub[0])
	case syntax.OpRepeat:
		return n.Min > 0 && holdsDotOrColon(n.Sub[0])
	}
	return false
}

// referenceRelaxedMatch is the plain way relaxedMatch stands for.
func referenceRelaxedMatch(s string, pos int) (start, emailEnd int, ok bool) {
	loc := relaxed().FindStringSubmatchIndex(s[pos:])
	if loc == nil {
		return 0, 0, false
	}
	if e := 2 * relaxedEmail(); loc[e] >= 0 {
		return pos + loc[0], pos + loc[1], true
	}
	return pos + loc[0], -1, true
}

func checkRelaxedMatch(t *testing.T, s string, pos int) {
	t.Helper()
	start, emailEnd, ok := relaxedMatch(s, pos)
	wantStart, wantEmailEnd, wantOK := referenceRelaxedMatch(s, pos)
	if start != wantStart || emailEnd != wantEmailEnd || ok != wantOK {
		t.Fatalf("relaxedMatch(%q, %d) = %d, %d, %v; want %d, %d, %v", s, pos, start, emailEnd, ok, wantStart, wantEmailEnd, wantOK)
	}
}

var urlishPieces = []string{
	" ", " ", "\n", "\t", "\u00a0", ".", ".", ":", "/", "//", "@", "#", "?", "=", "&", "(", ")", "[", "]",
	"-", "_", "'", "example", "com", "fr", "co", "t", "xn--bcher-kva", "https", "http", "mailto", "tel",
	"1", "192.168.0.1", "::1", "fe80::1", "[::1]", "é", "日本", "maison-exemple.fr", "https://a.b/c?d=e#f",
	"https://", "http://", "HTTPS://", "hTtP://x", "https://a", "https://-", "https://@", "http://user@host.com",
	"x@y.org", "Le", "mot.", "Bonjour", "K", "\xff", "🎄", "’", "((", "(https://a.b/c).", "(http://",
}

func TestRelaxedMatchAsWholeText(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	n := 100 // a few seconds under -race; HERALD_LONG_TESTS=1 runs the full count
	if os.Getenv("HERALD_LONG_TESTS") == "1" {
		n = 1_500
	}
	for range n {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(urlishPieces[rng.IntN(len(urlishPieces))])
		}
		s := b.String()
		for pos := 0; pos <= len(s); pos++ {
			checkRelaxedMatch(t, s, pos)
		}
	}
}

func FuzzRelaxedMatch(f *testing.F) {
	f.Add("Voir https://maison-exemple.fr/a_(b) ou x@y.org, tel:+33 et 192.168.0.1:80.", 0)
	f.Fuzz(func(t *testing.T, s string, pos int) {
		if pos < 0 || pos > len(s) {
			return
		}
		checkRelaxedMatch(t, s, pos)
	})
}
