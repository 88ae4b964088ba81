package check

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/media"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render/length"
)

// checkMedia checks each medium of a post: it exists, stays inside the
// calendar, and every target network accepts its format, size and alt text.
func (cr *charterRules) checkMedia(r *reporter, p *load.Post, abs string, accounts []*load.Account) {
	perPart := map[int][]load.Text{} // where each medium starts, by thread part
	partTypes := map[int][]string{}  // the MIME type of each, "" when unknown
	for _, m := range p.Media {
		pos := load.Text{Line: m.Line, Column: m.Col}
		perPart[m.Part] = append(perPart[m.Part], pos)
		partTypes[m.Part] = append(partTypes[m.Part], "")
		if cr.charter.Voice.RequireAltText && strings.TrimSpace(m.Alt.Value) == "" {
			at := pos
			if m.Alt.IsSet() {
				at = m.Alt
			}
			r.at("media.alt-missing", at, "check.media.alt-missing", i18n.Args{"Src": r.q(m.Src.Value)})
		}
		// The file's type decides the alt text limit (a Bluesky video's is
		// half an image's); a file that cannot be read is held to an image's.
		var file sniffResult
		if m.Src.IsSet() { // the schema reports a missing src
			if real, ok := cr.resolveMedia(r, abs, m.Src); ok {
				file = cr.sniff(real)
				var notRegular load.NotRegularError
				switch {
				case errors.As(file.err, &notRegular):
					r.at("media.missing", m.Src, "check.media.not-regular", i18n.Args{"Src": m.Src.Value, "Kind": fileKind(cr.p, notRegular.Kind)})
				case file.err == errEmptyMedia:
					r.at("media.missing", m.Src, "check.media.empty", i18n.Args{"Src": m.Src.Value})
				case file.err != nil:
					r.at("media.missing", m.Src, "check.media.unreadable", i18n.Args{"Src": m.Src.Value, "Err": file.err})
				}
			}
		}
		if m.Alt.IsSet() {
			graphemes := length.Graphemes(m.Alt.Value)
			for _, a := range accounts {
				if limit := spec(a).AltLimit(file.mimeType); limit > 0 && graphemes > limit {
					id := "check.media.alt-length"
					if limit != spec(a).AltTextLimit {
						id = "check.media.alt-length-video"
					}
					r.at("media.alt-length", m.Alt, id, i18n.Args{"N": plainInt(graphemes), "Network": a.Network, "Limit": plainInt(limit)})
				}
			}
		}
		if file.mimeType == "" {
			continue
		}
		types := partTypes[m.Part]
		types[len(types)-1] = file.mimeType
		for _, a := range accounts {
			s := spec(a)
			limit, accepted := s.Limit(file.mimeType)
			video := s.IsVideo(file.mimeType)
			switch {
			case !accepted:
				r.at("media.format", m.Src, "check.media.format", i18n.Args{"Network": a.Network, "Type": file.mimeType, "Src": m.Src.Value})
			case limit.MaxBytes > 0 && file.size > limit.MaxBytes:
				r.at("media.size", m.Src, "check.media.size", i18n.Args{"Src": m.Src.Value, "Size": humanBytes(cr.p, file.size), "Network": a.Network,
					"Max": humanBytes(cr.p, limit.MaxBytes), "Type": file.mimeType})
			case limit.MinBytes > 0 && file.size < limit.MinBytes:
				r.at("media.size", m.Src, "check.media.size-min", i18n.Args{"Src": m.Src.Value, "Size": humanBytes(cr.p, file.size), "Network": a.Network,
					"Min": humanBytes(cr.p, limit.MinBytes), "Type": file.mimeType})
			case video && s.MaxVideoDuration > 0 && file.duration > s.MaxVideoDuration:
				r.at("media.duration", m.Src, "check.media.duration", i18n.Args{"Src": m.Src.Value, "Duration": cr.p.Duration(file.duration.Round(time.Second)),
					"Network": a.Network, "Max": cr.p.Duration(s.MaxVideoDuration)})
			case video && s.MinVideoDuration > 0 && file.duration > 0 && file.duration < s.MinVideoDuration:
				r.at("media.duration", m.Src, "check.media.duration-min", i18n.Args{"Src": m.Src.Value, "Duration": cr.p.Duration(file.duration.Round(100 * time.Millisecond)),
					"Network": a.Network, "Min": cr.p.Duration(s.MinVideoDuration)})
			}
		}
	}
	for _, a := range accounts {
		s := spec(a)
		if s.NeedsMedia && len(p.Media) == 0 {
			at := p.Date
			if i := slices.IndexFunc(p.Networks, func(n load.Text) bool { return n.Value == a.Key }); i >= 0 {
				at = p.Networks[i]
			}
			r.at("media.required", at, "check.media.required", i18n.Args{"Network": a.Network})
		}
		if s.NeedsMediaURL && len(p.Media) > 0 && cr.charter.MediaURL == "" {
			at := p.Date
			if i := slices.IndexFunc(p.Networks, func(n load.Text) bool { return n.Value == a.Key }); i >= 0 {
				at = p.Networks[i]
			}
			r.at("media.url-missing", at, "check.media.url-missing", i18n.Args{"Network": a.Network})
		}
		for part, media := range perPart {
			if s.VideoAlone && len(media) > 1 {
				if i := slices.IndexFunc(partTypes[part], s.IsVideo); i >= 0 {
					r.at("media.video-alone", media[i], "check.media.video-alone", i18n.Args{"Part": part, "N": len(media), "Network": a.Network})
				}
			}
			if s.MaxMedia > 0 && len(media) > s.MaxMedia {
				// At the first medium too many.
				r.at("media.count", media[s.MaxMedia], "check.media.count", i18n.Args{"N": len(media), "Part": part, "Network": a.Network, "Max": s.MaxMedia})
			}
		}
	}
}

