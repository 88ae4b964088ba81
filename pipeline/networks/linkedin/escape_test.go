package linkedin

import "testing"

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Jour 1 : la boîte s'ouvre.", "Jour 1 : la boîte s'ouvre."},
		{"every reserved character", `| { } @ [ ] ( ) < > # \ * _ ~`, `\| \{ \} \@ \[ \] \( \) \< \> \# \\ \* \_ \~`},
		{"hashtag and mention", "#NoelMaison avec @atelier", `\#NoelMaison avec \@atelier`},
		{"link", "https://maison.example/noel_2026?a=(1)", `https://maison.example/noel\_2026?a=\(1\)`},
		{"other punctuation untouched", `"quoted" 50% off! $5 & more: a/b; c=d, e?`, `"quoted" 50% off! $5 & more: a/b; c=d, e?`},
		{"emoji", "Noël 🎄 *bientôt*", `Noël 🎄 \*bientôt\*`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Escape(tt.in)
			if got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := Unescape(got); back != tt.in {
				t.Errorf("Unescape(%q) = %q, want %q", got, back, tt.in)
			}
		})
	}
}
