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
// terminal and machine format, against the golden files in
// testdata/formats: those for people once per language of the charter's
// locale (en/, fr/), the JSON once, the same whatever the language.
func TestFormats(t *testing.T) {
	for _, l := range locales {
		t.Run(l.lang, func(t *testing.T) {
			t.Parallel()
			dir := withLocale(t, "testdata/formats", "calendar", l.locale)
			res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
			if err != nil {
				t.Fatal(err)
			}
			p := printerOf(t, res)
			if p.Lang() != l.lang {
				t.Fatalf("locale %s speaks %s, want %s", l.locale, p.Lang(), l.lang)
			}
			entries := preview.Entries(res)
			formats := map[string]func(*bytes.Buffer) error{
				"text": func(b *bytes.Buffer) error { return preview.WriteText(b, entries, preview.TextOptions{Printer: p}) },
				"text-color": func(b *bytes.Buffer) error {
					return preview.WriteText(b, entries, preview.TextOptions{Width: 30, Color: true, Printer: p})
				},
				"markdown": func(b *bytes.Buffer) error {
					return preview.WriteMarkdown(b, entries, preview.MarkdownOptions{Printer: p})
				},
				"markdown-none": func(b *bytes.Buffer) error {
					return preview.WriteMarkdown(b, nil, preview.MarkdownOptions{Printer: p})
				},
			}
			for name, write := range formats {
				t.Run(name, func(t *testing.T) {
					var got bytes.Buffer
					if err := write(&got); err != nil {
						t.Fatal(err)
					}
					golden.Check(t, filepath.Join("testdata", "formats", l.lang, name+".out"), got.Bytes())
				})
			}
			// The JSON is for machines: its keys and unit values are
			// SPEC.md's in every language.
			t.Run("json", func(t *testing.T) {
				var got bytes.Buffer
				if err := preview.WriteJSON(&got, res); err != nil {
					t.Fatal(err)
				}
				if *golden.Update && l.lang != "fr" {
					return // one file for both, which -update writes once
				}
				golden.Check(t, filepath.Join("testdata", "formats", "json.out"), got.Bytes())
			})
		})
	}
}
