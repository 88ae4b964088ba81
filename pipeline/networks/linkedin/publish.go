package linkedin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// post is the body of POST /rest/posts as Herald sends it: a public post
// in the main feed, published at once.
type post struct {
	Author                    string       `json:"author"`
	Commentary                string       `json:"commentary"`
	Visibility                string       `json:"visibility"`
	Distribution              distribution `json:"distribution"`
	Content                   *content     `json:"content,omitempty"`
	LifecycleState            string       `json:"lifecycleState"`
	IsReshareDisabledByAuthor bool         `json:"isReshareDisabledByAuthor"`
}

type distribution struct {
	FeedDistribution               string   `json:"feedDistribution"`
	TargetEntities                 []string `json:"targetEntities"`
	ThirdPartyDistributionChannels []string `json:"thirdPartyDistributionChannels"`
}

// content is a post's media: one image or video (media) or several
// images (multiImage).
type content struct {
	Media      *image      `json:"media,omitempty"`
	MultiImage *multiImage `json:"multiImage,omitempty"`
}

// image is a medium of a post: an image URN with its alt text, or a
// video URN with the title LinkedIn shows above it.
type image struct {
	ID      string `json:"id"`
	AltText string `json:"altText,omitempty"`
	Title   string `json:"title,omitempty"`
}

type multiImage struct {
	Images []image `json:"images"`
}

// Publish posts p as one LinkedIn post: its parts joined (LinkedIn has
// no threads; render joins them already), its images uploaded first.
// POST /rest/posts is never sent twice: a failure after it may have
// reached LinkedIn is Transient, and the engine asks Lookup.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	text, media := joined(p)
	if text == "" && len(media) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	body := post{Author: c.author, Commentary: Escape(text), Visibility: "PUBLIC",
		Distribution:   distribution{FeedDistribution: "MAIN_FEED", TargetEntities: []string{}, ThirdPartyDistributionChannels: []string{}},
		LifecycleState: "PUBLISHED"}
	// A video post holds that video alone (Posts API, Video): said before
	// anything is uploaded.
	if v := slices.IndexFunc(media, isVideo); v >= 0 {
		if len(media) > 1 {
			return networks.Result{}, c.permanent(fmt.Errorf("post %s has a video and %d other media: a LinkedIn post holds one video alone; make the video a post of its own", p.PostID, len(media)-1))
		}
		id, err := c.uploadVideo(ctx, p.Files, media[v])
		if err != nil {
			return networks.Result{}, fmt.Errorf("medium %s: %w", media[v].Path, err)
		}
		body.Content = &content{Media: &image{ID: id, Title: videoTitle(p, media[v])}}
		media = nil
	}
	var images []image
	for _, m := range media {
		if !strings.HasPrefix(m.MIME, "image/") {
			return networks.Result{}, c.permanent(fmt.Errorf("medium %s is %s: LinkedIn takes images and MP4 videos", m.Path, m.MIME))
		}
		id, err := c.uploadImage(ctx, p.Files, m)
		if err != nil {
			return networks.Result{}, fmt.Errorf("medium %s: %w", m.Path, err)
		}
		images = append(images, image{ID: id, AltText: m.Alt})
	}
	switch len(images) {
	case 0: // text alone, or a video
	case 1:
		body.Content = &content{Media: &images[0]}
	default:
		body.Content = &content{MultiImage: &multiImage{Images: images}}
	}
	resp, err := c.do(ctx, call{method: http.MethodPost, url: c.endpoint("/rest/posts", ""), body: body, rest: true})
	if err != nil {
		return networks.Result{}, err
	}
	id := resp.Header.Get("X-Restli-Id")
	if id == "" {
		return networks.Result{}, &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: errors.New("POST /rest/posts: the answer has no x-restli-id: the post may exist, Lookup will tell")}
	}
	return networks.Result{IDs: []string{id}, URLs: []string{postURL(id)}}, nil
}

// joined is the publication's text and media as one post: the parts'
// texts separated by a blank line, and all their media.
func joined(p networks.Publication) (string, []networks.Medium) {
	var texts []string
	var media []networks.Medium
	for _, part := range p.Parts {
		if part.Text != "" {
			texts = append(texts, part.Text)
		}
		media = append(media, part.Media...)
	}
	return strings.Join(texts, "\n\n"), media
}

// postURL is the web page of a post.
func postURL(urn string) string {
	return "https://www.linkedin.com/feed/update/" + urn + "/"
}

// uploadImage uploads a medium through the Images API and returns its
// image URN: initializeUpload with the author as owner, then a PUT of
// the bytes to the uploadUrl. Nobody sees the image until a post holds
// it: both steps may be sent again.
func (c *Client) uploadImage(ctx context.Context, files fs.FS, m networks.Medium) (string, error) {
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return "", c.permanent(err)
	}
	var out struct {
		Value struct {
			UploadURL string `json:"uploadUrl"`
			Image     string `json:"image"`
		} `json:"value"`
	}
	body := map[string]any{"initializeUploadRequest": map[string]string{"owner": c.author}}
	if _, err := c.do(ctx, call{method: http.MethodPost, url: c.endpoint("/rest/images", "action=initializeUpload"),
		body: body, out: &out, rest: true, idempotent: true}); err != nil {
		return "", err
	}
	if out.Value.UploadURL == "" || out.Value.Image == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /rest/images?action=initializeUpload: the answer has no uploadUrl or image")}
	}
	// The docs upload with the bearer token, to LinkedIn's own upload host.
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, out.Value.UploadURL, bytes.NewReader(data))
	if err != nil {
		return "", c.permanent(fmt.Errorf("initializeUpload gave an upload URL Herald cannot use: %v", err))
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, err := c.http.Do(httpx.MarkIdempotent(req))
	if err != nil {
		return "", c.advise(err)
	}
	resp.Body.Close()
	return out.Value.Image, nil
}

// isVideo reports whether a medium is a video.
func isVideo(m networks.Medium) bool { return strings.HasPrefix(m.MIME, "video/") }
