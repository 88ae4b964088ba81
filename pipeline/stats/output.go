package stats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/herald-social/herald/pipeline/diag"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/state"

	"github.com/herald-social/herald/pipeline/schedule"
)

// WriteText writes the report for people: a table of the samples taken
// (with the change in engagement since each publication's previous
// sample), a table of follower counts, the server limits read again, the
// accounts that could not be sampled, and what became of the samples.
func WriteText(w io.Writer, rep *Report) error {
	bw := bufio.NewWriter(w)
	sections := 0
	separate := func() {
		if sections > 0 {
			fmt.Fprintln(bw)
		}
		sections++
	}
	if rows := sampleRows(rep); rows != nil {
		separate()
		writeTable(bw, rows, sampleRight)
	}
	if rows := followerRows(rep); rows != nil {
		separate()
		writeTable(bw, rows, followerRight)
	}
	if lines := instanceLines(rep); lines != nil {
		separate()
		for _, l := range lines {
			fmt.Fprintln(bw, diag.OneLine(l))
		}
	}
	if lines := problemLines(rep); lines != nil {
		separate()
		for _, l := range lines {
			fmt.Fprintln(bw, diag.OneLine(l))
		}
	}
	if sections > 0 {
		fmt.Fprintln(bw)
	}
	for _, l := range closing(rep) {
		fmt.Fprintln(bw, l)
	}
	return bw.Flush()
}

// The tables of the report, header first, and their columns aligned to
// the right: text and Markdown show the same.
var (
	sampleRight   = []bool{false, false, true, true, true, true, true, false}
	followerRight = []bool{false, true, false}
)

// sampleRows is the table of the samples taken, nil when there are none.
func sampleRows(rep *Report) [][]string {
	if len(rep.Samples) == 0 {
		return nil
	}
	rows := [][]string{{"POST", "ACCOUNT", "LIKES", "REPOSTS", "REPLIES", "QUOTES", "VIEWS", "DELTA"}}
	for _, s := range rep.Samples {
		rows = append(rows, []string{postPath(s.Calendar, s.PostID), s.Account,
			count(s.Likes), count(s.Reposts), count(s.Replies), count(s.Quotes), count(s.Views), sampleDelta(s)})
	}
	return rows
}

// followerRows is the table of follower counts, nil when there are none.
func followerRows(rep *Report) [][]string {
	if len(rep.Followers) == 0 {
		return nil
	}
	rows := [][]string{{"ACCOUNT", "FOLLOWERS", "DELTA"}}
	for _, f := range rep.Followers {
		rows = append(rows, []string{postPath(f.Calendar, f.Account), strconv.FormatInt(f.Followers, 10), followersDelta(f)})
	}
	return rows
}

// instanceLines say which servers' limits were read again.
func instanceLines(rep *Report) []string {
	var lines []string
	for _, in := range rep.Instances {
		lines = append(lines, fmt.Sprintf("server limits: %s: %s: %d characters, %d media", postPath(in.Calendar, in.Account),
			in.Facts.Server, in.Facts.MaxCharacters, in.Facts.MaxMediaAttachments))
	}
	return lines
}

// problemLines say which accounts and state files could not be sampled.
func problemLines(rep *Report) []string {
	var lines []string
	for _, p := range rep.Problems {
		what := strings.ReplaceAll(p.What, "-", " ")
		if p.PostID != "" {
			lines = append(lines, fmt.Sprintf("%s: %s: %v", what, postPath(p.Calendar, p.PostID), p.Err))
		} else {
			lines = append(lines, fmt.Sprintf("%s: %s: %v", what, postPath(p.Calendar, p.Account), p.Err))
		}
	}
	return lines
}

// closing says what was sampled and left out, and what became of the
// samples.
func closing(rep *Report) []string {
	left := leftOut(rep)
	if len(rep.Samples)+len(rep.Followers)+len(rep.Instances) == 0 {
		if left != "" {
			left = ": " + left
		}
		return []string{fmt.Sprintf("Nothing to fetch%s.", left)}
	}
	sampled := fmt.Sprintf("Sampled %s", plural(int64(len(rep.Samples)), "publication"))
	if len(rep.Followers) > 0 {
		sampled += fmt.Sprintf(", the followers of %s", plural(int64(len(rep.Followers)), "account"))
	}
	if len(rep.Instances) > 0 {
		sampled += fmt.Sprintf(", the limits of %s", plural(int64(len(rep.Instances)), "server"))
	}
	if left != "" {
		sampled += "; not sampled: " + left
	}
	sampled += "."
	switch {
	case rep.Repository == "":
		return []string{sampled, "Not in a git repository: the samples are in state/, nothing was committed."}
	case len(rep.Commits) == 0:
		return []string{sampled, "Nothing to commit."}
	}
	pushed := "not pushed"
	if rep.Pushed {
		pushed = "pushed"
	}
	return []string{sampled, fmt.Sprintf("Committed %s in %s, %s.", strings.Join(rep.Commits, ", "), rep.Repository, pushed)}
}

// leftOut says which publications were not sampled, and why.
func leftOut(rep *Report) string {
	var parts []string
	if rep.Recent > 0 {
		parts = append(parts, fmt.Sprintf("%d sampled recently", rep.Recent))
	}
	if rep.Expired > 0 {
		parts = append(parts, fmt.Sprintf("%d past their window", rep.Expired))
	}
	if rep.NotFound > 0 {
		parts = append(parts, fmt.Sprintf("%d not found on their network", rep.NotFound))
	}
	if rep.Unsupported > 0 {
		parts = append(parts, fmt.Sprintf("%d on networks without engagement (feed, outbox)", rep.Unsupported))
	}
	return strings.Join(parts, ", ")
}

