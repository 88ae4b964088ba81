package bluesky

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/gif" // image.DecodeConfig of each format a post may carry
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"strconv"
	"strings"

	comatproto "github.com/bluesky-social/indigo/api/atproto"
	"github.com/bluesky-social/indigo/api/bsky"
	"github.com/bluesky-social/indigo/atproto/syntax"
	lexutil "github.com/bluesky-social/indigo/lex/util"
	_ "golang.org/x/image/webp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/render/facets"
)

const postCollection = "app.bsky.feed.post"

// clockID is the clock id of every record key Herald derives: the low ten
// bits of a TID, 0x3e8 (1000), the same for every post.
const clockID = 0x3e8

// RecordKey is the record key of part (from 0) of a post as an account
// publishes it: a TID whose timestamp is the first 50 bits of
// SHA-256("herald/bluesky/v1\x00" + account + "\x00" + post id + "\x00" +
// part), read as microseconds since 1970 (so before 2005-09: never a time
// in the future, which some readers refuse), and whose clock id is fixed
// (clockID, which marks the keys Herald derives). The same post, account
// and part always give the same key, so a retry writes where the first
// try wrote and the PDS refuses it, and Lookup finds the record with
// getRecord. The key says nothing of when the post was written: AT
// Protocol lets a client choose any TID, and the post's createdAt is its
// time. Never change this derivation: it names posts already published.
func RecordKey(account, postID string, part int) string {
	h := sha256.Sum256([]byte("herald/bluesky/v1\x00" + account + "\x00" + postID + "\x00" + strconv.Itoa(part)))
	micros := int64(binary.BigEndian.Uint64(h[:8]) >> 14) // 50 bits
	return syntax.NewTID(micros, clockID).String()
}

// primaryLanguage returns the primary subtag of a BCP 47 tag ("fr" of
// "fr-FR"), "" when there is none.
func primaryLanguage(tag string) string {
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	primary = strings.ToLower(strings.TrimSpace(primary))
	if _, err := syntax.ParseLanguage(primary); err != nil || primary == "" {
		return ""
	}
	return primary
}

