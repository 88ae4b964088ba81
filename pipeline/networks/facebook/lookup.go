package facebook

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

const (
	// maxPages bounds how far back the Page's posts are read.
	maxPages = 5
	// pageSize is how many posts one page of GET /{page-id}/posts asks for.
	pageSize = 50
	// clockSlack is how much earlier than the post's date a post of it
	// may be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
)

// post is a Page post as GET /{page-id}/posts gives it.
type post struct {
	ID          string `json:"id"`
	Message     string `json:"message"`
	CreatedTime string `json:"created_time"`
}

// Lookup finds the post an earlier, interrupted run made of p among the
// Page's recent posts (GET /{page-id}/posts, newest first, back to an
// hour before the post's date): the oldest whose message is p's text,
// compared exactly but for the white space around it, which Facebook
// trims.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, false, nil
	}
	want := strings.TrimSpace(p.Parts[0].Text)
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	for _, m := range p.Parts[0].Media {
		if strings.HasPrefix(m.MIME, "video/") {
			return c.lookupVideo(ctx, want, since)
		}
	}
	q := url.Values{"fields": {"id,message,created_time"}, "limit": {strconv.Itoa(pageSize)}}
	if !since.IsZero() {
		q.Set("since", strconv.FormatInt(since.Add(-clockSlack).Unix(), 10))
	}
	found := ""
	for range maxPages {
		var page struct {
			Data   []post `json:"data"`
			Paging struct {
				Cursors struct {
					After string `json:"after"`
				} `json:"cursors"`
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.get(ctx, "/"+url.PathEscape(c.page)+"/posts", q, &page); err != nil {
			return networks.Result{}, false, err
		}
		for _, fp := range page.Data {
			// Newest first: the last match is the oldest, Herald's first.
			if strings.TrimSpace(fp.Message) == want {
				found = fp.ID
			}
		}
		if page.Paging.Next == "" || page.Paging.Cursors.After == "" || len(page.Data) == 0 {
			break
		}
		q.Set("after", page.Paging.Cursors.After)
	}
	if found == "" {
		return networks.Result{}, false, nil
	}
	return resultOf(found), true, nil
}

// lookupVideo finds a video post among the Page's recent videos (GET
// /{page-id}/videos, newest first): the oldest whose description is the
// text, created after the post's date less an hour. The edge takes no
// since: the pages are read until a video older than that.
func (c *Client) lookupVideo(ctx context.Context, want string, since time.Time) (networks.Result, bool, error) {
	q := url.Values{"fields": {"id,description,created_time"}, "limit": {strconv.Itoa(pageSize)}}
	found := ""
	for range maxPages {
		var page struct {
			Data []struct {
				ID          string `json:"id"`
				Description string `json:"description"`
				CreatedTime string `json:"created_time"`
			} `json:"data"`
			Paging struct {
				Cursors struct {
					After string `json:"after"`
				} `json:"cursors"`
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.get(ctx, "/"+url.PathEscape(c.page)+"/videos", q, &page); err != nil {
			return networks.Result{}, false, err
		}
		older := false
		for _, v := range page.Data {
			created, err := time.Parse("2006-01-02T15:04:05-0700", v.CreatedTime)
			if err == nil && !since.IsZero() && created.Before(since.Add(-clockSlack)) {
				older = true
				break
			}
			if strings.TrimSpace(v.Description) == want {
				found = v.ID // newest first: the last match is Herald's first
			}
		}
		if older || page.Paging.Next == "" || page.Paging.Cursors.After == "" || len(page.Data) == 0 {
			break
		}
		q.Set("after", page.Paging.Cursors.After)
	}
	if found == "" {
		return networks.Result{}, false, nil
	}
	return videoResult(c.page, found), true, nil
}
