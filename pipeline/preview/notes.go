package preview

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// Notes says what a post's text will not do on the entry's network that
// its reader could expect from the preview: on Instagram, a caption's
// links are plain text, not links. Each is a sentence for the terminal,
// Markdown and HTML previews, in p's language; none for most entries.
func (e Entry) Notes(p *i18n.Printer) []string {
	var notes []string
	if e.Account.Network == "instagram" {
		var links []string
		for _, part := range e.Rendering.Parts {
			for _, f := range facets.Detect(part.Text) {
				if f.Type == facets.Link && !slices.Contains(links, f.Value) {
					links = append(links, f.Value)
				}
			}
		}
		if len(links) > 0 {
			notes = append(notes, printerOr(p).N("preview.note.instagram-links", len(links), i18n.Args{"Links": strings.Join(links, ", ")}))
		}
	}
	if v := e.video(); v != nil {
		p := printerOr(p)
		s, _ := netspec.Lookup(e.Account.Network)
		limits := videoLimits(p, s)
		switch e.Account.Network {
		case "linkedin":
			notes = append(notes, p.T("preview.note.linkedin-video", i18n.Args{"Title": p.Quote(videoTitle(e, *v)), "Limits": limits}))
		case "facebook":
			notes = append(notes, p.T("preview.note.facebook-video", i18n.Args{"Limits": limits}))
		}
	}
	return notes
}

// video is the entry's first video, nil when it has none.
func (e Entry) video() *load.Media {
	for _, part := range e.Rendering.Parts {
		for i, m := range part.Media {
			if isVideo(m.Src.Value) {
				return &part.Media[i]
			}
		}
	}
	return nil
}

// isVideo tells a video from an image by its file name, as the pages do.
func isVideo(src string) bool { return videoExts[strings.ToLower(path.Ext(src))] }

// videoTitle is the title LinkedIn shows above a video, as the LinkedIn
// client chooses it: the post's title, else the alt text, else the file
// name without its extension.
func videoTitle(e Entry, m load.Media) string {
	if t := strings.TrimSpace(e.Post.Title.Value); t != "" {
		return t
	}
	if a := strings.TrimSpace(m.Alt.Value); a != "" {
		return a
	}
	base := path.Base(m.Src.Value)
	return strings.TrimSuffix(base, path.Ext(base))
}

// videoLimits says what videos a network takes, from its documented
// limits: "MP4 videos of 3 s to 30 min and 75 kB to 500 MB".
func videoLimits(p *i18n.Printer, s netspec.Network) string {
	var formats []string
	for _, t := range s.Video.Types {
		format := strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(t, "video/"), "x-"))
		formats = append(formats, strings.ReplaceAll(format, "QUICKTIME", "MOV"))
	}
	if len(formats) > 1 {
		formats = []string{p.T("preview.video.or", i18n.Args{"List": strings.Join(formats[:len(formats)-1], ", "), "Last": formats[len(formats)-1]})}
	}
	out := p.T("preview.video.formats", i18n.Args{"Formats": strings.Join(formats, "")})
	between := func(min, max string) string {
		if min == "" {
			return p.T("preview.video.up-to", i18n.Args{"Max": max})
		}
		return p.T("preview.video.range", i18n.Args{"Min": min, "Max": max})
	}
	if d := s.MaxVideoDuration; d > 0 {
		out = p.T("preview.video.with-duration", i18n.Args{"Videos": out, "Range": between(duration(s.MinVideoDuration), duration(d))})
	}
	if b := s.Video.MaxBytes; b > 0 {
		out = p.T("preview.video.with-size", i18n.Args{"Videos": out, "Range": between(bytesText(p, s.Video.MinBytes), bytesText(p, b))})
	}
	return out
}

// duration writes a limit as people read it: "3 s", "30 min", "4 h" (the
// same in English and French); "" for none.
func duration(d time.Duration) string {
	switch {
	case d == 0:
		return ""
	case d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	}
	return fmt.Sprintf("%d s", d/time.Second)
}

// bytesText writes a size limit: "75 kB", "500 MB", "10 GB" ("75 ko"... in
// French); "" for none.
func bytesText(p *i18n.Printer, n int64) string {
	switch {
	case n == 0:
		return ""
	case n >= 1_000_000_000 && n%1_000_000_000 == 0:
		return p.T("preview.size.gb", i18n.Args{"N": n / 1_000_000_000})
	case n >= 1_000_000:
		return p.T("preview.size.mb", i18n.Args{"N": n / 1_000_000})
	case n >= 1_000:
		return p.T("preview.size.kb", i18n.Args{"N": n / 1_000})
	}
	return p.T("preview.size.b", i18n.Args{"N": n})
}
