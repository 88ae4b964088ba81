package render

import (
	"strings"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render/length"
)

// A Bound is an upper bound of the length of each part Render makes of a
// Markdown source in the Plain dialect, as Length counts it, found from the
// source alone: most posts are far below their networks' limits, and need
// neither rendering nor exact counting to show it.
//
// The plain text of a Markdown source is never longer than the source, but
// for a few constructs, each of which the bound allows for or refuses:
//   - a list item: its bullet "•" (X weighs it 2), a bullet for an empty
//     item ("-" alone), or the blank line before a list that interrupts a
//     paragraph add at most 2 code points (4 for X) a line;
//   - an ordered list is renumbered from its first number ("1." then "1."
//     reads "1." then "2."): at most 10 more on each line that may start an
//     item;
//   - every URL weighs 23 on X and Mastodon, however short, and has a "."
//     followed by more of its domain: 23 for each "." followed by anything
//     but white space, and for each "&", which may write one;
//   - X and the networks that count code points count the text in NFC,
//     which may leave a character decomposed: each code point counts what
//     its canonical decomposition does (length.RuneMax);
//   - reference links ("]:"), raw HTML and autolinks ("<"), code ("`",
//     "~~~"), tabs, carriage returns, NUL and list markers stacked on one
//     line ("- - a") are not bounded: such sources have no Bound.
//
// Thread parts are split where the source has a line "---" after a blank
// line, which is always a thematic break at the top level once the
// constructs above are refused. A break written otherwise only leaves two
// parts in one piece of the bound, which is then larger than either.
type Bound struct {
	ok     bool
	pieces [counts]int // the most of each count over the pieces between the "---" lines
	whole  [counts]int // each count over the whole source
}

// The counts a bound keeps, one per way networks count.
const (
	weightedCount  = iota // X
	graphemeCount         // Bluesky
	mastodonCount         // Mastodon
	characterCount        // code points
	counts
)

// tally is what the bound of a piece of source is made of.
type tally struct {
	runes      int // code points
	characters int // code points of their canonical decompositions
	weighted   int // X's weights of those
	links      int // "." followed by something else than white space, and "&"
	lines      int
	ordered    int // lines that may start an ordered list item
}

func (t *tally) add(u tally) {
	t.runes += u.runes
	t.characters += u.characters
	t.weighted += u.weighted
	t.links += u.links
	t.lines += u.lines
	t.ordered += u.ordered
}

// BoundOf returns the bound of a Markdown source.
func BoundOf(source string) Bound {
	for _, c := range []byte("<`\t\r\x00") { // strings.ContainsAny, faster a byte at a time
		if strings.IndexByte(source, c) >= 0 {
			return Bound{}
		}
	}
	if strings.Contains(source, "~~~") || strings.Contains(source, "]:") {
		return Bound{}
	}
	b := Bound{ok: true}
	var whole, piece tally
	blank := true // the line before is blank, or there is none
	for rest, more := source, true; more; {
		var line string
		line, rest, more = strings.Cut(rest, "\n")
		t, ok := lineTally(line)
		if !ok {
			return Bound{}
		}
		whole.add(t)
		if blank && strings.TrimRight(line, " ") == "---" {
			b.pieces = maxCounts(b.pieces, piece.counts())
			piece = tally{}
		} else {
			piece.add(t)
		}
		blank = strings.TrimLeft(line, " ") == ""
	}
	b.pieces = maxCounts(b.pieces, piece.counts())
	b.whole = whole.counts()
	return b
}

// counts is what a network may count of a piece of source tallied as t.
func (t tally) counts() (c [counts]int) {
	c[weightedCount] = t.weighted + 4*t.lines + 10*t.ordered + 23*t.links
	c[graphemeCount] = t.runes + 2*t.lines + 10*t.ordered
	c[mastodonCount] = t.runes + 2*t.lines + 10*t.ordered + length.MastodonURLLength*t.links
	c[characterCount] = t.characters + 2*t.lines + 10*t.ordered
	return c
}

func maxCounts(a, b [counts]int) [counts]int {
	for i := range a {
		a[i] = max(a[i], b[i])
	}
	return a
}

// lineTally tallies one line, and reports false for a line starting with
// stacked list markers.
func lineTally(line string) (tally, bool) {
	t := tally{lines: 1, links: strings.Count(line, "&")}
	for i := strings.IndexByte(line, '.'); i >= 0 && i+1 < len(line); {
		if line[i+1] != ' ' {
			t.links++
		}
		j := strings.IndexByte(line[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	t.runes, t.characters, t.weighted = length.RunesMax(line)
	// The markers a line may start with: quotes, then a list item.
	rest := strings.TrimLeft(line, " >")
	if n := listMarker(rest); n > 0 {
		if rest[0] >= '0' && rest[0] <= '9' {
			t.ordered++
		}
		if listMarker(strings.TrimLeft(rest[n:], " ")) > 0 {
			return t, false
		}
	}
	return t, true
}

// listMarker returns the length of the list item marker s starts with
// ("-", "+", "*", or up to 9 digits and "." or ")", then a space or the end
// of the line), or 0.
func listMarker(s string) int {
	n := 0
	switch {
	case s == "":
		return 0
	case s[0] == '-' || s[0] == '+' || s[0] == '*':
		n = 1
	default:
		for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n == len(s) || s[n] != '.' && s[n] != ')' {
			return 0
		}
		n++
	}
	if n < len(s) && s[n] != ' ' {
		return 0
	}
	return n
}

// Max returns the most Length can be for a part Render makes of the source
// for the account, and false when the bound says nothing: for the
// networks that take markup (Discord, Slack, Telegram, the feed), or when
// the source has constructs the bound does not cover.
func (b Bound) Max(a *load.Account) (int, bool) {
	if !b.ok || DialectFor(a.Network) != Plain {
		return 0, false
	}
	c := b.whole
	if spec, _ := netspec.Lookup(a.Network); spec.Threads {
		c = b.pieces
	}
	switch a.Network {
	case "x":
		return c[weightedCount], true
	case "bluesky":
		return c[graphemeCount], true
	case "mastodon":
		return c[mastodonCount], true
	}
	return c[characterCount], true
}

// MinLimit is the least Limit can be for a part of a post on the account's
// network: a Telegram caption's, when the network has captions. 0 when the
// network has no limit.
func MinLimit(a *load.Account) int {
	text, caption := Limit(a, Part{}), Limit(a, Part{Media: []load.Media{{}}})
	if text == 0 || caption == 0 {
		return max(text, caption)
	}
	return min(text, caption)
}
