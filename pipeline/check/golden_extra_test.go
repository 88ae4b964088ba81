package check_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/mp4test"
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
			// Bluesky's video limits, which publish enforces too: a video
			// of more than 3 minutes (read from its movie header, at the
			// end of a file written without faststart too), and a video's
			// alt text of more than 1,000 characters, which an image may
			// hold (2,000). Mastodon takes all three.
			name: "video-bluesky-limits",
			setup: func(t *testing.T, dir string) {
				longAlt := "    alt: >\n" + strings.Repeat("      Une longue description de l'atelier, des établis, des outils et des tissus posés sur la table.\n", 11)
				writeFile(t, filepath.Join(dir, "media", "long.mp4"), mp4test.MP4(1280, 720, 3*time.Minute+time.Second))
				writeFile(t, filepath.Join(dir, "media", "short.mp4"), mp4test.MP4(720, 1280, 2*time.Minute+59*time.Second))
				// moov after the media data: not faststart.
				writeFile(t, filepath.Join(dir, "media", "late.mov"), bytes.Join([][]byte{
					mp4test.Box("ftyp", []byte("qt  \x00\x00\x02\x00qt  ")),
					mp4test.Box("mdat", make([]byte, 4096)),
					mp4test.Box("moov", mp4test.Mvhd(0, 600, 600*200)),
				}, nil))
				writeFile(t, filepath.Join(dir, "posts", "a.md"), post(
					"date: 2026-11-02 09:30\nnetworks: [mastodon, bluesky]\ntags: [produit]\nmedia:\n"+
						"  - src: ../media/long.mp4\n    alt: Trois minutes et une seconde.\n"+
						"  - src: ../media/short.mp4\n"+longAlt+
						"  - src: ../media/late.mov\n    alt: Trois minutes vingt.\n"+
						"  - src: ../media/atelier.png\n"+longAlt,
					"Trois vidéos et une image.\n"))
			},
		},
		{
			// LinkedIn's video limits (Videos API): MP4 only, 3 seconds to
			// 30 minutes, 75 kB to 500 MB, and a video alone in its post.
			// Mastodon takes all of them.
			name: "video-linkedin-limits",
			setup: func(t *testing.T, dir string) {
				padded := func(d time.Duration) []byte { return append(mp4test.MP4(1280, 720, d), make([]byte, 80_000)...) }
				writeFile(t, filepath.Join(dir, "media", "long.mp4"), padded(30*time.Minute+time.Second))
				writeFile(t, filepath.Join(dir, "media", "short.mp4"), padded(2*time.Second))
				writeFile(t, filepath.Join(dir, "media", "good.mp4"), padded(10*time.Second))
				writeFile(t, filepath.Join(dir, "media", "tiny.mp4"), mp4test.MP4(1280, 720, 10*time.Second))
				writeFile(t, filepath.Join(dir, "media", "clip.mov"), bytes.Join([][]byte{
					mp4test.Box("ftyp", []byte("qt  \x00\x00\x02\x00qt  ")),
					mp4test.Box("moov", mp4test.Mvhd(0, 600, 600*10)),
					mp4test.Box("mdat", make([]byte, 80_000)),
				}, nil))
				day := 2
				video := func(name string, srcs ...string) {
					media := ""
					for _, src := range srcs {
						media += "  - src: ../media/" + src + "\n    alt: L'atelier, " + src + ".\n"
					}
					writeFile(t, filepath.Join(dir, "posts", name+".md"), post(
						fmt.Sprintf("date: 2026-11-%02d 10:30\nnetworks: [mastodon, linkedin]\ntags: [produit]\nmedia:\n%s", day, media),
						"La vidéo "+name+".\n"))
					day++
				}
				video("long", "long.mp4")
				video("short", "short.mp4")
				video("tiny", "tiny.mp4")
				video("mov", "clip.mov")
				video("good", "good.mp4")
				video("with-image", "atelier.png", "good.mp4")
			},
		},
		{
			// A file name with a backslash gives an id that is one file
			// name here and a folder on Windows: its state file could not
			// be found again.
			name: "post-id-backslash-path",
			setup: func(t *testing.T, dir string) {
				if runtime.GOOS == "windows" {
					t.Skip("a backslash separates folders here")
				}
				writeFile(t, filepath.Join(dir, "posts", `news\launch.md`), post(
					"date: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\n",
					"Un nom de fichier avec une barre oblique inversée.\n"))
			},
		},
		{
			// A post file that is a symbolic link out of the calendar is
			// refused unread (no message quotes a line of it); one that
			// stays inside is followed.
			name: "post-symlink-outside",
			setup: func(t *testing.T, dir string) {
				secret := filepath.Join(t.TempDir(), "secret.md")
				writeFile(t, secret, []byte("root:x:0:0:secret line\n"))
				writeFile(t, filepath.Join(dir, "drafts", "inside.md"), post(
					"date: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\n",
					"Un lien vers un post du calendrier.\n"))
				if err := os.MkdirAll(filepath.Join(dir, "posts"), 0o755); err != nil {
					t.Fatal(err)
				}
				symlink(t, secret, filepath.Join(dir, "posts", "outside.md"))
				symlink(t, filepath.Join("..", "drafts", "inside.md"), filepath.Join(dir, "posts", "inside.md"))
			},
		},
		{
			// Paths of the charter that lead out of the calendar, or into
			// one of its reserved folders, through a symbolic link.
			name: "charter-path-symlink",
			setup: func(t *testing.T, dir string) {
				symlink(t, t.TempDir(), filepath.Join(dir, "public"))
				if err := os.MkdirAll(filepath.Join(dir, "state"), 0o755); err != nil {
					t.Fatal(err)
				}
				symlink(t, "state", filepath.Join(dir, "journal"))
				schema := filepath.Join(t.TempDir(), "schema.json")
				writeFile(t, schema, []byte("{\"secret\": \n"))
				symlink(t, schema, filepath.Join(dir, "schema.json"))
				charter := strings.Replace(string(readFile(t, "testdata/base/charter.yaml")),
					"outbox:   {network: outbox, dir: outbox}",
					"outbox:   {network: outbox, dir: journal/outbox}", 1)
				charter += "post_schema: schema.json\n"
				writeFile(t, filepath.Join(dir, "charter.yaml"), []byte(charter))
			},
		},
		{
			// A 0-byte image (an export that failed) is named as empty,
			// not as a text file no network accepts.
			name: "media-empty",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "media", "vide.png"), nil)
				writeFile(t, filepath.Join(dir, "posts", "a.md"), post(
					"date: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\nmedia:\n"+
						"  - src: ../media/vide.png\n    alt: Une image vide.\n",
					"Une image de 0 octet.\n"))
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
