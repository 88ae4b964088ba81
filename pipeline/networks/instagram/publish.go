package instagram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// maxPolls bounds how many times a container's status is read before
// Herald gives up on it within the run.
const maxPolls = 30

// Publish publishes p as one Instagram post: its first and only part's
// text as the caption, its media as one image or reel, or as a carousel.
// It reads the account's publishing limit first, and fails without
// publishing when it is spent.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if err := c.publishable(p); err != nil {
		return networks.Result{}, err
	}
	if err := c.quota(ctx); err != nil {
		return networks.Result{}, err
	}
	part := p.Parts[0]
	urls := make([]string, len(part.Media))
	for i, m := range part.Media {
		u, err := c.urlOf(m.Path)
		if err != nil {
			return networks.Result{}, c.permanent(err)
		}
		urls[i] = u
	}
	var creation string
	if len(part.Media) == 1 {
		id, err := c.container(ctx, part.Media[0], urls[0], part.Text, false)
		if err != nil {
			return networks.Result{}, err
		}
		creation = id
	} else {
		var children []string
		for i, m := range part.Media {
			id, err := c.container(ctx, m, urls[i], "", true)
			if err != nil {
				return networks.Result{}, err
			}
			children = append(children, id)
		}
		for _, id := range children {
			if err := c.await(ctx, id); err != nil {
				return networks.Result{}, err
			}
		}
		var out struct {
			ID string `json:"id"`
		}
		form := url.Values{"media_type": {"CAROUSEL"}, "children": {strings.Join(children, ",")}, "caption": {part.Text}}
		if err := c.post(ctx, c.user+"/media", form, true, &out); err != nil {
			return networks.Result{}, err
		}
		creation = out.ID
	}
	if err := c.await(ctx, creation); err != nil {
		return networks.Result{}, err
	}
	// media_publish makes the post: it is sent once, and a failure whose
	// outcome is unknown is Transient, for the engine to look it up.
	var out struct {
		ID string `json:"id"`
	}
	if err := c.post(ctx, c.user+"/media_publish", url.Values{"creation_id": {creation}}, false, &out); err != nil {
		return networks.Result{}, err
	}
	if out.ID == "" {
		return networks.Result{}, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("media_publish answered without the media's id")}
	}
	return networks.Result{IDs: []string{out.ID}, URLs: c.permalinks(ctx, out.ID)}, nil
}

// publishable refuses what Instagram cannot publish, before any call.
func (c *Client) publishable(p networks.Publication) error {
	switch {
	case len(p.Parts) == 0:
		return c.permanent(errors.New("the publication has no text"))
	case len(p.Parts) > 1:
		return c.permanent(fmt.Errorf("Instagram has no threads: the post has %d parts", len(p.Parts)))
	case p.Poll != nil:
		return c.permanent(errors.New("Instagram has no polls"))
	case len(p.Parts[0].Media) == 0:
		return c.permanent(errors.New("Instagram publishes no post without an image or a video: add one to the post"))
	case len(p.Parts[0].Media) > 10:
		return c.permanent(fmt.Errorf("a carousel holds at most 10 media, the post has %d", len(p.Parts[0].Media)))
	}
	return nil
}

// urlOf is the public URL of a calendar file: the charter's media_url
// followed by the file's path.
func (c *Client) urlOf(path string) (string, error) {
	if c.mediaURL == "" {
		return "", errors.New("Instagram fetches media from a public URL, and the charter has no media_url: set it to the public base URL under which the calendar's files are served")
	}
	if strings.Contains(c.mediaURL, "{commit}") {
		return "", fmt.Errorf("media_url %q holds {commit}, which the Instagram client does not fill in: give a base URL without it", c.mediaURL)
	}
	base, err := url.Parse(c.mediaURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return "", fmt.Errorf("media_url %q is not a public http(s) URL", c.mediaURL)
	}
	return strings.TrimRight(c.mediaURL, "/") + "/" + strings.TrimLeft(path, "/"), nil
}

