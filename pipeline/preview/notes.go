package preview

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// Notes says what a post's text will not do on the entry's network that
// its reader could expect from the preview: on Instagram, a caption's
// links are plain text, not links. Each is a sentence for the terminal,
// Markdown and HTML previews; none for most entries.
func (e Entry) Notes() []string {
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
		switch len(links) {
		case 0:
		case 1:
			notes = append(notes, "links are not clickable on Instagram: put "+links[0]+" in the bio")
		default:
			notes = append(notes, "links are not clickable on Instagram: put them in the bio ("+strings.Join(links, ", ")+")")
		}
	}
	if v := e.video(); v != nil {
		s, _ := netspec.Lookup(e.Account.Network)
		limits := videoLimits(s)
		switch e.Account.Network {
		case "linkedin":
			notes = append(notes, fmt.Sprintf("LinkedIn shows the video under the title %q (the post's title, else the video's alt text); it takes %s", videoTitle(e, *v), limits))
		case "facebook":
			notes = append(notes, "Facebook publishes the video as a video post of the Page, with the text as its description; it takes "+limits)
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
// limits: "MP4 videos of 3s to 30m0s and 75 kB to 500 MB".
func videoLimits(s netspec.Network) string {
	var formats []string
	for _, t := range s.Video.Types {
		formats = append(formats, strings.ToUpper(strings.TrimPrefix(strings.TrimPrefix(t, "video/"), "x-")))
	}
	out := strings.ReplaceAll(strings.Join(formats, " or "), "QUICKTIME", "MOV") + " videos"
	between := func(min, max string) string {
		if min == "" {
			return "up to " + max
		}
		return min + " to " + max
	}
	if d := s.MaxVideoDuration; d > 0 {
		out += " of " + between(duration(s.MinVideoDuration), duration(d))
	}
	if b := s.Video.MaxBytes; b > 0 {
		out += " and " + between(bytesText(s.Video.MinBytes), bytesText(b))
	}
	return out
}

// duration writes a limit as people read it: "3 s", "30 min", "4 h"; ""
// for none.
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

// bytesText writes a size limit: "75 kB", "500 MB", "10 GB"; "" for none.
func bytesText(n int64) string {
	switch {
	case n == 0:
		return ""
	case n >= 1_000_000_000 && n%1_000_000_000 == 0:
		return fmt.Sprintf("%d GB", n/1_000_000_000)
	case n >= 1_000_000:
		return fmt.Sprintf("%d MB", n/1_000_000)
	case n >= 1_000:
		return fmt.Sprintf("%d kB", n/1_000)
	}
	return fmt.Sprintf("%d bytes", n)
}
