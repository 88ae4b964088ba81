package report

import (
	"time"

	"github.com/herald-social/herald/pipeline/state"
)

// Publication is a post on one account, published, with its latest
// engagement sample.
type Publication struct {
	PostID   string
	File     string // the post's file, relative to the calendar root
	Title    string // the post's title, or "" without one
	Campaign string
	Tags     []string
	Account  string
	Network  string
	At       time.Time     // published_at
	URL      string        // where people see it (its first part), "" when unknown
	Latest   *state.Counts // nil before its first sample
	// Followers is the account's follower count nearest the publication's
	// time, nil without any sample: the base of the per-follower rate.
	Followers *int64
}

// Engagements are likes + reposts + replies + quotes of the latest sample,
// nil when it gives none of them.
func (p *Publication) Engagements() *int64 {
	if p.Latest == nil {
		return nil
	}
	c := p.Latest
	return sum(sum(sum(sum(nil, c.Likes), c.Reposts), c.Replies), c.Quotes)
}

// Rate is the publication's engagement rate on views, nil without views
// (or with none seen).
func (p *Publication) Rate() *float64 {
	e := p.Engagements()
	if p.Latest == nil || p.Latest.Views == nil || *p.Latest.Views <= 0 {
		return nil
	}
	return ratio(orZero(e), *p.Latest.Views)
}

// FollowerRate is the publication's engagements per follower of its
// account, for a network that gives no views; nil otherwise.
func (p *Publication) FollowerRate() *float64 {
	e := p.Engagements()
	if e == nil || p.Latest.Views != nil || p.Followers == nil || *p.Followers <= 0 {
		return nil
	}
	return ratio(*e, *p.Followers)
}

// Figures are the KPIs of a group of publications (a campaign, a tag, an
// account, all of them). A count is nil when no publication has it: a
// figure a network does not give is absent, never 0.
type Figures struct {
	Posts, Publications int
	Likes, Reposts      *int64
	Replies, Quotes     *int64
	Views, Engagements  *int64
	// EngagementRate is the engagements of the publications whose latest
	// sample has views over the sum of those views.
	EngagementRate *float64
	// FollowerRate is the engagements of the publications whose latest
	// sample has no views over the sum of their accounts' followers at
	// publication: a rate per follower, for networks without views.
	FollowerRate *float64
}

// figuresOf adds up publications.
func figuresOf(pubs []*Publication) Figures {
	var f Figures
	posts := map[string]bool{}
	var rateEng, rateViews, followerEng, followers int64
	var withViews, withFollowers bool
	for _, p := range pubs {
		posts[p.PostID] = true
		f.Publications++
		e := p.Engagements()
		f.Engagements = sum(f.Engagements, e)
		if p.Latest == nil {
			continue
		}
		c := p.Latest
		f.Likes = sum(f.Likes, c.Likes)
		f.Reposts = sum(f.Reposts, c.Reposts)
		f.Replies = sum(f.Replies, c.Replies)
		f.Quotes = sum(f.Quotes, c.Quotes)
		f.Views = sum(f.Views, c.Views)
		switch {
		case c.Views != nil:
			withViews = true
			rateEng += orZero(e)
			rateViews += *c.Views
		case e != nil && p.Followers != nil:
			withFollowers = true
			followerEng += *e
			followers += *p.Followers
		}
	}
	f.Posts = len(posts)
	if withViews && rateViews > 0 {
		f.EngagementRate = ratio(rateEng, rateViews)
	}
	if withFollowers && followers > 0 {
		f.FollowerRate = ratio(followerEng, followers)
	}
	return f
}

// Metric returns the figure a charter objective names (its key), nil when
// the figure is unknown or absent.
func (f Figures) Metric(name string) *float64 {
	n := func(v int64) *float64 { x := float64(v); return &x }
	switch name {
	case "posts":
		return n(int64(f.Posts))
	case "publications":
		return n(int64(f.Publications))
	case "engagement_rate":
		return f.EngagementRate
	case "engagement_rate_per_follower":
		return f.FollowerRate
	}
	for _, c := range []struct {
		name string
		v    *int64
	}{{"likes", f.Likes}, {"reposts", f.Reposts}, {"replies", f.Replies}, {"quotes", f.Quotes}, {"views", f.Views}, {"engagements", f.Engagements}} {
		if c.name == name && c.v != nil {
			return n(*c.v)
		}
	}
	return nil
}

func sum(total, n *int64) *int64 {
	switch {
	case n == nil:
		return total
	case total == nil:
		v := *n
		return &v
	}
	v := *total + *n
	return &v
}

func orZero(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// ratio is a / b; b must not be 0.
func ratio(a, b int64) *float64 {
	r := float64(a) / float64(b)
	return &r
}
