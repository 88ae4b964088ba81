package x

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

const (
	// maxPages bounds how far back the account's posts are read: 5 pages
	// of 100.
	maxPages = 5
	// clockSlack is how much earlier than the post's date a post of it may
	// be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
)

// post is a post as GET /2/users/{id}/tweets returns it.
type post struct {
	ID             string    `json:"id"`
	Text           string    `json:"text"`
	ConversationID string    `json:"conversation_id"`
	CreatedAt      time.Time `json:"created_at"`
	Entities       struct {
		URLs []struct {
			URL         string `json:"url"`
			ExpandedURL string `json:"expanded_url"`
		} `json:"urls"`
	} `json:"entities"`
}

// text is the post's text as Herald sent it: X gives its links as t.co
// links, each with the URL it stands for in entities.urls.
func (p post) text() string {
	t := p.Text
	for _, u := range p.Entities.URLs {
		if u.URL != "" && u.ExpandedURL != "" {
			t = strings.Replace(t, u.URL, u.ExpandedURL, 1)
		}
	}
	return t
}

// Lookup finds the thread an earlier run made of p among the account's
// recent posts: the post whose text is exactly p's first part and which
// starts its conversation, then the account's posts in that conversation
// with the next parts' texts. A thread found only in part is not found:
// Publish finishes it.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, false, nil
	}
	done, err := c.find(ctx, p)
	if err != nil || len(done) < len(p.Parts) {
		return networks.Result{}, false, err
	}
	var res networks.Result
	for _, d := range done {
		res.IDs = append(res.IDs, d.ID)
		res.URLs = append(res.URLs, PostURL(d.ID))
	}
	return res, true, nil
}

// find returns the account's posts that are p's first parts, in order:
// all of them, some, or none.
func (c *Client) find(ctx context.Context, p networks.Publication) ([]post, error) {
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	if !since.IsZero() {
		since = since.Add(-clockSlack)
	}
	recent, err := c.recent(ctx, since)
	if err != nil {
		return nil, err
	}
	// Oldest first: if a thread was posted twice, the first is Herald's.
	slices.Reverse(recent)
	var best []post
	for _, first := range recent {
		if (first.ConversationID != "" && first.ConversationID != first.ID) || !sameText(first.text(), p.Parts[0].Text) {
			continue
		}
		chain := []post{first}
		for i := 1; i < len(p.Parts); i++ {
			prev := chain[i-1]
			next := slices.IndexFunc(recent, func(r post) bool {
				return r.ConversationID == first.ID && r.ID != prev.ID && later(r.ID, prev.ID) && sameText(r.text(), p.Parts[i].Text)
			})
			if next < 0 {
				break
			}
			chain = append(chain, recent[next])
		}
		if len(chain) > len(best) {
			best = chain
		}
		if len(best) == len(p.Parts) {
			break
		}
	}
	return best, nil
}

// findText returns the id of the account's most recent post with this
// text, "" when none of the recent ones has it.
func (c *Client) findText(ctx context.Context, text string) (string, error) {
	recent, err := c.recent(ctx, time.Time{})
	if err != nil {
		return "", err
	}
	for _, r := range recent {
		if sameText(r.text(), text) {
			return r.ID, nil
		}
	}
	return "", nil
}

// later reports whether post id a was made after b: X's ids grow with
// time (snowflakes).
func later(a, b string) bool {
	if len(a) != len(b) {
		return len(a) > len(b)
	}
	return a > b
}

// recent returns the account's posts, newest first, back to since (all
// of maxPages pages when since is zero), replies included.
func (c *Client) recent(ctx context.Context, since time.Time) ([]post, error) {
	id, err := c.user(ctx)
	if err != nil {
		return nil, err
	}
	q := url.Values{"max_results": {"100"}, "post.fields": {"conversation_id,created_at,entities"}}
	if !since.IsZero() {
		q.Set("start_time", since.UTC().Format(time.RFC3339))
	}
	var all []post
	for range maxPages {
		var page struct {
			Data []post `json:"data"`
			Meta struct {
				NextToken string `json:"next_token"`
			} `json:"meta"`
		}
		if err := c.get(ctx, "/2/users/"+url.PathEscape(id)+"/tweets", q, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Data...)
		if page.Meta.NextToken == "" {
			break
		}
		q.Set("pagination_token", page.Meta.NextToken)
	}
	return all, nil
}

// me is the authenticated user as GET /2/users/me returns it.
type me struct {
	ID            string `json:"id"`
	Username      string `json:"username"`
	Name          string `json:"name"`
	PublicMetrics *struct {
		FollowersCount *int64 `json:"followers_count"`
	} `json:"public_metrics"`
}

// self reads the authenticated user, with its public metrics.
func (c *Client) self(ctx context.Context) (me, error) {
	var out struct {
		Data me `json:"data"`
	}
	err := c.get(ctx, "/2/users/me", url.Values{"user.fields": {"public_metrics"}}, &out)
	return out.Data, err
}

// user is the account's user id: the charter's user_id, else the token's
// user (GET /2/users/me), read once.
func (c *Client) user(ctx context.Context) (string, error) {
	if c.userID != "" {
		return c.userID, nil
	}
	m, err := c.self(ctx)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(m.ID) == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account, Err: errString("GET /2/users/me: the answer has no data.id")}
	}
	c.userID = m.ID
	return m.ID, nil
}

type errString string

func (e errString) Error() string { return string(e) }
