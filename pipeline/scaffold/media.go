package scaffold

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/media"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// MediaFile is a file herald new copies under the calendar's media/ and
// names in the post's front matter, with its alt text.
type MediaFile struct {
	Path string // as given: relative to the working directory, or absolute
	Alt  string
}

// mediaDir is where a calendar keeps its images and videos; posts name
// them relative to themselves (posts/YYYY/MM/x.md: ../../../media/NAME).
const mediaDir = "media"

// plannedMedium is a medium checked and ready to be placed under media/.
type plannedMedium struct {
	src, name, alt string
	reuse          bool // media/NAME already holds the same bytes
}

// planMedia checks every medium before anything is written: a regular
// file, a format one of the post's networks takes, a name free under
// media/ or holding the same bytes, a non-empty alt text on one line.
func planMedia(p *i18n.Printer, root, dir string, c *load.Charter, accounts []string, files []MediaFile) ([]plannedMedium, error) {
	say := func(id string, args i18n.Args) error { return &UsageError{p.T("scaffold.media."+id, args)} }
	var planned []plannedMedium
	for _, f := range files {
		q := strconv.Quote(f.Path)
		alt := strings.TrimSpace(f.Alt)
		if alt == "" || strings.ContainsFunc(alt, unicode.IsControl) {
			return nil, say("alt-empty", i18n.Args{"File": q})
		}
		src := f.Path
		if !filepath.IsAbs(src) && dir != "" {
			src = filepath.Join(dir, src)
		}
		info, err := os.Stat(src)
		if err != nil {
			return nil, say("unreadable", i18n.Args{"File": q, "Error": errText(err)})
		}
		if !info.Mode().IsRegular() {
			return nil, say("not-regular", i18n.Args{"File": q})
		}
		name := filepath.Base(src)
		if !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
			return nil, say("bad-name", i18n.Args{"File": q})
		}
		mimeType, err := media.Sniff(os.DirFS(filepath.Dir(src)), name)
		if err != nil {
			return nil, say("unreadable", i18n.Args{"File": q, "Error": errText(err)})
		}
		if !acceptedBySome(c, accounts, mimeType) {
			return nil, say("format", i18n.Args{"File": q, "Type": mimeType, "Accounts": strings.Join(accounts, ", ")})
		}
		if slices.ContainsFunc(planned, func(m plannedMedium) bool { return m.name == name }) {
			return nil, say("twice", i18n.Args{"Name": name})
		}
		reuse, err := sameFileThere(src, filepath.Join(root, mediaDir, name))
		if err != nil {
			return nil, say("taken", i18n.Args{"File": q, "Path": mediaDir + "/" + name})
		}
		planned = append(planned, plannedMedium{src: src, name: name, alt: alt, reuse: reuse})
	}
	return planned, nil
}

// errText is an error without the path os puts before it: the message
// names the file itself.
func errText(err error) string {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// acceptedBySome reports whether one of the accounts' networks takes a
// medium of this MIME type; check reports the others.
func acceptedBySome(c *load.Charter, accounts []string, mimeType string) bool {
	for _, key := range accounts {
		a := c.Accounts[key]
		if a == nil {
			continue
		}
		if spec, ok := netspec.Lookup(a.Network); ok {
			if ok, _ := spec.Accepts(mimeType); ok {
				return true
			}
		}
	}
	return false
}

// sameFileThere reports whether dest exists with the bytes of src (true:
// reuse it); it fails when dest is anything else, so that a different
// file of the same name is never overwritten.
func sameFileThere(src, dest string) (bool, error) {
	info, err := os.Lstat(dest)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !info.Mode().IsRegular() {
		return false, errors.New("not a regular file")
	}
	same, err := sameBytes(src, dest)
	if err != nil {
		return false, err
	}
	if !same {
		return false, errors.New("different content")
	}
	return true, nil
}

// sameBytes compares two files' contents, a block at a time.
func sameBytes(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	ia, err := fa.Stat()
	if err != nil {
		return false, err
	}
	ib, err := fb.Stat()
	if err != nil {
		return false, err
	}
	if ia.Size() != ib.Size() {
		return false, nil
	}
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		na, errA := io.ReadFull(fa, bufA)
		nb, errB := io.ReadFull(fb, bufB)
		if !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		if errA == io.EOF || errA == io.ErrUnexpectedEOF {
			return errB == io.EOF || errB == io.ErrUnexpectedEOF, nil
		}
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
	}
}

// placeMedia copies the planned media under media/ and returns the paths
// it created, for the caller to remove if the post cannot be written.
func placeMedia(root string, planned []plannedMedium) (created []string, err error) {
	for _, m := range planned {
		if m.reuse {
			continue
		}
		dest := filepath.Join(root, mediaDir, m.name)
		if err := copyNew(m.src, dest); err != nil {
			removeAll(created)
			return nil, err
		}
		created = append(created, dest)
	}
	return created, nil
}

func removeAll(paths []string) {
	for _, p := range paths {
		os.Remove(p)
	}
}

// copyNew copies src to dest, which must not exist; a failed copy leaves
// no half-written file.
func copyNew(src, dest string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dest)
	}
	return err
}

// mediaFrontMatter writes the post's media: entries, each src relative to
// the post (posts/YYYY/MM/: three levels under the root).
func mediaFrontMatter(planned []plannedMedium) string {
	if len(planned) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("media:\n")
	for _, m := range planned {
		b.WriteString("  - src: " + yamlScalar("../../../"+mediaDir+"/"+m.name) + "\n")
		b.WriteString("    alt: " + yamlScalar(m.alt) + "\n")
	}
	return b.String()
}