func postPath(calendar, name string) string {
	if calendar == "" || calendar == "." {
		return name
	}
	return path.Join(calendar, name)
}

func count(n *int64) string {
	if n == nil {
		return "-"
	}
	return strconv.FormatInt(*n, 10)
}

// engagement is likes, reposts, replies and quotes together, nil when the
// network gives none of them.
func engagement(c state.Counts) *int64 {
	return state.Total([]state.Counts{{Likes: c.Likes}, {Likes: c.Reposts}, {Likes: c.Replies}, {Likes: c.Quotes}}).Likes
}

// sampleDelta is the change in engagement since the previous sample:
// "+4 in 6h".
func sampleDelta(s Sample) string {
	if s.Previous == nil {
		return "first sample"
	}
	now, then := engagement(s.Counts), engagement(s.Previous.Counts)
	if now == nil || then == nil {
		return "in " + schedule.FormatDuration(s.At.Sub(s.Previous.At))
	}
	return signed(*now-*then) + " in " + schedule.FormatDuration(s.At.Sub(s.Previous.At))
}

func followersDelta(f Followers) string {
	if f.Previous == nil {
		return "first count"
	}
	return signed(f.Followers-f.Previous.Followers) + " in " + schedule.FormatDuration(f.At.Sub(f.Previous.At))
}

func signed(n int64) string {
	if n > 0 {
		return "+" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// writeTable writes rows in columns two spaces apart, the columns marked
// in right aligned to the right, without trailing spaces.
func writeTable(w io.Writer, rows [][]string, right []bool) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if right[i] {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// jsonReport is the JSON output: stable snake_case keys.
type jsonReport struct {
	Samples     []jsonSample    `json:"samples"`
	Followers   []jsonFollowers `json:"followers"`
	Instances   []jsonInstance  `json:"instances"`
	Problems    []jsonProblem   `json:"problems"`
	Recent      int             `json:"recent"`
	Expired     int             `json:"expired"`
	Unsupported int             `json:"unsupported"`
	NotFound    int             `json:"not_found"`
	Repository  string          `json:"repository"`
	Commits     []string        `json:"commits"`
	Pushed      bool            `json:"pushed"`
}

type jsonSample struct {
	Calendar string    `json:"calendar"`
	Post     string    `json:"post"`
	Account  string    `json:"account"`
	Network  string    `json:"network"`
	At       time.Time `json:"at"`
	state.Counts
	// Previous is the sample before, null for the first; Delta the
	// change of each count since, null for the first.
	Previous *jsonPrevious `json:"previous"`
	Delta    *state.Counts `json:"delta"`
}

type jsonPrevious struct {
	At time.Time `json:"at"`
	state.Counts
}

type jsonFollowers struct {
	Calendar  string          `json:"calendar"`
	Account   string          `json:"account"`
	Network   string          `json:"network"`
	At        time.Time       `json:"at"`
	Followers int64           `json:"followers"`
	Previous  *FollowerSample `json:"previous"`
	Delta     *int64          `json:"delta"`
}

type jsonInstance struct {
	Calendar string        `json:"calendar"`
	Account  string        `json:"account"`
	Facts    netspec.Facts `json:"limits"`
}

type jsonProblem struct {
	Calendar string `json:"calendar"`
	Account  string `json:"account,omitempty"`
	Post     string `json:"post,omitempty"`
	Status   string `json:"status"` // not-configured, failed
	Error    string `json:"error"`
}

// WriteJSON writes the report as one JSON object: samples, followers,
// problems, the publications left out, and the commits.
func WriteJSON(w io.Writer, rep *Report) error {
	out := jsonReport{Samples: []jsonSample{}, Followers: []jsonFollowers{}, Instances: []jsonInstance{}, Problems: []jsonProblem{},
		Recent: rep.Recent, Expired: rep.Expired, Unsupported: rep.Unsupported, NotFound: rep.NotFound,
		Repository: rep.Repository, Commits: append([]string{}, rep.Commits...), Pushed: rep.Pushed}
	for _, s := range rep.Samples {
		js := jsonSample{Calendar: s.Calendar, Post: s.PostID, Account: s.Account, Network: s.Network, At: s.At, Counts: s.Counts}
		if s.Previous != nil {
			js.Previous = &jsonPrevious{At: s.Previous.At, Counts: s.Previous.Counts}
			d := delta(s.Counts, s.Previous.Counts)
			js.Delta = &d
		}
		out.Samples = append(out.Samples, js)
	}
	for _, f := range rep.Followers {
		jf := jsonFollowers{Calendar: f.Calendar, Account: f.Account, Network: f.Network, At: f.At, Followers: f.Followers, Previous: f.Previous}
		if f.Previous != nil {
			jf.Delta = state.Count(f.Followers - f.Previous.Followers)
		}
		out.Followers = append(out.Followers, jf)
	}
	for _, in := range rep.Instances {
		out.Instances = append(out.Instances, jsonInstance(in))
	}
	for _, p := range rep.Problems {
		out.Problems = append(out.Problems, jsonProblem{Calendar: p.Calendar, Account: p.Account, Post: p.PostID, Status: p.What, Error: p.Err.Error()})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// delta is the change of each count, nil where either sample lacks it.
func delta(now, then state.Counts) state.Counts {
	sub := func(a, b *int64) *int64 {
		if a == nil || b == nil {
			return nil
		}
		return state.Count(*a - *b)
	}
	return state.Counts{Likes: sub(now.Likes, then.Likes), Reposts: sub(now.Reposts, then.Reposts),
		Replies: sub(now.Replies, then.Replies), Quotes: sub(now.Quotes, then.Quotes), Views: sub(now.Views, then.Views)}
}
