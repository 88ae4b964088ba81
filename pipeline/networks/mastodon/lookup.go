package mastodon

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/herald-social/herald/pipeline/networks"
)

// Lookup finds the thread an earlier run made of p among the account's
// recent statuses: the status whose text is p's first part, then, for
// each next part, the account's reply to the part before with that part's
// text. A thread found only in part is not found: Publish finishes it.
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, false, nil
	}
	done, err := c.find(ctx, p)
	if err != nil || len(done) < len(p.Parts) {
		return networks.Result{}, false, err
	}
	return resultOf(done), true, nil
}

const (
	// maxPages bounds how far back the account's statuses are read.
	maxPages = 5
	// clockSlack is how much earlier than the post's date a status of it
	// may be dated: clocks differ, and --now may be set.
	clockSlack = time.Hour
)

// find returns the statuses of the account that are p's first parts, in
// order: all of them, some, or none.
func (c *Client) find(ctx context.Context, p networks.Publication) ([]*status, error) {
	me, err := c.self(ctx)
	if err != nil {
		return nil, err
	}
	since := p.When
	if since.IsZero() || (!p.At.IsZero() && p.At.Before(since)) {
		since = p.At
	}
	if !since.IsZero() {
		since = since.Add(-clockSlack)
	}
	recent, err := c.recent(ctx, me.ID, since)
	if err != nil {
		return nil, err
	}
	want := make([]wanted, len(p.Parts))
	for i, part := range p.Parts {
		want[i].text = normalize(part.Text)
		for _, m := range part.Media {
			want[i].alts = append(want[i].alts, normalize(m.Alt))
		}
	}
	// Oldest first: if a thread was posted twice, the first one is Herald's.
	slices.Reverse(recent)
	recent = slices.DeleteFunc(recent, func(s *status) bool { return s.CreatedAt.Before(since) })
	var best []*status
	for _, first := range recent {
		if first.InReplyToID != nil || !want[0].matches(first) {
			continue
		}
		chain := []*status{first}
		for i := 1; i < len(p.Parts); i++ {
			prev := chain[i-1].ID
			next := slices.IndexFunc(recent, func(s *status) bool {
				return s.InReplyToID != nil && *s.InReplyToID == prev && want[i].matches(s)
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

// recent returns the account's statuses (its own, replies included,
// reblogs not), newest first, back to since or as far as maxPages go.
func (c *Client) recent(ctx context.Context, accountID string, since time.Time) ([]*status, error) {
	var all []*status
	maxID := ""
	for range maxPages {
		q := url.Values{"limit": {"40"}, "exclude_reblogs": {"true"}}
		if maxID != "" {
			q.Set("max_id", maxID)
		}
		var page []*status
		if err := c.getJSON(ctx, "/api/v1/accounts/"+url.PathEscape(accountID)+"/statuses", q, &page); err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) == 0 {
			break
		}
		last := page[len(page)-1]
		if last.CreatedAt.Before(since) || last.ID == maxID {
			break
		}
		maxID = last.ID
	}
	return all, nil
}

// wanted is a part as a status of it reads: its text and its media's alt
// texts, normalized.
type wanted struct {
	text string
	alts []string
}

// matches reports whether a status is the part: the same text and the
// same media descriptions, in order.
func (w wanted) matches(s *status) bool {
	if len(s.Media) != len(w.alts) {
		return false
	}
	for i, m := range s.Media {
		desc := ""
		if m.Description != nil {
			desc = *m.Description
		}
		if normalize(desc) != w.alts[i] {
			return false
		}
	}
	if s.Text != nil && normalize(*s.Text) == w.text {
		return true
	}
	return normalize(htmlText(s.Content)) == w.text
}

// htmlText is the text of a status's HTML content as people read it:
// the text of every element (the hidden parts of a shortened link
// included), a line break for <br>, a blank line between paragraphs.
func htmlText(content string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(content))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br":
				b.WriteString("\n")
			case "p":
				b.WriteString("\n\n")
			}
		}
	}
}

// remoteMention is a mention of an account on another server, which
// Mastodon shows as @user alone.
var remoteMention = regexp.MustCompile(`(^|[^\w@])@(\w+)@[\w-]+(\.[\w-]+)+`)

// normalize is the form two texts are compared in: NFC, mentions of
// other servers' accounts shortened as Mastodon shows them, every run of
// white space one space, none at the ends.
func normalize(s string) string {
	s = norm.NFC.String(s)
	s = remoteMention.ReplaceAllString(s, "$1@$2")
	return strings.Join(strings.Fields(s), " ")
}