// container creates the media container of one medium: an image with its
// alt_text, or a video (a reel alone, a VIDEO in a carousel).
func (c *Client) container(ctx context.Context, m networks.Medium, mediaURL, caption string, item bool) (string, error) {
	form := url.Values{}
	switch {
	case strings.HasPrefix(m.MIME, "image/"):
		form.Set("image_url", mediaURL)
		if m.Alt != "" {
			form.Set("alt_text", m.Alt) // images only: reels and stories take none
		}
	case strings.HasPrefix(m.MIME, "video/"):
		form.Set("video_url", mediaURL)
		if item {
			form.Set("media_type", "VIDEO")
		} else {
			form.Set("media_type", "REELS")
		}
	default:
		return "", c.permanent(fmt.Errorf("%s: Instagram publishes images and videos, not %s", m.Path, m.MIME))
	}
	if item {
		form.Set("is_carousel_item", "true")
	} else {
		form.Set("caption", caption)
	}
	var out struct {
		ID string `json:"id"`
	}
	// A container is seen by nobody until it is published, and expires
	// after 24 hours: creating it again is harmless.
	if err := c.post(ctx, c.user+"/media", form, true, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("POST media answered without the container's id")}
	}
	return out.ID, nil
}

// await reads a container's status_code until it is FINISHED, within the
// run's budget.
func (c *Client) await(ctx context.Context, id string) error {
	for attempt := 0; ; attempt++ {
		var out struct {
			StatusCode string `json:"status_code"`
			Status     string `json:"status"`
		}
		if err := c.get(ctx, id, url.Values{"fields": {"status_code,status"}}, &out); err != nil {
			return err
		}
		switch out.StatusCode {
		case "FINISHED":
			return nil
		case "ERROR", "EXPIRED", "PUBLISHED":
			return c.permanent(fmt.Errorf("media container %s is %s (%s): Instagram could not fetch or process the medium; check that its URL under media_url is public and that it is a JPEG image or an MP4 video within Instagram's limits", id, out.StatusCode, out.Status))
		}
		if attempt+1 >= maxPolls || errors.Is(c.http.Wait(ctx, attempt), httpx.ErrBudget) {
			return &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("media container %s is still %s: Instagram has not processed the medium within the run's budget; a later run tries again", id, out.StatusCode)}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// quota reads the account's content publishing limit and fails when the
// posts of the last 24 hours used it up.
func (c *Client) quota(ctx context.Context) error {
	var out struct {
		Data []struct {
			QuotaUsage int `json:"quota_usage"`
			Config     struct {
				QuotaTotal    int `json:"quota_total"`
				QuotaDuration int `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	if err := c.get(ctx, c.user+"/content_publishing_limit", url.Values{"fields": {"quota_usage,config"}}, &out); err != nil {
		return err
	}
	if len(out.Data) == 0 {
		return nil
	}
	d := out.Data[0]
	if d.Config.QuotaTotal > 0 && d.QuotaUsage >= d.Config.QuotaTotal {
		return &networks.Error{Kind: networks.RateLimited, Account: c.account,
			Err: fmt.Errorf("the account published %d posts through the API in the last %d hours, Instagram's limit: a later run publishes this one", d.QuotaUsage, max(1, d.Config.QuotaDuration/3600))}
	}
	return nil
}

// permalinks are the web pages of media, nil when Instagram does not say
// (the post is published all the same).
func (c *Client) permalinks(ctx context.Context, id string) []string {
	var out struct {
		Permalink string `json:"permalink"`
	}
	if err := c.get(ctx, id, url.Values{"fields": {"permalink"}}, &out); err != nil || out.Permalink == "" {
		fmt.Fprintf(c.log, "instagram: no permalink for media %s: %v\n", id, err)
		return nil
	}
	return []string{out.Permalink}
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}