// resolveMedia returns the file a src names, after checking that it stays
// inside the calendar both as written and once symbolic links are followed.
func (cr *charterRules) resolveMedia(r *reporter, postAbs string, src load.Text) (string, bool) {
	if strings.Contains(src.Value, "://") || filepath.IsAbs(src.Value) || strings.HasPrefix(src.Value, "/") {
		r.at("media.outside", src, "check.media.outside.not-relative", i18n.Args{"Src": r.q(src.Value)})
		return "", false
	}
	file := mediaPath(postAbs, src.Value)
	if !within(cr.root, file) {
		r.at("media.outside", src, "check.media.outside.leaves", i18n.Args{"Src": r.q(src.Value)})
		return "", false
	}
	real, err := cr.cachedRealPath(file)
	if err != nil {
		r.at("media.missing", src, "check.media.missing", i18n.Args{"Src": src.Value})
		return "", false
	}
	realRoot, err := cr.realRoot()
	if err != nil || !within(realRoot, real) {
		r.at("media.outside", src, "check.media.outside.symlink", i18n.Args{"Src": r.q(src.Value)})
		return "", false
	}
	return real, true
}

// mediaCache keeps what the file system said about media files, which
// posts often share (a logo, a product shot): each is resolved and read
// once per run.
type mediaCache struct {
	realPaths sync.Map // file -> realPathResult
	sniffed   sync.Map // real path -> sniffResult
	folders   sync.Map // folder below the root -> lstatResult, for realPath
}

// lstatResult is what os.Lstat said of a folder that media are in.
type lstatResult struct {
	symlink bool
	err     error
}

type realPathResult struct {
	real string
	err  error
}

type sniffResult struct {
	mimeType string
	size     int64
	duration time.Duration // of an MP4 or QuickTime video; 0 when unknown
	err      error
}

// cachedRealPath is realPath, once per file.
func (cr *charterRules) cachedRealPath(file string) (string, error) {
	if v, ok := cr.mediaFiles.realPaths.Load(file); ok {
		res := v.(realPathResult)
		return res.real, res.err
	}
	real, err := cr.realPath(file)
	cr.mediaFiles.realPaths.Store(file, realPathResult{real, err})
	return real, err
}

// sniff is sniff, once per file.
func (cr *charterRules) sniff(real string) sniffResult {
	if v, ok := cr.mediaFiles.sniffed.Load(real); ok {
		return v.(sniffResult)
	}
	res := sniff(real)
	cr.mediaFiles.sniffed.Store(real, res)
	return res
}

// realPath is filepath.EvalSymlinks(file) for a file below the calendar
// root, without resolving the root's own path again for every medium: when
// no part of the path below the root is a symbolic link, the real path is
// the root's real path joined with the rest.
func (cr *charterRules) realPath(file string) (string, error) {
	realRoot, err := cr.realRoot()
	if err != nil {
		return filepath.EvalSymlinks(file)
	}
	rel, err := filepath.Rel(cr.root, file)
	if err != nil || rel == "." {
		return filepath.EvalSymlinks(file)
	}
	for i := 0; i <= len(rel); i++ {
		if i < len(rel) && rel[i] != filepath.Separator {
			continue
		}
		var symlink bool
		if i < len(rel) {
			symlink, err = cr.lstatFolder(rel[:i])
		} else {
			symlink, err = lstatSymlink(file)
		}
		if err != nil {
			return "", err
		}
		if symlink {
			return filepath.EvalSymlinks(file)
		}
	}
	return filepath.Join(realRoot, rel), nil
}

// lstatFolder is lstatSymlink for a folder below the root that holds
// media, once per folder: most media of a calendar share a few folders.
func (cr *charterRules) lstatFolder(rel string) (bool, error) {
	if v, ok := cr.mediaFiles.folders.Load(rel); ok {
		res := v.(lstatResult)
		return res.symlink, res.err
	}
	symlink, err := lstatSymlink(filepath.Join(cr.root, rel))
	cr.mediaFiles.folders.Store(rel, lstatResult{symlink, err})
	return symlink, err
}

// lstatSymlink reports whether path is a symbolic link, as os.Lstat says.
func lstatSymlink(path string) (bool, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	return fi.Mode()&fs.ModeSymlink != 0, nil
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// errEmptyMedia is a medium whose file holds nothing: its type cannot be
// told, and no network takes it.
var errEmptyMedia = errors.New("the file is empty")

// sniff returns a file's MIME type, read from its first bytes as browsers
// do, or from its extension for formats the sniffer does not know (mov),
// its size, and an MP4 or QuickTime video's duration, read from its box
// headers and movie box alone.
func sniff(path string) sniffResult {
	f, err := openMedia(path)
	if err != nil {
		return sniffResult{err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return sniffResult{err: err}
	}
	if fi.IsDir() {
		return sniffResult{err: fmt.Errorf("it is a folder")}
	}
	if fi.Size() == 0 {
		return sniffResult{err: errEmptyMedia}
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return sniffResult{err: err}
	}
	res := sniffResult{mimeType: media.MIMEOf(head[:n], filepath.ToSlash(path)), size: fi.Size()}
	if res.mimeType == "video/mp4" || res.mimeType == "video/quicktime" {
		info, _ := media.ReadMP4(f, fi.Size())
		res.duration = info.Duration
	}
	return res
}