// createdAt is the post's createdAt: when the run publishes it, else the
// post's date, in UTC with milliseconds as atproto's datetime format asks.
func createdAt(p networks.Publication) string {
	t := p.At
	if t.IsZero() {
		t = p.When
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// richText turns the facets the preview layer detects (facets.Detect, the
// same byte offsets herald preview prints) into app.bsky.richtext.facet
// features. A mention is resolved to its DID; one that does not resolve
// stays plain text.
func (c *Client) richText(ctx context.Context, text string) ([]*bsky.RichtextFacet, error) {
	var out []*bsky.RichtextFacet
	for _, f := range facets.Detect(text) {
		feature := &bsky.RichtextFacet_Features_Elem{}
		switch f.Type {
		case facets.Link:
			feature.RichtextFacet_Link = &bsky.RichtextFacet_Link{Uri: f.Value}
		case facets.Tag:
			feature.RichtextFacet_Tag = &bsky.RichtextFacet_Tag{Tag: f.Value}
		case facets.Mention:
			did, err := c.resolveHandle(ctx, f.Value)
			if err != nil {
				return nil, err
			}
			if did == "" {
				continue
			}
			feature.RichtextFacet_Mention = &bsky.RichtextFacet_Mention{Did: did}
		default:
			continue
		}
		out = append(out, &bsky.RichtextFacet{
			Index:    &bsky.RichtextFacet_ByteSlice{ByteStart: int64(f.ByteStart), ByteEnd: int64(f.ByteEnd)},
			Features: []*bsky.RichtextFacet_Features_Elem{feature},
		})
	}
	return out, nil
}

// resolveHandle returns the DID of a handle with
// com.atproto.identity.resolveHandle on the PDS, "" when the handle does
// not resolve (a 4xx answer). Each handle is resolved once per run.
func (c *Client) resolveHandle(ctx context.Context, handle string) (string, error) {
	handle = strings.ToLower(handle)
	c.mu.Lock()
	did, ok := c.dids[handle]
	c.mu.Unlock()
	if ok {
		return did, nil
	}
	did, err := c.resolveOn(ctx, c.pds, handle)
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.dids[handle] = did
	c.mu.Unlock()
	return did, nil
}

// embed returns the embed of a part: its images (app.bsky.embed.images,
// with alt text and aspect ratio), or its video (app.bsky.embed.video, see
// videoEmbed), or, for a part with no media, a link card of its first link
// (app.bsky.embed.external) when the page can be read; nil for none.
func (c *Client) embed(ctx context.Context, files fs.FS, part networks.Part, rich []*bsky.RichtextFacet) (*bsky.FeedPost_Embed, error) {
	if len(part.Media) == 0 {
		for _, f := range rich {
			if link := f.Features[0].RichtextFacet_Link; link != nil {
				if ext := c.linkCard(ctx, link.Uri); ext != nil {
					return &bsky.FeedPost_Embed{EmbedExternal: &bsky.EmbedExternal{External: ext}}, nil
				}
				break
			}
		}
		return nil, nil
	}
	for _, m := range part.Media {
		if strings.HasPrefix(m.MIME, "video/") {
			// A post embeds one video and nothing else.
			if len(part.Media) > 1 {
				c.logf("video %s: Bluesky posts a video alone: the part's %d other media are left out", m.Path, len(part.Media)-1)
			}
			return c.videoEmbed(ctx, files, m)
		}
	}
	var images []*bsky.EmbedImages_Image
	for _, m := range part.Media {
		data, err := fs.ReadFile(files, m.Path)
		if err != nil {
			return nil, &networks.Error{Kind: networks.Permanent, Account: c.account, Err: fmt.Errorf("read %s: %w", m.Path, err)}
		}
		blob, err := c.uploadBlob(ctx, data, m.MIME)
		if err != nil {
			return nil, err
		}
		images = append(images, &bsky.EmbedImages_Image{Image: blob, Alt: m.Alt, AspectRatio: aspectRatio(data)})
	}
	return &bsky.FeedPost_Embed{EmbedImages: &bsky.EmbedImages{Images: images}}, nil
}

// aspectRatio reads an image's width and height from its header (PNG,
// JPEG, GIF, WebP), nil when it cannot.
func aspectRatio(data []byte) *bsky.EmbedDefs_AspectRatio {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil
	}
	return &bsky.EmbedDefs_AspectRatio{Width: int64(cfg.Width), Height: int64(cfg.Height)}
}

// uploadBlob sends a file's bytes with com.atproto.repo.uploadBlob and
// returns the blob reference a record embeds.
func (c *Client) uploadBlob(ctx context.Context, data []byte, mimeType string) (*lexutil.LexBlob, error) {
	var out comatproto.RepoUploadBlob_Output
	err := c.do(ctx, call{host: c.pds, nsid: uploadBlobNSID, raw: data, contentType: mimeType, auth: accessAuth, idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	if out.Blob == nil {
		return nil, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("com.atproto.repo.uploadBlob: the answer holds no blob")}
	}
	return out.Blob, nil
}

// record builds the app.bsky.feed.post of part i of p; reply is nil for
// the first part.
func (c *Client) record(ctx context.Context, p networks.Publication, i int, reply *bsky.FeedPost_ReplyRef) (*bsky.FeedPost, error) {
	part := p.Parts[i]
	rich, err := c.richText(ctx, part.Text)
	if err != nil {
		return nil, err
	}
	embed, err := c.embed(ctx, p.Files, part, rich)
	if err != nil {
		return nil, err
	}
	post := &bsky.FeedPost{
		LexiconTypeID: postCollection,
		Text:          part.Text,
		CreatedAt:     createdAt(p),
		Facets:        rich,
		Embed:         embed,
		Reply:         reply,
	}
	if lang := primaryLanguage(p.Lang); lang != "" {
		post.Langs = []string{lang}
	}
	return post, nil
}

// postURL is where people see a post on the Bluesky web app.
func postURL(handle, rkey string) string {
	return "https://bsky.app/profile/" + handle + "/post/" + rkey
}
