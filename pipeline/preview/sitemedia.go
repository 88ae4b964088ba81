package preview

import (
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
)

// siteMedia finds the media the posts use and where their copies go in the
// site. Only regular files inside the post's calendar are copied, whatever
// symbolic links lie on the way: a post cannot publish a file from
// elsewhere on the machine into the site.
type siteMedia struct {
	calendars map[*check.Calendar]mediaRoot
	byAbs     map[string]mediaRef // by the path as the post names it
	byReal    map[string]string   // site path by the file's real path
	taken     map[string]bool
	list      []mediaCopy
	prefix    bool // several calendars: each has its folder below media/
}

// mediaRef is a medium as pages show it: its path in the site, or why it
// is not shown.
type mediaRef struct {
	rel   string // below the site root; "" when not shown
	video bool
	why   string // the message that says why it is not shown: preview.medium.WHY
	ext   string // for why "not-shown"
}

// whyText says, in p's language, why the medium is not shown; "" when it
// is.
func (r mediaRef) whyText(p *i18n.Printer) string {
	if r.why == "" {
		return ""
	}
	ext := r.ext
	if ext == "" {
		ext = p.T("preview.medium.no-extension", nil)
	}
	return p.T("preview.medium."+r.why, i18n.Args{"Ext": ext})
}

type mediaCopy struct{ abs, rel string }

// mediaRoot is a calendar's real root and its folder below media/.
type mediaRoot struct{ real, folder string }

func newSiteMedia(prefix bool) *siteMedia {
	return &siteMedia{
		calendars: map[*check.Calendar]mediaRoot{}, byAbs: map[string]mediaRef{},
		byReal: map[string]string{}, taken: map[string]bool{}, prefix: prefix,
	}
}

var (
	imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".avif": true}
	videoExts = map[string]bool{".mp4": true, ".webm": true, ".mov": true, ".m4v": true}
)

// add resolves the media of a post.
func (m *siteMedia) add(cal *check.Calendar, p *check.Post) {
	for _, med := range p.Media {
		abs := m.abs(p, med.Src.Value)
		if _, ok := m.byAbs[abs]; !ok {
			m.byAbs[abs] = m.resolve(cal, abs, med.Src.Value)
		}
	}
}

// lookup returns a medium of a post, which add has seen.
func (m *siteMedia) lookup(p *check.Post, src string) mediaRef {
	return m.byAbs[m.abs(p, src)]
}

func (m *siteMedia) abs(p *check.Post, src string) string {
	return filepath.Join(filepath.Dir(p.Abs), filepath.FromSlash(src))
}

func (m *siteMedia) resolve(cal *check.Calendar, abs, src string) mediaRef {
	switch {
	case src == "":
		return mediaRef{why: "no-src"}
	case strings.Contains(src, ":") || path.IsAbs(src) || filepath.IsAbs(src):
		return mediaRef{why: "not-calendar"}
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return mediaRef{why: "missing"}
	}
	root, ok := m.calendars[cal]
	if !ok {
		if root.real, err = filepath.EvalSymlinks(cal.Root); err != nil {
			root.real = cal.Root
		}
		root.folder = "media/"
		if m.prefix {
			root.folder += "c" + strconv.Itoa(len(m.calendars)+1) + "/"
		}
		m.calendars[cal] = root
	}
	rel, err := filepath.Rel(root.real, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return mediaRef{why: "outside"}
	}
	if fi, err := os.Stat(real); err != nil || !fi.Mode().IsRegular() {
		return mediaRef{why: "not-file"}
	}
	ext := strings.ToLower(filepath.Ext(real))
	ref := mediaRef{video: videoExts[ext]}
	if !imageExts[ext] && !ref.video {
		return mediaRef{why: "not-shown", ext: ext}
	}
	if ref.rel = m.byReal[real]; ref.rel == "" {
		safe := safePath(strings.TrimPrefix(filepath.ToSlash(rel), "media/"))
		ref.rel = uniqueName(m.taken, root.folder+strings.TrimSuffix(safe, path.Ext(safe)), path.Ext(safe))
		m.byReal[real] = ref.rel
		m.list = append(m.list, mediaCopy{abs: real, rel: ref.rel})
	}
	return ref
}

// copies returns the files to copy into the site.
func (m *siteMedia) copies() []mediaCopy { return m.list }
