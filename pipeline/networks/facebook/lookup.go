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
