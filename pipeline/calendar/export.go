package calendar

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/state"
)

// Columns are the columns of herald export --format csv, in order: stable
// names, which herald import reads back. One row per post and account.
var Columns = []string{
	"id", "path", "date", "status", "account", "network", "campaign", "tags", "title", "text", "variant",
	"media", "media_alt", "state", "url", "published_at", "likes", "reposts", "replies", "quotes", "views",
}

// Row is one post on one account.
type Row struct {
	ID       string   `json:"id"`
	Path     string   `json:"path"` // below the calendar root: posts/2026/12/avent-1.md
	Date     string   `json:"date"` // RFC 3339 in the charter's zone
	Status   string   `json:"status"`
	Account  string   `json:"account"`
	Network  string   `json:"network"`
	Campaign string   `json:"campaign"`
	Tags     []string `json:"tags"`
	Title    string   `json:"title"`
	Text     string   `json:"text"`    // the post's body, for every account
	Variant  string   `json:"variant"` // the account's own text, when the post has one
	Media    []Medium `json:"media"`
	// What publish did on the account: its state (published, failed,
	// missed, publishing; "" when never tried), the first part's URL, when,
	// and the latest stats sample (null where the network gives none).
	State       string       `json:"state"`
	URL         string       `json:"url"`
	PublishedAt string       `json:"published_at"`
	Stats       state.Counts `json:"stats"`
	Line        int          `json:"-"` // where an imported row was read: its CSV line, or its JSON index
}

// Medium is a post's medium as written in it.
type Medium struct {
	Src string `json:"src" yaml:"src"`
	Alt string `json:"alt" yaml:"alt,omitempty"`
}

// ExportRows returns the rows of the calendar's posts in scope dated from
// from to to (days in the charter's zone, both included; zero for no
// bound), by date then id, with what each account's state file says.
// calendar is the calendar's root as a file system, for its state files.
func ExportRows(cal *check.Calendar, calendar fs.FS, from, to time.Time) ([]Row, error) {
	loc := cal.Charter.Location
	var rows []Row
	posts := sortedPosts(cal.Posts)
	for _, p := range posts {
		if !p.When.IsZero() {
			day := DayOf(p.When, loc)
			if (!from.IsZero() && day.Before(from)) || (!to.IsZero() && day.After(to)) {
				continue
			}
		} else if !from.IsZero() || !to.IsZero() {
			continue
		}
		st, err := state.Load(calendar, p.ID)
		if err != nil {
			return nil, err
		}
		date := p.Date.Value
		if !p.When.IsZero() {
			date = p.When.In(loc).Format(time.RFC3339)
		}
		status := "ready"
		if p.IsDraft() {
			status = "draft"
		}
		var tags []string
		for _, t := range p.Tags {
			tags = append(tags, t.Value)
		}
		var media []Medium
		for _, m := range p.Media {
			media = append(media, Medium{m.Src.Value, m.Alt.Value})
		}
		for _, n := range p.Networks {
			row := Row{ID: p.ID, Path: p.Rel, Date: date, Status: status, Account: n.Value,
				Campaign: p.Campaign.Value, Tags: tags, Title: p.Title.Value, Text: strings.TrimSpace(p.Body), Media: media}
			if a := cal.Charter.Accounts[n.Value]; a != nil {
				row.Network = a.Network
			}
			for _, v := range p.Variants {
				if v.Key.Value == n.Value {
					row.Variant = v.Text.Value
				}
			}
			if a := st.Accounts[n.Value]; a != nil {
				row.State = string(a.Status)
				if len(a.URLs) > 0 {
					row.URL = a.URLs[0]
				}
				if !a.PublishedAt.IsZero() {
					row.PublishedAt = a.PublishedAt.In(loc).Format(time.RFC3339)
				}
				if len(a.Stats) > 0 {
					row.Stats = a.Stats[len(a.Stats)-1].Counts
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

func sortedPosts(posts []*check.Post) []*check.Post {
	out := slices.Clone(posts)
	// Dated posts by time, then the undated, each by id.
	slices.SortStableFunc(out, func(a, b *check.Post) int {
		switch {
		case a.When.IsZero() != b.When.IsZero():
			if a.When.IsZero() {
				return 1
			}
			return -1
		case !a.When.Equal(b.When):
			return a.When.Compare(b.When)
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// WriteCSV writes rows under the header Columns. Tags are comma-separated;
// media and their alt texts one per line, in the same order.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	record := make([]string, len(Columns))
	for _, r := range rows {
		srcs, alts := make([]string, len(r.Media)), make([]string, len(r.Media))
		for i, m := range r.Media {
			srcs[i], alts[i] = m.Src, m.Alt
		}
		copy(record, []string{r.ID, r.Path, r.Date, r.Status, r.Account, r.Network, r.Campaign,
			strings.Join(r.Tags, ","), r.Title, r.Text, r.Variant, strings.Join(srcs, "\n"), strings.Join(alts, "\n"),
			r.State, r.URL, r.PublishedAt, count(r.Stats.Likes), count(r.Stats.Reposts), count(r.Stats.Replies),
			count(r.Stats.Quotes), count(r.Stats.Views)})
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func count(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

// WriteRowsJSON writes rows as one JSON array of objects with the CSV's
// column names; tags and media are arrays, stats an object.
func WriteRowsJSON(w io.Writer, rows []Row) error {
	if rows == nil {
		rows = []Row{}
	}
	for i := range rows {
		if rows[i].Tags == nil {
			rows[i].Tags = []string{}
		}
		if rows[i].Media == nil {
			rows[i].Media = []Medium{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rows)
}
