package preview

import (
	"strings"

	"github.com/rivo/uniseg"
)

// wrap breaks text into lines of at most width terminal cells at the line
// break opportunities of Unicode's line breaking algorithm (UAX #14), as a
// phone's text view does. A word wider than a line (a long URL) is cut
// between grapheme clusters.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		var line strings.Builder
		lineWidth := 0
		emit := func() {
			lines = append(lines, strings.TrimRight(line.String(), " "))
			line.Reset()
			lineWidth = 0
		}
		state := -1
		for rest := para; len(rest) > 0; {
			var segment string
			segment, rest, _, state = uniseg.FirstLineSegmentInString(rest, state)
			w := uniseg.StringWidth(strings.TrimRight(segment, " "))
			if lineWidth > 0 && lineWidth+w > width {
				emit()
			}
			for uniseg.StringWidth(segment) > width {
				head, tail := cutWidth(segment, width-lineWidth)
				line.WriteString(head)
				emit()
				segment = tail
			}
			line.WriteString(segment)
			lineWidth += uniseg.StringWidth(segment)
		}
		emit()
	}
	return lines
}

// cutWidth splits s after the grapheme clusters that fit in width cells.
func cutWidth(s string, width int) (head, tail string) {
	used, state, i := 0, -1, 0
	for rest := s; len(rest) > 0; {
		var cluster string
		var w int
		cluster, rest, w, state = uniseg.FirstGraphemeClusterInString(rest, state)
		if used+w > width && i > 0 {
			break
		}
		used += w
		i += len(cluster)
	}
	return s[:i], s[i:]
}
