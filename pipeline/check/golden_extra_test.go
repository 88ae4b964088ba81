package check_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoldenGenerated covers the calendars a txtar cannot hold: symbolic
// links, binary files and very large files are made here, then checked like
// the other golden cases against testdata/generated/<case>.out.
func TestGoldenGenerated(t *testing.T) {
	post := func(front, body string) []byte {
		return []byte("---\n" + front + "---\n" + body)
	}
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
	}{
		{
			// A link inside the calendar that leads out of it is refused,
			// one that stays inside is followed.
			name: "media-symlink-outside",
			setup: func(t *testing.T, dir string) {
				secret := filepath.Join(t.TempDir(), "secret.png")
				writeFile(t, secret, readFile(t, "testdata/base/media/atelier.png"))
				symlink(t, secret, filepath.Join(dir, "media", "outside.png"))
				symlink(t, "atelier.png", filepath.Join(dir, "media", "inside.png"))
				writeFile(t, filepath.Join(dir, "posts", "a.md"), post(
					"date: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\nmedia:\n"+
						"  - src: ../media/outside.png\n    alt: Un lien vers l'extérieur.\n"+
						"  - src: ../media/inside.png\n    alt: Un lien vers l'atelier.\n",
					"Deux liens symboliques.\n"))
			},
		},
		{
			// An image saved with a .md name.
			name: "binary-post",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "posts", "image.md"), readFile(t, "testdata/base/media/atelier.png"))
			},
		},
		{
			// A post saved in Latin-1: the error names the line of the
			// first byte that is not UTF-8.
			name: "latin1-post",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "posts", "latin1.md"), post(
					"date: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\n",
					"Un caf\xe9 \xe0 l'atelier.\n"))
			},
		},
		{
			// 10 MB of front matter is refused before it is parsed.
			name: "huge-front-matter",
			setup: func(t *testing.T, dir string) {
				var b bytes.Buffer
				b.WriteString("---\ndate: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\ntitle: ")
				b.WriteString(strings.Repeat("a", 10<<20))
				b.WriteString("\n---\nUn titre de 10 Mo.\n")
				writeFile(t, filepath.Join(dir, "posts", "huge.md"), b.Bytes())
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := newCalendar(t, nil)
			tt.setup(t, dir)
			compareGolden(t, dir, filepath.Join("testdata", "generated", tt.name+".out"))
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	content, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return content
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create a symbolic link here: %v", err)
	}
}
