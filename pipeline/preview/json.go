package preview

import (
	"encoding/json"
	"io"

	"github.com/herald-social/herald/pipeline/render/facets"
)

// jsonEntry is SPEC.md's preview contract: one object per post and network,
// with exactly these keys.
type jsonEntry struct {
	Post    string         `json:"post"`
	Network string         `json:"network"`
	Text    string         `json:"text"`
	Parts   []string       `json:"parts"`
	Length  int            `json:"length"`
	Limit   int            `json:"limit"`
	Unit    string         `json:"unit"`
	Facets  []facets.Facet `json:"facets,omitzero"` // nil (left out) but for Bluesky
}

// WriteJSON writes the entries as one JSON array.
func WriteJSON(w io.Writer, entries []Entry) error {
	out := make([]jsonEntry, 0, len(entries))
	for _, e := range entries {
		parts := make([]string, len(e.Rendering.Parts))
		for i, p := range e.Rendering.Parts {
			parts[i] = p.Text
		}
		je := jsonEntry{
			Post: e.Post.ID, Network: e.Account.Network,
			Text: e.Rendering.Text(), Parts: parts,
			Length: e.Lengths[0], Limit: e.Limits[0], Unit: string(e.Unit),
		}
		if e.Account.Network == "bluesky" {
			je.Facets = e.Facets
			if je.Facets == nil {
				je.Facets = []facets.Facet{} // always present for Bluesky
			}
		}
		out = append(out, je)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
