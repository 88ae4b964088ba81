package netspec

import (
	"strings"
	"time"
)

// Facts are what an account's server says of its own limits where they
// differ from server to server (Mastodon's GET /api/v2/instance): herald
// stats caches them in state/instances/<account>.json, and check and
// preview use them instead of the network's documented defaults. The
// field names are Mastodon's, the first network to have them; a zero
// field is one the server does not say.
type Facts struct {
	Server    string    `json:"server"`
	Version   string    `json:"version,omitempty"`
	FetchedAt time.Time `json:"fetched_at"`
	// configuration.statuses
	MaxCharacters            int `json:"max_characters"`
	CharactersReservedPerURL int `json:"characters_reserved_per_url"`
	MaxMediaAttachments      int `json:"max_media_attachments"`
	// configuration.media_attachments; DescriptionLimit is 0 for servers
	// that do not say it (before Mastodon 4.4).
	DescriptionLimit   int      `json:"description_limit,omitempty"`
	SupportedMIMETypes []string `json:"supported_mime_types,omitempty"`
	ImageSizeLimit     int64    `json:"image_size_limit,omitempty"`
	VideoSizeLimit     int64    `json:"video_size_limit,omitempty"`
}

// Apply returns spec (the network's documented limits) with the server's.
func (f Facts) Apply(spec Network) Network {
	if f.MaxCharacters > 0 {
		spec.TextLimit = f.MaxCharacters
	}
	if f.MaxMediaAttachments > 0 {
		spec.MaxMedia = f.MaxMediaAttachments
	}
	if f.DescriptionLimit > 0 {
		spec.AltTextLimit = f.DescriptionLimit
	}
	if len(f.SupportedMIMETypes) > 0 {
		var images, videos []string
		for _, t := range f.SupportedMIMETypes {
			switch {
			case strings.HasPrefix(t, "image/"):
				images = append(images, t)
			case strings.HasPrefix(t, "video/"):
				videos = append(videos, t)
			}
		}
		spec.Image.Types, spec.Video.Types = images, videos
	}
	if f.ImageSizeLimit > 0 {
		spec.Image.MaxBytes = f.ImageSizeLimit
	}
	if f.VideoSizeLimit > 0 {
		spec.Video.MaxBytes = f.VideoSizeLimit
	}
	return spec
}
