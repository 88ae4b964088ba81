package preview

import (
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// Notes says what a post's text will not do on the entry's network that
// its reader could expect from the preview: on Instagram, a caption's
// links are plain text, not links. Each is a sentence for the terminal,
// Markdown and HTML previews, in p's language; none for most entries.
func (e Entry) Notes(p *i18n.Printer) []string {
	var notes []string
	if e.Account.Network == "instagram" {
		var links []string
		for _, part := range e.Rendering.Parts {
			for _, f := range facets.Detect(part.Text) {
				if f.Type == facets.Link && !slices.Contains(links, f.Value) {
					links = append(links, f.Value)
				}
			}
		}
		if len(links) > 0 {
			notes = append(notes, printerOr(p).N("preview.note.instagram-links", len(links), i18n.Args{"Links": strings.Join(links, ", ")}))
		}
	}
	return notes
}
