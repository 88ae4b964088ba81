package threads

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Lookup finds the thread an earlier run made of p: among the profile's
// threads since the post's date, the one whose text is exactly the first
// part's, then under each part its reply by the profile whose text is
// the next part's. A thread found only in part is not found: Publish
// finishes it.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, false, nil
	}
	if p.Parts[0].Text == "" {
		return networks.Result{}, false, &networks.Error{Kind: networks.Unsupported, Account: c.account,
			Err: fmt.Errorf("post %s: its first part has no text, by which Herald finds a Threads post again", p.PostID)}
	}
	found, err := c.find(ctx, p)
	if err != nil || len(found) < len(p.Parts) {
		return networks.Result{}, false, err
	}
	var res networks.Result
	for _, f := range found {
		res.IDs = append(res.IDs, f.ID)
		res.URLs = append(res.URLs, f.Permalink)
	}
	return finish(res), true, nil
}

const (
	// pageSize is how many threads a page asks for (the API's limit).
	pageSize = 100
	// maxPages bounds how far back the profile is read.
	maxPages = 5
	// clockSlack is how much earlier than the post's date a post of it
	// may be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
)

// media is a Threads post as the list edges return it.
type media struct {
	ID        string `json:"id"`
	Text      string `json:"text"`
	Timestamp string `json:"timestamp"`
	Permalink string `json:"permalink"`
	Username  string `json:"username"`
}

type page struct {
	Data   []media `json:"data"`
	Paging struct {
		Cursors struct {
			After string `json:"after"`
		} `json:"cursors"`
		Next string `json:"next"`
	} `json:"paging"`
}

// find returns the profile's posts that are p's first parts, in order:
// all of them, some, or none.
func (c *Client) find(ctx context.Context, p networks.Publication) ([]media, error) {
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	q := url.Values{"fields": {"id,text,timestamp,permalink,username"}, "limit": {fmt.Sprint(pageSize)}}
	if !since.IsZero() {
		q.Set("since", fmt.Sprint(since.Add(-clockSlack).Unix()))
	}
	var root *media
	err := c.pages(ctx, "/"+c.user+"/threads", q, func(m media) bool {
		if m.Text == p.Parts[0].Text {
			root = &m
		}
		return root != nil
	})
	if err != nil || root == nil {
		return nil, err
	}
	found := []media{*root}
	for i := 1; i < len(p.Parts); i++ {
		prev := found[i-1]
		var next *media
		q := url.Values{"fields": {"id,text,timestamp,permalink,username"}}
		err := c.pages(ctx, "/"+prev.ID+"/replies", q, func(m media) bool {
			if m.Text == p.Parts[i].Text && m.Username == root.Username {
				next = &m
			}
			return next != nil
		})
		if err != nil {
			return nil, err
		}
		if next == nil {
			break
		}
		found = append(found, *next)
	}
	return found, nil
}

// pages reads an edge with cursor pagination, at most maxPages pages,
// until stop says so.
func (c *Client) pages(ctx context.Context, path string, q url.Values, stop func(media) bool) error {
	for range maxPages {
		var pg page
		if err := c.get(ctx, path, q, &pg); err != nil {
			return err
		}
		for _, m := range pg.Data {
			if stop(m) {
				return nil
			}
		}
		if pg.Paging.Next == "" || pg.Paging.Cursors.After == "" {
			return nil
		}
		q.Set("after", pg.Paging.Cursors.After)
	}
	return nil
}
