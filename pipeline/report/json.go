package report

import (
	"encoding/json"
	"io"
	"time"
)

// The JSON report: SPEC's "Report" keys first, as the contract fixes
// them, then Herald's own additions beside them (previous, change,
// followers_growth, share...), never renaming a contract key.

type jsonReport struct {
	From      string         `json:"from"`
	To        string         `json:"to"`
	Campaigns []jsonCampaign `json:"campaigns"`
	Tags      []jsonTag      `json:"tags"`
	Accounts  []jsonAccount  `json:"accounts"`

	Brand    string       `json:"brand"`
	Campaign *string      `json:"campaign_filter"`
	Previous jsonPeriod   `json:"previous_period"`
	Total    jsonTotal    `json:"total"`
	When     jsonHeatmap  `json:"when_to_post"`
	Best     []jsonRanked `json:"best_posts"`
	Worst    []jsonRanked `json:"worst_posts"`
	BestPF   []jsonRanked `json:"best_posts_per_follower"`
	WorstPF  []jsonRanked `json:"worst_posts_per_follower"`
}

type jsonPeriod struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// jsonFigures are the contract's counts of an element.
type jsonFigures struct {
	Posts          int      `json:"posts"`
	Publications   int      `json:"publications"`
	Likes          *int64   `json:"likes"`
	Reposts        *int64   `json:"reposts"`
	Replies        *int64   `json:"replies"`
	Quotes         *int64   `json:"quotes"`
	Views          *int64   `json:"views"`
	Engagements    *int64   `json:"engagements"`
	EngagementRate *float64 `json:"engagement_rate"`
}

// jsonExtra are Herald's additions to every element.
type jsonExtra struct {
	FollowerRate *float64     `json:"engagement_rate_per_follower"`
	Previous     jsonPrevious `json:"previous"`
	Change       jsonChange   `json:"change"`
}

type jsonPrevious struct {
	jsonFigures
	FollowerRate *float64 `json:"engagement_rate_per_follower"`
}

// jsonChange is each figure minus its previous value, null when either is
// absent; rates change in points of ratio (0.004 is 0.4 point).
type jsonChange struct {
	Posts          int      `json:"posts"`
	Publications   int      `json:"publications"`
	Likes          *int64   `json:"likes"`
	Reposts        *int64   `json:"reposts"`
	Replies        *int64   `json:"replies"`
	Quotes         *int64   `json:"quotes"`
	Views          *int64   `json:"views"`
	Engagements    *int64   `json:"engagements"`
	EngagementRate *float64 `json:"engagement_rate"`
	FollowerRate   *float64 `json:"engagement_rate_per_follower"`
}

type jsonCampaign struct {
	Campaign string `json:"campaign"`
	jsonFigures
	Budget            *float64        `json:"budget"`
	CostPerEngagement *float64        `json:"cost_per_engagement"`
	Objectives        []jsonObjective `json:"objectives"`
	Title             string          `json:"title"`
	jsonExtra
}

type jsonObjective struct {
	Metric string   `json:"metric"`
	Target float64  `json:"target"`
	Actual *float64 `json:"actual"`
	Met    bool     `json:"met"`
}

type jsonTag struct {
	Tag string `json:"tag"`
	jsonFigures
	Share       *float64 `json:"share"`
	ShareMin    *float64 `json:"share_min"`
	ShareMax    *float64 `json:"share_max"`
	ShareStatus *string  `json:"share_status"`
	jsonExtra
}

type jsonAccount struct {
	Account string `json:"account"`
	jsonFigures
	FollowersStart   *int64  `json:"followers_start"`
	FollowersEnd     *int64  `json:"followers_end"`
	Network          string  `json:"network"`
	FollowersStartAt *string `json:"followers_start_at"`
	FollowersEndAt   *string `json:"followers_end_at"`
	FollowersGrowth  *int64  `json:"followers_growth"`
	jsonExtra
}

type jsonTotal struct {
	jsonFigures
	jsonExtra
}

type jsonHeatmap struct {
	Basis        *string    `json:"basis"`
	MinPerCell   int        `json:"min_publications_per_cell"`
	Publications int        `json:"publications"`
	Overall      *float64   `json:"rate"`
	Cells        []jsonCell `json:"cells"`
	Suggestion   *jsonCell  `json:"suggestion"`
}

type jsonCell struct {
	Weekday      string  `json:"weekday"` // monday...sunday
	Hour         int     `json:"hour"`
	Publications int     `json:"publications"`
	Rate         float64 `json:"rate"`
}

type jsonRanked struct {
	Post         string   `json:"post"`
	File         string   `json:"file"`
	Account      string   `json:"account"`
	Network      string   `json:"network"`
	URL          *string  `json:"url"`
	PublishedAt  string   `json:"published_at"`
	Engagements  *int64   `json:"engagements"`
	Views        *int64   `json:"views"`
	Rate         *float64 `json:"engagement_rate"`
	FollowerRate *float64 `json:"engagement_rate_per_follower"`
}

