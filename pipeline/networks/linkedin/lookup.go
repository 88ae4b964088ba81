package linkedin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

const (
	// pageSize is how many posts a page of the author finder asks for
	// (the docs allow up to 100).
	pageSize = 50
	// maxPages bounds how far back the author's posts are read.
	maxPages = 4
	// clockSlack is how much earlier than the post's date a post of it
	// may be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
)

// element is the part of a post the Posts API returns that Herald reads.
type element struct {
	ID             string `json:"id"`
	Author         string `json:"author"`
	Commentary     string `json:"commentary"`
	CreatedAt      int64  `json:"createdAt"`      // ms since the epoch
	LastModifiedAt int64  `json:"lastModifiedAt"` // ms since the epoch
	LifecycleState string `json:"lifecycleState"`
	Content        *struct {
		Media *struct {
			ID string `json:"id"`
		} `json:"media"`
		MultiImage *struct {
			Images []struct {
				ID string `json:"id"`
			} `json:"images"`
		} `json:"multiImage"`
	} `json:"content"`
}

// media is how many images or videos the post holds.
func (e *element) media() int {
	switch {
	case e.Content == nil:
		return 0
	case e.Content.MultiImage != nil:
		return len(e.Content.MultiImage.Images)
	case e.Content.Media != nil && (strings.HasPrefix(e.Content.Media.ID, "urn:li:image:") || strings.HasPrefix(e.Content.Media.ID, "urn:li:video:")):
		return 1
	}
	return 0
}

// Lookup finds the post an earlier run made of p among the author's
// recent posts (GET /rest/posts?q=author, newest first): the one whose
// commentary is the escaped text Herald sent, with as many images (or
// its one video),
// created after the post's date less an hour.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	text, media := joined(p)
	if text == "" && len(media) == 0 {
		return networks.Result{}, false, nil
	}
	want := Escape(text)
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	floor := int64(0)
	if !since.IsZero() {
		floor = since.Add(-clockSlack).UnixMilli()
	}
	for page := range maxPages {
		var out struct {
			Elements []element `json:"elements"`
		}
		q := fmt.Sprintf("author=%s&q=author&count=%d&sortBy=LAST_MODIFIED", enc(c.author), pageSize)
		if page > 0 {
			q += fmt.Sprintf("&start=%d", page*pageSize)
		}
		if _, err := c.do(ctx, call{method: http.MethodGet, url: c.endpoint("/rest/posts", q), out: &out, rest: true, finder: true}); err != nil {
			if e, ok := errors.AsType[*networks.Error](err); ok && e.Status == http.StatusForbidden && !c.org {
				e.Err = fmt.Errorf("%w (reading a member's posts takes r_member_social, which LinkedIn grants to select developers only: look the post up on the member's profile and set the journal)", e.Err)
			}
			return networks.Result{}, false, err
		}
		for _, e := range out.Elements {
			if e.LastModifiedAt != 0 && e.LastModifiedAt < floor {
				return networks.Result{}, false, nil // sorted by last modification: older ones follow
			}
			if e.CreatedAt >= floor && e.media() == len(media) && (e.Commentary == want || Unescape(e.Commentary) == text) {
				return networks.Result{IDs: []string{e.ID}, URLs: []string{postURL(e.ID)}}, true, nil
			}
		}
		if len(out.Elements) < pageSize {
			break
		}
	}
	return networks.Result{}, false, nil
}
