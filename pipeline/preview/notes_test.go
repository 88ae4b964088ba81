package preview_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
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

// TestVideoNotes: LinkedIn's and Facebook's previews of a video say how
// the network shows it (LinkedIn's title, Facebook's video post) and the
// videos it takes; the terminal preview names it a video.
func TestVideoNotes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"charter.yaml": "brand: Maison Exemple\ntimezone: Europe/Paris\naccounts:\n" +
			"  linkedin: {network: linkedin, author: \"urn:li:organization:1\"}\n  facebook: {network: facebook, page: \"1\"}\n  mastodon: {network: mastodon, server: https://piaille.fr}\n" +
			"editorial_line:\n  produit: {description: Nos créations}\n",
		"posts/video.md": "---\ndate: 2026-11-02 10:30\nnetworks: [linkedin, facebook, mastodon]\ntags: [produit]\nmedia:\n" +
			"  - src: ../media/atelier.mp4\n    alt: L'atelier en vidéo\n---\nLes coulisses.\n",
		"media/atelier.mp4": "\x00\x00\x00\x18ftypmp42",
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	entries := preview.Entries(res)
	notes := map[string][]string{}
	for _, e := range entries {
		notes[e.Account.Network] = e.Notes(nil)
	}
	want := map[string][]string{
		"linkedin": {`LinkedIn shows the video under the title "L'atelier en vidéo" (the post's title, else the video's alt text); it takes MP4 videos of 3 s to 30 min and 75 kB to 500 MB`},
		"facebook": {"Facebook publishes the video as a video post of the Page, with the text as its description; it takes MP4 or MOV videos of up to 4 h and up to 10 GB"},
		"mastodon": nil,
	}
	if diff := cmp.Diff(want, notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	fr, _ := i18n.New("fr-FR")
	if got, want := entries[1].Notes(fr), []string{"LinkedIn montre la vidéo sous le titre « L'atelier en vidéo » (le titre de la publication, sinon le texte alternatif de la vidéo)\u202f; il accepte des vidéos MP4 de 3 s à 30 min et de 75 ko à 500 Mo"}; entries[1].Account.Network == "linkedin" && !cmp.Equal(got, want) {
		t.Errorf("French LinkedIn note = %q, want %q", got, want)
	}
	var text strings.Builder
	if err := preview.WriteText(&text, entries, preview.TextOptions{Width: 200}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "video atelier.mp4: L'atelier en vidéo") {
		t.Errorf("the terminal preview does not name the video:\n%s", text.String())
	}
	var md strings.Builder
	if err := preview.WriteMarkdown(&md, entries, preview.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "🎬 `../media/atelier.mp4`") || !strings.Contains(md.String(), "Facebook publishes the video as a video post") {
		t.Errorf("the Markdown preview does not show the video and its note:\n%s", md.String())
	}
}
