package mastodon

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// Facts are what a server says of its limits (GET /api/v2/instance),
// which check and preview use instead of Mastodon's defaults when the
// calendar has them: state/instances/<account>.json.
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

// Instance reads the server's limits: GET /api/v2/instance, or
// /api/v1/instance from a server without it. A limit the server does not
// say is Mastodon's default.
func (c *Client) Instance(ctx context.Context) (Facts, error) {
	var in instance
	err := c.getJSON(ctx, "/api/v2/instance", nil, &in)
	if noRoute(err) {
		err = c.getJSON(ctx, "/api/v1/instance", nil, &in)
	}
	if err != nil {
		return Facts{}, err
	}
	def, _ := netspec.Lookup("mastodon")
	st, ma := in.Configuration.Statuses, in.Configuration.MediaAttachments
	f := Facts{
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

// Apply returns spec (Mastodon's defaults) with the server's limits.
func (f Facts) Apply(spec netspec.Network) netspec.Network {
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

// FactsPath is the file of an account's facts, relative to the calendar
// root: state/instances/<account>.json.
func FactsPath(account string) (string, error) {
	if account == "" || strings.ContainsAny(account, `/\`) {
		return "", fmt.Errorf("account key %q cannot name a file: %w", account, networks.ErrBadName)
	}
	name := "state/instances/" + account + ".json"
	return name, networks.CheckName(name)
}

// LoadFacts reads an account's facts from the calendar; false when there
// are none, or none that can be read (then the defaults apply).
func LoadFacts(calendar fs.FS, account string) (Facts, bool) {
	name, err := FactsPath(account)
	if err != nil {
		return Facts{}, false
	}
	data, err := fs.ReadFile(calendar, name)
	if err != nil {
		return Facts{}, false
	}
	var f Facts
	if err := json.Unmarshal(data, &f); err != nil || f.MaxCharacters <= 0 {
		return Facts{}, false
	}
	return f, true
}

// SaveFacts writes an account's facts into the calendar, for the caller
// to commit with the rest of state/.
func SaveFacts(store networks.Store, account string, f Facts) error {
	name, err := FactsPath(account)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return err
	}
	return store.WriteFile(name, b.Bytes())
}
