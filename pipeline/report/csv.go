package report

import (
	"encoding/csv"
	"io"
	"strconv"
)

// CSVHeader is the CSV format's first line: its columns are a contract for
// spreadsheets, in JSON's names.
var CSVHeader = []string{"section", "key", "posts", "publications", "likes", "reposts", "replies", "quotes", "views",
	"engagements", "engagement_rate", "engagement_rate_per_follower", "budget", "cost_per_engagement",
	"followers_start", "followers_end", "share", "metric", "target", "actual", "met"}

// WriteCSV writes one row per figure group (section total, campaign, tag,
// account) and per objective (section objective, key the campaign), with
// the period's figures; an absent figure is an empty cell, never 0.
// Numbers are written as machines read them (a dot, no grouping).
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	row := func(section string, g Group) []string {
		rec := []string{section, g.Key, strconv.Itoa(g.Posts), strconv.Itoa(g.Publications), csvInt(g.Likes), csvInt(g.Reposts), csvInt(g.Replies),
			csvInt(g.Quotes), csvInt(g.Views), csvInt(g.Engagements), csvFloat(g.EngagementRate), csvFloat(g.FollowerRate),
			csvFloat(g.Budget), csvFloat(g.CostPerEngagement), "", "", csvFloat(g.Share), "", "", "", ""}
		if g.FollowersStart != nil {
			rec[14] = strconv.FormatInt(g.FollowersStart.Followers, 10)
		}
		if g.FollowersEnd != nil {
			rec[15] = strconv.FormatInt(g.FollowersEnd.Followers, 10)
		}
		return rec
	}
	recs := [][]string{row("total", r.Total)}
	for _, g := range r.Campaigns {
		recs = append(recs, row("campaign", g))
	}
	for _, g := range r.Tags {
		recs = append(recs, row("tag", g))
	}
	for _, g := range r.Accounts {
		recs = append(recs, row("account", g))
	}
	for _, g := range r.Campaigns {
		for _, o := range g.Objectives {
			rec := make([]string, len(CSVHeader))
			rec[0], rec[1] = "objective", g.Key
			rec[17], rec[18], rec[19], rec[20] = o.Metric, csvFloat(&o.Target), csvFloat(o.Actual), strconv.FormatBool(o.Met)
			recs = append(recs, rec)
		}
	}
	if err := cw.WriteAll(recs); err != nil {
		return err
	}
	return cw.Error()
}

func csvInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

func csvFloat(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
