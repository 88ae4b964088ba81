package threads

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/networks"
)

// Publish publishes each part of p as a thread, the parts after the first
// replying each to the one before, after the parts the profile already
// has of p (a run that stopped halfway): a thread already whole is not
// posted again. On an error, the Result holds the posts that exist.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	if p.Parts[0].Text == "" {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s: its first part has no text: Herald finds a Threads post again by its text, and would not know whether one without text went out", p.PostID))
	}
	for i, part := range p.Parts {
		if part.Text == "" && len(part.Media) == 0 {
			return networks.Result{}, c.permanent(fmt.Errorf("post %s: part %d has no text and no media", p.PostID, i+1))
		}
		if len(part.Media) > 0 {
			if err := c.checkMediaURL(); err != nil {
				return networks.Result{}, err
			}
		}
	}
	poll, err := c.pollAttachment(p)
	if err != nil {
		return networks.Result{}, err
	}
	found, err := c.find(ctx, p)
	if err != nil {
		return networks.Result{}, err
	}
	res := networks.Result{}
	for _, f := range found {
		res.IDs = append(res.IDs, f.ID)
		res.URLs = append(res.URLs, f.Permalink)
	}
	if len(found) == len(p.Parts) {
		return finish(res), nil
	}
	if err := c.quota(ctx); err != nil {
		return finish(res), err
	}
	for i := len(found); i < len(p.Parts); i++ {
		replyTo := ""
		if i > 0 {
			replyTo = res.IDs[i-1]
		}
		attach := ""
		if i == 0 {
			attach = poll
		}
		id, err := c.publishPart(ctx, p.Parts[i], replyTo, attach)
		if err != nil {
			if len(p.Parts) > 1 {
				err = fmt.Errorf("part %d of %d: %w", i+1, len(p.Parts), err)
			}
			return finish(res), err
		}
		res.IDs = append(res.IDs, id)
		res.URLs = append(res.URLs, c.permalink(ctx, id))
	}
	return finish(res), nil
}

// finish drops the URLs of a Result when one of them is unknown: URLs
// are one per id, or none.
func finish(r networks.Result) networks.Result {
	for _, u := range r.URLs {
		if u == "" {
			r.URLs = nil
			break
		}
	}
	return r
}

// checkMediaURL refuses media when the charter has no media_url Threads
// can fetch them from.
func (c *Client) checkMediaURL() error {
	switch {
	case c.mediaURL == "":
		return c.permanent(errors.New("the charter has no media_url: Threads fetches images and videos from a public URL; set media_url to the public base URL under which the calendar's files are served"))
	case strings.Contains(c.mediaURL, "{commit}"):
		return c.permanent(fmt.Errorf("media_url %q names a {commit}, which the Threads client cannot know: give a base URL without it", c.mediaURL))
	}
	return nil
}

// mediumURL is the public URL of a medium: media_url, then its path.
func (c *Client) mediumURL(m networks.Medium) (string, error) {
	u, err := url.JoinPath(c.mediaURL, m.Path)
	if err != nil {
		return "", c.permanent(fmt.Errorf("media_url %q: %v", c.mediaURL, err))
	}
	return u, nil
}

