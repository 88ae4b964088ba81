package mastodon

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/herald-social/herald/pipeline/state"

	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// statsBatch is the most ids GET /api/v1/statuses takes at once
// (Api::BaseController::DEFAULT_STATUSES_LIMIT; more is a 422).
const statsBatch = 20

// Stats returns the engagement of statuses, one Counts per id:
// favourites are likes, reblogs reposts, replies replies, and quotes
// where the server counts them (Mastodon 4.5); Mastodon has no views. A
// status that is gone (deleted, or hidden from the token) has no counts.
// It reads GET /api/v1/statuses?id[]= (Mastodon 4.3) in batches, or each
// status on its own from servers without it.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	byID := make(map[string]*status, len(ids))
	batched := true
	for start := 0; start < len(ids) && batched; start += statsBatch {
		batch := ids[start:min(start+statsBatch, len(ids))]
		var page []*status
		err := c.getJSON(ctx, "/api/v1/statuses", url.Values{"id[]": batch}, &page)
		if start == 0 && noRoute(err) {
			batched = false
			break
		}
		if err != nil {
			return nil, err
		}
		for _, s := range page {
			byID[s.ID] = s
		}
	}
	if !batched {
		for _, id := range ids {
			var s status
			err := c.getJSON(ctx, "/api/v1/statuses/"+url.PathEscape(id), nil, &s)
			if status404(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			byID[id] = &s
		}
	}
	counts := make([]state.Counts, len(ids))
	for i, id := range ids {
		if s, ok := byID[id]; ok {
			counts[i] = state.Counts{
				Likes:   state.Count(s.FavouritesCount),
				Reposts: state.Count(s.ReblogsCount),
				Replies: state.Count(s.RepliesCount),
				Quotes:  s.QuotesCount,
			}
		}
	}
	return counts, nil
}

// noRoute reports whether err is a server without the endpoint.
func noRoute(err error) bool {
	se, ok := errors.AsType[*httpx.ServerError](err)
	return ok && (se.Status == http.StatusNotFound || se.Status == http.StatusMethodNotAllowed || se.Status == http.StatusNotImplemented)
}

func status404(err error) bool {
	se, ok := errors.AsType[*httpx.ServerError](err)
	return ok && se.Status == http.StatusNotFound
}
