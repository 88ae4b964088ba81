package mastodon

import (
	"context"
	"time"

	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// instance is the part of the Instance entity (v2, and v1 of Mastodon
// 3.4 and later) Herald reads, and max_toot_chars of Pleroma's v1.
type instance struct {
	Version       string `json:"version"`
	MaxTootChars  int    `json:"max_toot_chars"`
	Configuration struct {
		Statuses struct {
			MaxCharacters            int `json:"max_characters"`
			MaxMediaAttachments      int `json:"max_media_attachments"`
			CharactersReservedPerURL int `json:"characters_reserved_per_url"`
		} `json:"statuses"`
		MediaAttachments struct {
			SupportedMIMETypes []string `json:"supported_mime_types"`
			DescriptionLimit   int      `json:"description_limit"`
			ImageSizeLimit     int64    `json:"image_size_limit"`
			VideoSizeLimit     int64    `json:"video_size_limit"`
		} `json:"media_attachments"`
	} `json:"configuration"`
}

// Facts reads the server's limits: GET /api/v2/instance, or
// /api/v1/instance from a server without it. A limit the server does not
// say is Mastodon's default.
func (c *Client) Facts(ctx context.Context) (netspec.Facts, error) {
	var in instance
	err := c.getJSON(ctx, "/api/v2/instance", nil, &in)
	if noRoute(err) {
		err = c.getJSON(ctx, "/api/v1/instance", nil, &in)
	}
	if err != nil {
		return netspec.Facts{}, err
	}
	def, _ := netspec.Lookup("mastodon")
	st, ma := in.Configuration.Statuses, in.Configuration.MediaAttachments
	f := netspec.Facts{
		Server:                   c.base.String(),
		Version:                  in.Version,
		FetchedAt:                c.now().UTC().Truncate(time.Second),
		MaxCharacters:            firstPositive(st.MaxCharacters, in.MaxTootChars, def.TextLimit),
		CharactersReservedPerURL: firstPositive(st.CharactersReservedPerURL, 23),
		MaxMediaAttachments:      firstPositive(st.MaxMediaAttachments, def.MaxMedia),
		DescriptionLimit:         ma.DescriptionLimit,
		SupportedMIMETypes:       ma.SupportedMIMETypes,
		ImageSizeLimit:           ma.ImageSizeLimit,
		VideoSizeLimit:           ma.VideoSizeLimit,
	}
	return f, nil
}

func firstPositive(ns ...int) int {
	for _, n := range ns {
		if n > 0 {
			return n
		}
	}
	return 0
}
