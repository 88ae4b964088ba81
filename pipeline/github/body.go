package github

import (
	"strings"
	"unicode/utf16"

	"github.com/herald-social/herald/pipeline/i18n"

	"github.com/herald-social/herald/pipeline/preview"
)

// Marker is the first line of the sticky comment: a later run finds the
// comment by it. It is the first line the Markdown preview writes.
const Marker = preview.Marker

// MaxBody is the longest comment herald posts, in UTF-16 code units (never
// fewer than characters): GitHub refuses bodies over 65,536 characters, and
// the margin leaves room for how it counts.
const MaxBody = 65000

// isSticky reports whether a comment's body starts with the marker line.
func isSticky(body string) bool {
	first, _, _ := strings.Cut(body, "\n")
	return strings.TrimSpace(first) == Marker
}

// commentBody is the body to post for markdown: the marker first, and cut
// at a line when longer than MaxBody, with a note that says where the whole
// preview is (runURL, the run whose artifacts hold it, when known). It
// reports whether it cut. The note is in p's language.
func commentBody(p *i18n.Printer, markdown, runURL string) (string, bool) {
	if p == nil {
		p = i18n.English()
	}
	markdown = strings.ReplaceAll(markdown, "\r\n", "\n")
	if !isSticky(markdown) {
		markdown = Marker + "\n" + markdown
	}
	if units(markdown) <= MaxBody {
		return markdown, false
	}
	note := "\n---\n\n✂️ " + p.T("github.cut.no-run", nil) + "\n"
	if runURL != "" {
		note = "\n---\n\n✂️ " + p.T("github.cut.run", i18n.Args{"RunURL": runURL}) + "\n"
	}
	return cutAtLine(markdown, MaxBody-units(note)) + note, true
}

// cutAtLine keeps the whole lines of markdown that fit in budget units,
// closing the code fence and the <details> blocks the cut leaves open so
// that the note after it reads as text. The budget keeps room for the
// closers.
func cutAtLine(markdown string, budget int) string {
	const closersRoom = 200
	budget -= closersRoom
	var (
		kept    strings.Builder
		used    int
		fence   string // the open code fence, if any
		details int    // open <details> blocks
	)
	for line := range strings.SplitAfterSeq(markdown, "\n") {
		n := units(line)
		if used+n > budget {
			break
		}
		used += n
		kept.WriteString(line)
		text := strings.TrimRight(line, "\n")
		switch {
		case fence != "":
			if isClosingFence(text, fence) {
				fence = ""
			}
		case strings.HasPrefix(strings.TrimLeft(text, " "), "```"):
			trimmed := strings.TrimLeft(text, " ")
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
		case strings.HasPrefix(text, "<details"):
			details++
		case strings.HasPrefix(text, "</details>") && details > 0:
			details--
		}
	}
	out := kept.String()
	if !strings.HasSuffix(out, "\n") && out != "" {
		out += "\n"
	}
	if fence != "" {
		out += fence + "\n"
	}
	out += strings.Repeat("\n</details>\n", details)
	return out
}

// isClosingFence reports whether a line closes a code fence opened by
// fence: backticks alone, at least as many (CommonMark).
func isClosingFence(line, fence string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= len(fence) && strings.Trim(t, "`") == ""
}

// units counts s in UTF-16 code units.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
