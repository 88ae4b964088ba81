package preview_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/preview"
)

// update rewrites the golden files of every test of the package.
var update = flag.Bool("update", false, "rewrite the golden files from the current output")

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
			golden := filepath.Join("testdata", "formats", name+".out")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
		})
	}
}
