package preview_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/preview"
)

// TestFormats previews a small calendar (a thread, variants, a text over
// X's and Bluesky's limits, Bluesky facets, a medium, raw HTML) in every
// terminal and machine format, against the golden files in testdata/formats.
func TestFormats(t *testing.T) {
	res, err := check.Run(context.Background(), check.Options{Dir: "testdata/formats/calendar", KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	entries := preview.Entries(res)
	formats := map[string]func(*bytes.Buffer) error{
		"text": func(b *bytes.Buffer) error { return preview.WriteText(b, entries, preview.TextOptions{}) },
		"text-color": func(b *bytes.Buffer) error {
			return preview.WriteText(b, entries, preview.TextOptions{Width: 30, Color: true})
		},
		"json":          func(b *bytes.Buffer) error { return preview.WriteJSON(b, res) },
		"markdown":      func(b *bytes.Buffer) error { return preview.WriteMarkdown(b, entries) },
		"markdown-none": func(b *bytes.Buffer) error { return preview.WriteMarkdown(b, nil) },
	}
	for name, write := range formats {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := write(&got); err != nil {
				t.Fatal(err)
			}
			goldenFile := filepath.Join("testdata", "formats", name+".out")
			golden.Check(t, goldenFile, got.Bytes())
		})
	}
}
