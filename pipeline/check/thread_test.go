package check

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestThreadShapeOf(t *testing.T) {
	tests := []struct {
		name   string
		source string
		want   threadShape
	}{
		{"no break", "Un texte.\n", threadShape{}},
		{"blank", "\n  \n", threadShape{allEmpty: true}},
		{"separators only", "\n---\n\n---\n", threadShape{allEmpty: true}},
		{"stars only", "***\n", threadShape{allEmpty: true}},
		{"a thread", "Un.\n\n---\n\nDeux.\n", threadShape{}},
		{"two in a row", "Un.\n\n---\n\n---\n\nTrois.\n", threadShape{emptyParts: []emptyPart{{2, 5}}}},
		{"at the start", "---\n\nDeux.\n", threadShape{emptyParts: []emptyPart{{1, 1}}}},
		{"at the end", "Un.\n\n---\n", threadShape{emptyParts: []emptyPart{{2, 3}}}},
		{"setext heading is no break", "Titre\n---\n\nSuite.\n", threadShape{}},
		{"setext heading then break", "Titre\n---\n\n---\n\n***\n\nTrois.\n", threadShape{emptyParts: []emptyPart{{2, 6}}}},
		{"fenced code keeps its dashes", "```\n---\n```\n\n---\n\n---\n\nTrois.\n", threadShape{emptyParts: []emptyPart{{2, 7}}}},
		{"a longer thread", "Un.\n\n---\n\nDeux.\n\n***\n\nTrois.\n", threadShape{}},
		{"list then breaks", "- a\n- b\n\n---\n\n---\n\nTrois.\n", threadShape{emptyParts: []emptyPart{{2, 6}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := threadShapeOf(tt.source)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(threadShape{}, emptyPart{})); diff != "" {
				t.Errorf("threadShapeOf(%q) (-want +got):\n%s", tt.source, diff)
			}
			// The cheap test that spares the parse never misses one (a
			// blank text is told apart before it).
			empty := tt.want.allEmpty || len(tt.want.emptyParts) > 0
			if empty && strings.TrimSpace(tt.source) != "" && !mayHaveEmptyPart(tt.source) {
				t.Errorf("mayHaveEmptyPart(%q) = false, want true", tt.source)
			}
		})
	}
}
