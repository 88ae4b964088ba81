package preview

import (
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/render/facets"
)

// Notes says what a post's text will not do on the entry's network that
// its reader could expect from the preview: on Instagram, a caption's
// links are plain text, not links. Each is a sentence for the terminal,
// Markdown and HTML previews; none for most entries.
func (e Entry) Notes() []string {
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
		switch len(links) {
		case 0:
		case 1:
			notes = append(notes, "links are not clickable on Instagram: put "+links[0]+" in the bio")
		default:
			notes = append(notes, "links are not clickable on Instagram: put them in the bio ("+strings.Join(links, ", ")+")")
		}
	}
	return notes
}
