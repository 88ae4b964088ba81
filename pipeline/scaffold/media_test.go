package scaffold

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// pngBytes is a small real PNG, sniffed as image/png; seed changes its bytes.
func pngBytes(t *testing.T, seed uint8) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	img.Pix[0] = seed
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mediaPost(o PostOptions, title, date string, media ...MediaFile) PostOptions {
	o.Title, o.Date, o.Networks, o.Tags = title, date, []string{"mastodon"}, []string{"product"}
	o.Media = media
	return o
}

func TestNewPostMedia(t *testing.T) {
	t.Parallel()
	root, opts := newCalendar(t)
	outside := t.TempDir()
	mug := writeFile(t, filepath.Join(outside, "mug.png"), pngBytes(t, 1))
	plaid := writeFile(t, filepath.Join(outside, "plaid laine.png"), pngBytes(t, 2))

	path, err := NewPost(mediaPost(opts, "Le mug", "2026-12-02 10:00", MediaFile{mug, "A blue mug"}, MediaFile{plaid, "  Un plaid : rouge  "}))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "---\ndate: 2026-12-02 10:00\nnetworks: [mastodon]\ntags: [product]\ntitle: Le mug\nmedia:\n" +
		"  - src: ../../../media/mug.png\n    alt: A blue mug\n" +
		"  - src: ../../../media/plaid laine.png\n    alt: 'Un plaid : rouge'\n---\nLe mug\n"
	if string(got) != want {
		t.Errorf("post:\n%s\nwant:\n%s", got, want)
	}
	for name, src := range map[string]string{"mug.png": mug, "plaid laine.png": plaid} {
		copied, err := os.ReadFile(filepath.Join(root, "media", name))
		if err != nil {
			t.Fatal(err)
		}
		orig, _ := os.ReadFile(src)
		if !bytes.Equal(copied, orig) {
			t.Errorf("media/%s differs from %s", name, src)
		}
	}
	checkClean(t, root)

	// The same bytes under the same name are reused, from anywhere: a
	// second post with the same image, and one naming media/ itself.
	if _, err := NewPost(mediaPost(opts, "Encore le mug", "2026-12-03 10:00", MediaFile{mug, "A blue mug"})); err != nil {
		t.Errorf("same bytes again: %v", err)
	}
	o := mediaPost(opts, "Le mug, toujours", "2026-12-04 10:00", MediaFile{"media/mug.png", "A blue mug"})
	o.Dir = root
	if _, err := NewPost(o); err != nil {
		t.Errorf("the file already under media/: %v", err)
	}
	checkClean(t, root)
}

func TestNewPostMediaRefused(t *testing.T) {
	t.Parallel()
	root, opts := newCalendar(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(root, "media", "mug.png"), pngBytes(t, 1))
	otherMug := writeFile(t, filepath.Join(dir, "mug.png"), pngBytes(t, 9))
	good := writeFile(t, filepath.Join(dir, "good.png"), pngBytes(t, 3))
	text := writeFile(t, filepath.Join(dir, "notes.png"), []byte("not an image at all\n"))
	pdf := writeFile(t, filepath.Join(dir, "flyer.pdf"), []byte("%PDF-1.4\n"))
	tab := writeFile(t, filepath.Join(dir, "a\tb.png"), pngBytes(t, 4))
	sub := filepath.Join(dir, "folder.png")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		media []MediaFile
		want  string
	}{
		{"different bytes, same name", []MediaFile{{good, "ok"}, {otherMug, "A mug"}},
			`--media "` + otherMug + `": media/mug.png already holds a different file: rename yours, or name the one in media/`},
		{"text named .png", []MediaFile{{text, "notes"}},
			`--media "` + text + `" is text/plain, which none of mastodon accepts: convert it to JPEG or PNG (images) or MP4 (videos)`},
		{"pdf", []MediaFile{{pdf, "flyer"}},
			`--media "` + pdf + `" is application/pdf, which none of mastodon accepts`},
		{"a folder", []MediaFile{{sub, "folder"}},
			`--media "` + sub + `" is not a regular file: give an image or a video file`},
		{"missing", []MediaFile{{filepath.Join(dir, "nope.png"), "nope"}},
			`--media "` + filepath.Join(dir, "nope.png") + `": no such file or directory`},
		{"empty alt", []MediaFile{{good, "  "}},
			`--media "` + good + `": its --alt is empty or not on one line`},
		{"alt on two lines", []MediaFile{{good, "one\ntwo"}},
			`--media "` + good + `": its --alt is empty or not on one line`},
		{"control character in the name", []MediaFile{{tab, "tab"}},
			`--media "` + strings.ReplaceAll(tab, "\t", `\t`) + `": its name has control characters`},
		{"same name twice", []MediaFile{{good, "a"}, {good, "b"}},
			`--media: two files are named good.png: rename one of them`},
	}
	for _, tt := range tests {
		_, err := NewPost(mediaPost(opts, "Refused "+tt.name, "2026-12-02 10:00", tt.media...))
		if _, ok := errors.AsType[*UsageError](err); !ok || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want a usage error starting %q", tt.name, err, tt.want)
		}
	}
	// Nothing written: no post, and good.png (valid, listed first) not copied.
	if left, _ := filepath.Glob(filepath.Join(root, "posts", "*", "*", "refused-*")); len(left) > 0 {
		t.Errorf("refused posts were written: %v", left)
	}
	if _, err := os.Stat(filepath.Join(root, "media", "good.png")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused post left media/good.png: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "media", "mug.png")); !bytes.Equal(got, pngBytes(t, 1)) {
		t.Error("media/mug.png was overwritten")
	}
}
