package stats

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/networks"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/state"
)

// WriteText writes the report for people: a table of the samples taken
// (with the change in engagement since each publication's previous
// sample), a table of follower counts, the server limits read again, the
// accounts that could not be sampled, and what became of the samples; in
// p's language (nil is English).
func WriteText(w io.Writer, rep *Report, p *i18n.Printer) error {
	p = orEnglish(p)
	bw := bufio.NewWriter(w)
	sections := 0
	separate := func() {
		if sections > 0 {
			fmt.Fprintln(bw)
		}
		sections++
	}
	if rows := sampleRows(p, rep); rows != nil {
		separate()
		writeTable(bw, upperHeader(rows), sampleRight)
	}
	if rows := followerRows(p, rep); rows != nil {
		separate()
		writeTable(bw, upperHeader(rows), followerRight)
	}
	if lines := instanceLines(p, rep); lines != nil {
		separate()
		for _, l := range lines {
			fmt.Fprintln(bw, diag.OneLine(l))
		}
	}
	if lines := problemLines(p, rep); lines != nil {
		separate()
		for _, l := range lines {
			fmt.Fprintln(bw, diag.OneLine(l))
		}
	}
	if sections > 0 {
		fmt.Fprintln(bw)
	}
	for _, l := range closing(p, rep) {
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

// sampleRows is the table of the samples taken, header first, nil when
// there are none.
func sampleRows(p *i18n.Printer, rep *Report) [][]string {
	if len(rep.Samples) == 0 {
		return nil
	}
	rows := [][]string{columns(p, "post", "account", "likes", "reposts", "replies", "quotes", "views", "delta")}
	for _, s := range rep.Samples {
		rows = append(rows, []string{postPath(s.Calendar, s.PostID), s.Account,
			count(p, s.Likes), count(p, s.Reposts), count(p, s.Replies), count(p, s.Quotes), count(p, s.Views), sampleDelta(p, s)})
	}
	return rows
}

// followerRows is the table of follower counts, nil when there are none.
func followerRows(p *i18n.Printer, rep *Report) [][]string {
	if len(rep.Followers) == 0 {
		return nil
	}
	rows := [][]string{columns(p, "account", "followers", "delta")}
	for _, f := range rep.Followers {
		rows = append(rows, []string{postPath(f.Calendar, f.Account), count(p, &f.Followers), followersDelta(p, f)})
	}
	return rows
}

// columns are the headers of a table (stats.column.ID), as Markdown
// shows them: "Likes".
func columns(p *i18n.Printer, ids ...string) []string {
	header := make([]string, len(ids))
	for i, id := range ids {
		header[i] = p.T("stats.column."+id, nil)
	}
	return header
}

// upperHeader is rows with its header in capitals, as the text output
// shows it: "LIKES".
func upperHeader(rows [][]string) [][]string {
	header := make([]string, len(rows[0]))
	for i, h := range rows[0] {
		header[i] = strings.ToUpper(h)
	}
	return append([][]string{header}, rows[1:]...)
}

// instanceLines say which servers' limits were read again.
func instanceLines(p *i18n.Printer, rep *Report) []string {
	var lines []string
	for _, in := range rep.Instances {
		lines = append(lines, p.T("stats.instance", i18n.Args{"Account": postPath(in.Calendar, in.Account), "Server": in.Facts.Server,
			"Characters": p.N("stats.characters", in.Facts.MaxCharacters, nil), "Media": p.N("stats.media", in.Facts.MaxMediaAttachments, nil)}))
	}
	return lines
}

// problemLines say which accounts and state files could not be sampled.
func problemLines(p *i18n.Printer, rep *Report) []string {
	var lines []string
	for _, pr := range rep.Problems {
		what := p.T("stats.problem."+pr.What, nil)
		subject := postPath(pr.Calendar, pr.Account)
		if pr.PostID != "" {
			subject = postPath(pr.Calendar, pr.PostID)
		}
		if ne, ok := errors.AsType[*networks.Error](pr.Err); ok && ne.Kind == networks.NotConfigured && ne.Env != "" {
			lines = append(lines, p.T("stats.problem.not-set", i18n.Args{"Subject": subject, "Env": ne.Env}))
			continue
		}
		lines = append(lines, p.T("stats.problem", i18n.Args{"What": what, "Subject": subject, "Err": pr.Err}))
	}
	return lines
}

// closing says what was sampled and left out, and what became of the
// samples.
func closing(p *i18n.Printer, rep *Report) []string {
	left := leftOut(p, rep)
	if len(rep.Samples)+len(rep.Followers)+len(rep.Instances) == 0 {
		if left != "" {
			return []string{p.T("stats.nothing-left-out", i18n.Args{"Left": left})}
		}
		return []string{p.T("stats.nothing", nil)}
	}
	args := i18n.Args{"Publications": p.N("stats.publications", len(rep.Samples), nil), "Followers": "", "Servers": "", "Left": ""}
	if len(rep.Followers) > 0 {
		args["Followers"] = p.T("stats.sampled.followers", i18n.Args{"Accounts": p.N("stats.accounts", len(rep.Followers), nil)})
	}
	if len(rep.Instances) > 0 {
		args["Servers"] = p.T("stats.sampled.servers", i18n.Args{"Servers": p.N("stats.servers", len(rep.Instances), nil)})
	}
	if left != "" {
		args["Left"] = p.T("stats.sampled.left-out", i18n.Args{"Left": left})
	}
	sampled := p.T("stats.sampled", args)
	switch {
	case rep.Repository == "":
		return []string{sampled, p.T("stats.no-repository", nil)}
	case len(rep.Commits) == 0:
		return []string{sampled, p.T("stats.nothing-to-commit", nil)}
	}
	id := "stats.committed"
	if rep.Pushed {
		id = "stats.committed-pushed"
	}
	return []string{sampled, p.T(id, i18n.Args{"Commits": strings.Join(rep.Commits, ", "), "Repository": rep.Repository})}
}

// leftOut says which publications were not sampled, and why.
func leftOut(p *i18n.Printer, rep *Report) string {
	var parts []string
	for _, n := range []struct {
		count int
		id    string
	}{{rep.Recent, "stats.left.recent"}, {rep.Expired, "stats.left.expired"}, {rep.NotFound, "stats.left.not-found"}, {rep.Unsupported, "stats.left.unsupported"}} {
		if n.count > 0 {
			parts = append(parts, p.N(n.id, n.count, nil))
		}
	}
	return strings.Join(parts, ", ")
}

func orEnglish(p *i18n.Printer) *i18n.Printer {
	if p == nil {
		return i18n.English()
	}
	return p
}

func postPath(calendar, name string) string {
	if calendar == "" || calendar == "." {
		return name
	}
	return path.Join(calendar, name)
}

// count writes a count of the tables: as digits in English, as the
// language groups them in others ("1 204").
func count(p *i18n.Printer, n *int64) string {
	if n == nil {
		return "-"
	}
	return p.T("stats.count", i18n.Args{"Digits": strconv.FormatInt(*n, 10), "Grouped": p.Int(*n)})
}

// engagement is likes, reposts, replies and quotes together, nil when the
// network gives none of them.
func engagement(c state.Counts) *int64 {
	return state.Total([]state.Counts{{Likes: c.Likes}, {Likes: c.Reposts}, {Likes: c.Replies}, {Likes: c.Quotes}}).Likes
}

// sampleDelta is the change in engagement since the previous sample:
// "+4 in 6h".
func sampleDelta(p *i18n.Printer, s Sample) string {
	if s.Previous == nil {
		return p.T("stats.first-sample", nil)
	}
	since := p.Duration(s.At.Sub(s.Previous.At))
	now, then := engagement(s.Counts), engagement(s.Previous.Counts)
	if now == nil || then == nil {
		return p.T("stats.delta.unknown", i18n.Args{"Since": since})
	}
	return p.T("stats.delta", i18n.Args{"Delta": signed(*now - *then), "Since": since})
}

func followersDelta(p *i18n.Printer, f Followers) string {
	if f.Previous == nil {
		return p.T("stats.first-count", nil)
	}
	return p.T("stats.delta", i18n.Args{"Delta": signed(f.Followers - f.Previous.Followers), "Since": p.Duration(f.At.Sub(f.Previous.At))})
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
