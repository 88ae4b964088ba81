package instagram

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

const (
	// pageSize is how many media a page of the account's media asks for.
	pageSize = 50
	// maxPages bounds how far back the account's media are read.
	maxPages = 4
	// clockSlack is how much earlier than the post's date a medium of it
	// may be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
	// graphTime is how the Graph API writes a time: 2019-04-05T07:56:32+0000.
	graphTime = "2006-01-02T15:04:05-0700"
)

// media is a medium of the account as /{ig-user-id}/media lists it.
type media struct {
	ID        string `json:"id"`
	Caption   string `json:"caption"`
	Timestamp string `json:"timestamp"`
	Permalink string `json:"permalink"`
}

// Lookup finds the post an earlier run made of p among the account's
// recent media: the oldest whose caption is p's text exactly, published
// no earlier than an hour before the post's date.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, false, nil
	}
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	if !since.IsZero() {
		since = since.Add(-clockSlack)
	}
	var found *media
	q := url.Values{"fields": {"id,caption,timestamp,permalink"}, "limit": {strconv.Itoa(pageSize)}}
	for range maxPages {
		var page struct {
			Data   []media `json:"data"`
			Paging struct {
				Cursors struct {
					After string `json:"after"`
				} `json:"cursors"`
				Next string `json:"next"`
			} `json:"paging"`
		}
		if err := c.get(ctx, c.user+"/media", q, &page); err != nil {
			return networks.Result{}, false, err
		}
		older := false
		// Newest first: the last match is the oldest, Herald's first post.
		for _, m := range page.Data {
			at, err := time.Parse(graphTime, m.Timestamp)
			if err == nil && !since.IsZero() && at.Before(since) {
				older = true
				break
			}
			if m.Caption == p.Parts[0].Text {
				found = &m
			}
		}
		if older || page.Paging.Next == "" || page.Paging.Cursors.After == "" {
			break
		}
		q.Set("after", page.Paging.Cursors.After)
	}
	if found == nil {
		return networks.Result{}, false, nil
	}
	r := networks.Result{IDs: []string{found.ID}}
	if found.Permalink != "" {
		r.URLs = []string{found.Permalink}
	}
	return r, true, nil
}