// WriteJSON writes the report as one JSON object, indented.
func WriteJSON(w io.Writer, r *Report) error {
	loc := r.Location
	stamp := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	out := jsonReport{
		From:      stamp(r.Period.Start),
		To:        stamp(r.Period.Last()),
		Campaigns: []jsonCampaign{},
		Tags:      []jsonTag{},
		Accounts:  []jsonAccount{},
		Brand:     r.Brand,
		Previous:  jsonPeriod{From: stamp(r.Previous.Start), To: stamp(r.Previous.Last())},
		Total:     jsonTotal{figuresJSON(r.Total.Figures), extraJSON(r.Total)},
		When:      heatmapJSON(r.When),
		Best:      rankedJSON(r.Best, loc),
		Worst:     rankedJSON(r.Worst, loc),
		BestPF:    rankedJSON(r.BestPerFollower, loc),
		WorstPF:   rankedJSON(r.WorstPerFollower, loc),
	}
	if r.Campaign != "" {
		out.Campaign = &r.Campaign
	}
	for _, g := range r.Campaigns {
		c := jsonCampaign{Campaign: g.Key, jsonFigures: figuresJSON(g.Figures), Budget: g.Budget,
			CostPerEngagement: g.CostPerEngagement, Objectives: []jsonObjective{}, Title: g.Label, jsonExtra: extraJSON(g)}
		for _, o := range g.Objectives {
			c.Objectives = append(c.Objectives, jsonObjective(o))
		}
		out.Campaigns = append(out.Campaigns, c)
	}
	for _, g := range r.Tags {
		t := jsonTag{Tag: g.Key, jsonFigures: figuresJSON(g.Figures), Share: g.Share, ShareMin: g.ShareMin, ShareMax: g.ShareMax, jsonExtra: extraJSON(g)}
		if s := g.ShareStatus(); s != "" {
			t.ShareStatus = &s
		}
		out.Tags = append(out.Tags, t)
	}
	for _, g := range r.Accounts {
		a := jsonAccount{Account: g.Key, jsonFigures: figuresJSON(g.Figures), Network: g.Network, FollowersGrowth: g.Growth(), jsonExtra: extraJSON(g)}
		if s := g.FollowersStart; s != nil {
			n, at := s.Followers, stamp(s.At)
			a.FollowersStart, a.FollowersStartAt = &n, &at
		}
		if s := g.FollowersEnd; s != nil {
			n, at := s.Followers, stamp(s.At)
			a.FollowersEnd, a.FollowersEndAt = &n, &at
		}
		out.Accounts = append(out.Accounts, a)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func figuresJSON(f Figures) jsonFigures {
	return jsonFigures{Posts: f.Posts, Publications: f.Publications, Likes: f.Likes, Reposts: f.Reposts, Replies: f.Replies,
		Quotes: f.Quotes, Views: f.Views, Engagements: f.Engagements, EngagementRate: f.EngagementRate}
}

func extraJSON(g Group) jsonExtra {
	return jsonExtra{
		FollowerRate: g.FollowerRate,
		Previous:     jsonPrevious{figuresJSON(g.Before), g.Before.FollowerRate},
		Change: jsonChange{
			Posts: g.Posts - g.Before.Posts, Publications: g.Publications - g.Before.Publications,
			Likes: diff(g.Likes, g.Before.Likes), Reposts: diff(g.Reposts, g.Before.Reposts),
			Replies: diff(g.Replies, g.Before.Replies), Quotes: diff(g.Quotes, g.Before.Quotes),
			Views: diff(g.Views, g.Before.Views), Engagements: diff(g.Engagements, g.Before.Engagements),
			EngagementRate: diffRate(g.EngagementRate, g.Before.EngagementRate),
			FollowerRate:   diffRate(g.FollowerRate, g.Before.FollowerRate),
		},
	}
}

func diff(now, before *int64) *int64 {
	if now == nil || before == nil {
		return nil
	}
	d := *now - *before
	return &d
}

func diffRate(now, before *float64) *float64 {
	if now == nil || before == nil {
		return nil
	}
	d := *now - *before
	return &d
}

var weekdayKeys = [...]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

func heatmapJSON(h Heatmap) jsonHeatmap {
	out := jsonHeatmap{MinPerCell: MinPublicationsPerCell, Publications: h.Publications, Overall: h.Overall, Cells: []jsonCell{}}
	if h.Basis != "" {
		out.Basis = &h.Basis
	}
	for _, c := range h.Cells {
		out.Cells = append(out.Cells, cellJSON(c))
	}
	if h.Best != nil {
		c := cellJSON(*h.Best)
		out.Suggestion = &c
	}
	return out
}

func cellJSON(c Cell) jsonCell {
	return jsonCell{Weekday: weekdayKeys[c.Weekday], Hour: c.Hour, Publications: c.Publications, Rate: c.Rate}
}

func rankedJSON(pubs []*Publication, loc *time.Location) []jsonRanked {
	out := []jsonRanked{}
	for _, p := range pubs {
		r := jsonRanked{Post: p.PostID, File: p.File, Account: p.Account, Network: p.Network,
			PublishedAt: p.At.In(loc).Format(time.RFC3339), Engagements: p.Engagements(), Rate: p.Rate(), FollowerRate: p.FollowerRate()}
		if p.URL != "" {
			r.URL = &p.URL
		}
		if p.Latest != nil {
			r.Views = p.Latest.Views
		}
		out = append(out, r)
	}
	return out
}
