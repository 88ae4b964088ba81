package calendar

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strconv"
	"time"
)

// The JSON shape of herald calendar --format json: stable snake_case keys.
type jsonCalendar struct {
	Brand     string         `json:"brand"`
	Timezone  string         `json:"timezone"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	Silence   string         `json:"max_silence"`
	Days      []jsonDay      `json:"days"`
	KeyDates  []jsonKeyDate  `json:"key_dates"`
	Campaigns []jsonCampaign `json:"campaigns"`
	Gaps      []jsonGap      `json:"gaps"`
}

type jsonDay struct {
	Date      string         `json:"date"`
	Posts     []jsonPost     `json:"posts"`
	Accounts  map[string]int `json:"accounts"` // posts per account
	KeyDates  []string       `json:"key_dates"`
	Campaigns []string       `json:"campaigns"`
	Gap       bool           `json:"gap"`
}

type jsonPost struct {
	ID       string   `json:"id"`
	Path     string   `json:"path"`
	Date     string   `json:"date"` // RFC 3339 in the charter's zone
	Title    string   `json:"title"`
	Status   string   `json:"status"`
	Accounts []string `json:"accounts"`
	Campaign string   `json:"campaign,omitempty"`
	Tags     []string `json:"tags"`
}

type jsonKeyDate struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Plan     bool   `json:"plan"`
	LeadDays int    `json:"lead_days"`
}

type jsonCampaign struct {
	Campaign string `json:"campaign"`
	Title    string `json:"title"`
	Start    string `json:"start"`
	End      string `json:"end"`
	Posts    int    `json:"posts"`
}

type jsonGap struct {
	From string `json:"from"` // the last post before, or the period's start (RFC 3339)
	To   string `json:"to"`
	Days int    `json:"days"` // whole days without a post, in the period or not
}

// WriteJSON writes the calendars as one JSON array, one object per
// calendar, listing every day of the period.
func WriteJSON(w io.Writer, cals []*Calendar) error {
	out := make([]jsonCalendar, 0, len(cals))
	for _, c := range cals {
		jc := jsonCalendar{Brand: c.Brand, Timezone: c.Location.String(), From: c.From.Format(time.DateOnly),
			To: c.To.Format(time.DateOnly), Silence: formatDays(c.Silence),
			Days: []jsonDay{}, KeyDates: []jsonKeyDate{}, Campaigns: []jsonCampaign{}, Gaps: []jsonGap{}}
		for _, d := range c.Days {
			jd := jsonDay{Date: d.Date.Format(time.DateOnly), Posts: []jsonPost{}, Accounts: map[string]int{},
				KeyDates: []string{}, Campaigns: []string{}, Gap: d.Gap}
			maps.Copy(jd.Accounts, d.ByAccount)
			for _, i := range d.Posts {
				p := c.Posts[i]
				status := "ready"
				if p.Draft {
					status = "draft"
				}
				jd.Posts = append(jd.Posts, jsonPost{ID: p.ID, Path: p.Path, Date: p.When.In(c.Location).Format(time.RFC3339),
					Title: p.Title, Status: status, Accounts: nonNil(p.Accounts), Campaign: p.Campaign, Tags: nonNil(p.Tags)})
			}
			for _, i := range d.KeyDates {
				jd.KeyDates = append(jd.KeyDates, c.KeyDates[i].ID)
			}
			for _, i := range d.Campaigns {
				jd.Campaigns = append(jd.Campaigns, c.Campaigns[i].Key)
			}
			jc.Days = append(jc.Days, jd)
		}
		for _, k := range c.KeyDates {
			jc.KeyDates = append(jc.KeyDates, jsonKeyDate{ID: k.ID, Name: k.Name, Start: k.Start.Format(time.DateOnly),
				End: k.End.Format(time.DateOnly), Plan: k.Plan, LeadDays: int(k.Lead / (24 * time.Hour))})
		}
		for _, cp := range c.Campaigns {
			jc.Campaigns = append(jc.Campaigns, jsonCampaign{Campaign: cp.Key, Title: cp.Title, Start: cp.Start.Format(time.DateOnly),
				End: cp.End.Format(time.DateOnly), Posts: cp.Posts})
		}
		for _, g := range c.Gaps {
			jc.Gaps = append(jc.Gaps, jsonGap{From: g.From.In(c.Location).Format(time.RFC3339), To: g.To.In(c.Location).Format(time.RFC3339),
				Days: g.Days})
		}
		out = append(out, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// formatDays writes a duration as days when it is whole days ("3d"), as
// the charter writes it, else as Go does ("36h0m0s").
func formatDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}