// quota reads the profile's publishing quota (250 posts in 24 hours, the
// Overview's Posts) and fails, RateLimited, when it is spent.
func (c *Client) quota(ctx context.Context) error {
	var out struct {
		Data []struct {
			QuotaUsage int64 `json:"quota_usage"`
			Config     struct {
				QuotaTotal    int64 `json:"quota_total"`
				QuotaDuration int64 `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	if err := c.get(ctx, "/"+c.user+"/threads_publishing_limit", url.Values{"fields": {"quota_usage,config"}}, &out); err != nil {
		return err
	}
	if len(out.Data) == 0 || out.Data[0].Config.QuotaTotal == 0 {
		return nil // nothing said: the publish call enforces it
	}
	q := out.Data[0]
	if q.QuotaUsage >= q.Config.QuotaTotal {
		window := time.Duration(q.Config.QuotaDuration) * time.Second
		return &networks.Error{Kind: networks.RateLimited, Account: c.account,
			Err: fmt.Errorf("the profile's publishing quota is spent: %d of %d posts in the last %s (threads_publishing_limit); nothing was posted, the next run after the window publishes it",
				q.QuotaUsage, q.Config.QuotaTotal, window)}
	}
	return nil
}

// publishPart makes a part's container (its carousel items first), waits
// until Threads has processed it, publishes it, and returns the post's id.
func (c *Client) publishPart(ctx context.Context, part networks.Part, replyTo, poll string) (string, error) {
	form := url.Values{}
	if poll != "" {
		form.Set("poll_attachment", poll)
	}
	if part.Text != "" {
		form.Set("text", part.Text)
	}
	if replyTo != "" {
		form.Set("reply_to_id", replyTo)
	}
	switch len(part.Media) {
	case 0:
		form.Set("media_type", "TEXT")
	case 1:
		if err := c.mediumFields(form, part.Media[0]); err != nil {
			return "", err
		}
	default:
		var children []string
		for _, m := range part.Media {
			item := url.Values{"is_carousel_item": {"true"}}
			if err := c.mediumFields(item, m); err != nil {
				return "", err
			}
			id, err := c.container(ctx, item)
			if err != nil {
				return "", fmt.Errorf("carousel item %s: %w", m.Path, err)
			}
			children = append(children, id)
		}
		for _, id := range children {
			if err := c.ready(ctx, id); err != nil {
				return "", err
			}
		}
		form.Set("media_type", "CAROUSEL")
		form.Set("children", strings.Join(children, ","))
	}
	id, err := c.container(ctx, form)
	if err != nil {
		return "", err
	}
	if err := c.ready(ctx, id); err != nil {
		return "", err
	}
	var out struct {
		ID string `json:"id"`
	}
	// Not sent again after it may have reached Threads: the engine looks
	// the post up first.
	if err := c.post(ctx, "/"+c.user+"/threads_publish", url.Values{"creation_id": {id}}, false, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("threads_publish: the answer has no id")}
	}
	return out.ID, nil
}

// pollAttachment is the poll_attachment of the first part (Polls: a JSON
// object of option_a to option_d, 2 to 4 options of 1 to 25 characters,
// on a text-only post), "" when p has no poll. Threads takes no duration
// and no multiple choice: a poll asking for more choices than one is
// refused rather than published otherwise.
func (c *Client) pollAttachment(p networks.Publication) (string, error) {
	if p.Poll == nil {
		return "", nil
	}
	opts := p.Poll.Options
	switch {
	case len(opts) < 2 || len(opts) > 4:
		return "", c.permanent(fmt.Errorf("post %s: a Threads poll has 2 to 4 options, not %d", p.PostID, len(opts)))
	case len(p.Parts[0].Media) > 0:
		return "", c.permanent(fmt.Errorf("post %s: Threads attaches polls to text-only posts, and the first part has media", p.PostID))
	case p.Poll.Multiple:
		return "", c.permanent(fmt.Errorf("post %s: Threads polls take one choice: remove multiple from the poll", p.PostID))
	}
	attach := map[string]string{}
	for i, o := range opts {
		if n := utf8.RuneCountInString(o); n < 1 || n > 25 {
			return "", c.permanent(fmt.Errorf("post %s: poll option %q has %d characters: Threads takes 1 to 25", p.PostID, o, n))
		}
		attach["option_"+string(rune('a'+i))] = o
	}
	data, err := json.Marshal(attach)
	if err != nil {
		return "", c.permanent(err)
	}
	return string(data), nil
}

// mediumFields sets a medium's media_type, URL and alt text.
func (c *Client) mediumFields(form url.Values, m networks.Medium) error {
	u, err := c.mediumURL(m)
	if err != nil {
		return err
	}
	switch {
	case strings.HasPrefix(m.MIME, "image/"):
		form.Set("media_type", "IMAGE")
		form.Set("image_url", u)
	case strings.HasPrefix(m.MIME, "video/"):
		form.Set("media_type", "VIDEO")
		form.Set("video_url", u)
	default:
		return c.permanent(fmt.Errorf("medium %s: Threads takes images and videos, not %q", m.Path, m.MIME))
	}
	if m.Alt != "" {
		form.Set("alt_text", m.Alt)
	}
	return nil
}

// container makes a media container, which nobody sees until it is
// published: it may be sent again.
func (c *Client) container(ctx context.Context, form url.Values) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	if err := c.post(ctx, "/"+c.user+"/threads", form, true, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errors.New("POST /threads: the answer has no container id")}
	}
	return out.ID, nil
}

// ready reads a container's status until it is FINISHED (the
// Troubleshooting page: EXPIRED, ERROR, FINISHED, IN_PROGRESS,
// PUBLISHED), waiting StatusPoll between reads within the run's budget.
func (c *Client) ready(ctx context.Context, id string) error {
	for {
		var out struct {
			Status       string `json:"status"`
			ErrorMessage string `json:"error_message"`
		}
		if err := c.get(ctx, "/"+id, url.Values{"fields": {"status,error_message"}}, &out); err != nil {
			return err
		}
		switch out.Status {
		case "FINISHED":
			return nil
		case "ERROR", "EXPIRED":
			return c.permanent(fmt.Errorf("container %s: Threads could not process it: %s %s", id, out.Status, out.ErrorMessage))
		case "PUBLISHED":
			return c.permanent(fmt.Errorf("container %s is already published", id))
		}
		fmt.Fprintf(c.log, "container %s is %s; reading its status again in %s\n", id, out.Status, c.poll)
		if err := c.wait(ctx); err != nil {
			return &networks.Error{Kind: networks.Transient, Account: c.account,
				Err: fmt.Errorf("container %s is still %s: %v; nothing was published", id, out.Status, err)}
		}
	}
}

// wait sleeps StatusPoll, or fails when the run's budget or ctx ends
// first.
func (c *Client) wait(ctx context.Context) error {
	if !c.deadline.IsZero() && c.now().Add(c.poll).After(c.deadline) {
		return errors.New("the run's time budget is spent")
	}
	if dl, ok := ctx.Deadline(); ok && c.now().Add(c.poll).After(dl) {
		return errors.New("the run's time budget is spent")
	}
	if c.sleep != nil {
		return c.sleep(ctx, c.poll)
	}
	t := time.NewTimer(c.poll)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// permalink returns a post's web page, "" when it cannot be had: the post
// exists all the same.
func (c *Client) permalink(ctx context.Context, id string) string {
	var out struct {
		Permalink string `json:"permalink"`
	}
	if err := c.get(ctx, "/"+id, url.Values{"fields": {"permalink"}}, &out); err != nil {
		fmt.Fprintf(c.log, "permalink of %s: %v; the publication is journaled without links\n", id, err)
	}
	return out.Permalink
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}
