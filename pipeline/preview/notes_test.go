package preview_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/preview"
)

// TestInstagramLinksNote: a caption's link is plain text on Instagram, and
// every preview says so for the Instagram card alone; LinkedIn and X show
// the same text, the link clickable.
func TestInstagramLinksNote(t *testing.T) {
	const dir = "testdata/formats/calendar"
	res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true,
		Paths: []string{"posts/2026/11/moustaches.md"}})
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string][]string{}
	for _, e := range preview.Entries(res) {
		notes[e.Account.Network] = e.Notes(nil)
	}
	want := map[string][]string{
		"instagram": {"links are not clickable on Instagram: put https://maison-exemple.fr/movember in the bio"},
		"linkedin":  nil, "x": nil,
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}

	site := buildSite(t, dir, preview.SiteOptions{})
	page, err := os.ReadFile(filepath.Join(site, "posts", "2026", "11", "moustaches.html"))
	if err != nil {
		t.Fatal(err)
	}
	cards := strings.Split(string(page), `<article class="card net-`)[1:]
	if len(cards) != 3 {
		t.Fatalf("%d cards, want 3 (instagram, linkedin, x):\n%s", len(cards), page)
	}
	const link = `https://maison-exemple.fr/movember`
	for _, c := range cards {
		instagram := strings.HasPrefix(c, "instagram")
		if got := strings.Contains(c, `<p class="note">links are not clickable on Instagram: put `+link+` in the bio</p>`); got != instagram {
			t.Errorf("note on the card %.20q: %v, want %v", c, got, instagram)
		}
		if got := strings.Contains(c, `href="`+link+`"`); got == instagram {
			t.Errorf("clickable link on the card %.20q: %v, want %v", c, got, !instagram)
		}
		if instagram && !strings.Contains(c, `<span class="link">`+link+`</span>`) {
			t.Errorf("the Instagram card does not show the link as plain text:\n%s", c)
		}
	}
}
