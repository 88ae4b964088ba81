package schedule

import (
	"bufio"
	"encoding/json"
	"fmt"
	"github.com/herald-social/herald/pipeline/diag"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// groups are the sections of the text output, in the order people act on
// them.
// Each has a title (plan.group.ID) and a count (plan.count.ID) in the
// catalog.
var groups = []struct {
	status Status
	id     string
	color  string
}{
	{Due, "due", "\x1b[1;32m"},
	{InProgress, "in-progress", "\x1b[1;36m"},
	{Upcoming, "upcoming", "\x1b[1;34m"},
	{Missed, "missed", "\x1b[1;31m"},
	{Skipped, "skipped", "\x1b[1;33m"},
	{Done, "done", "\x1b[2m"},
}

// TextOptions tune WriteText.
type TextOptions struct {
	Color   bool          // ANSI colours, for a terminal
	Printer *i18n.Printer // the reader's language; nil is English
}

// WriteText writes the plans for people: per calendar, per account, the
// items grouped by status with their counts, then the totals.
func WriteText(w io.Writer, plans []*Result, opts TextOptions) error {
	p := opts.Printer
	if p == nil {
		p = i18n.English()
	}
	bw := bufio.NewWriter(w)
	paint := func(color, s string) string {
		if !opts.Color {
			return s
		}
		return color + s + "\x1b[0m"
	}
	for i, r := range plans {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		fmt.Fprintln(bw, p.T("plan.header", i18n.Args{"Brand": r.Calendar.Charter.Brand, "Now": timeText(p, r.Now),
			"Zone": r.Now.Location().String(), "MaxLateness": p.Duration(r.MaxLateness), "Horizon": p.Duration(r.Horizon)}))
		if len(r.Items) == 0 {
			fmt.Fprintln(bw, "\n"+p.T("plan.nothing", nil))
		}
		for _, key := range accountsOf(r.Items) {
			items := byAccount(r.Items, key)
			fmt.Fprintln(bw, "\n"+p.T("plan.account", i18n.Args{"Account": accountTitle(p, key, items[0].Network), "Counts": counts(p, items, false)}))
			for _, g := range groups {
				var lines []Item
				for _, it := range items {
					if it.Status == g.status {
						lines = append(lines, it)
					}
				}
				if len(lines) == 0 {
					continue
				}
				fmt.Fprintf(bw, "  %s\n", paint(g.color, p.T("plan.group."+g.id, nil)))
				for _, it := range lines {
					when := p.T("plan.no-date", nil)
					if !it.DueAt.IsZero() {
						when = timeText(p, it.DueAt)
					}
					line := fmt.Sprintf("    %s  %s", when, it.Path)
					// The line starts with the due time and the header
					// gives the plan's: say them once.
					reason := it.explain(p, true)
					if reason != "" {
						line += "  " + reason
					}
					fmt.Fprintln(bw, diag.OneLine(line)) // a file name may hold a newline
				}
			}
		}
	}
	var all []Item
	for _, r := range plans {
		all = append(all, r.Items...)
	}
	fmt.Fprintln(bw, "\n"+p.T("plan.total", i18n.Args{"Counts": counts(p, all, true)}))
	return bw.Flush()
}

// accountsOf returns the account keys of items, sorted, "" (no account)
// last.
func accountsOf(items []Item) []string {
	var keys []string
	for _, it := range items {
		if !slices.Contains(keys, it.Account) {
			keys = append(keys, it.Account)
		}
	}
	slices.SortFunc(keys, func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(a, b)
	})
	return keys
}

func byAccount(items []Item, key string) []Item {
	var out []Item
	for _, it := range items {
		if it.Account == key {
			out = append(out, it)
		}
	}
	return out
}

func accountTitle(p *i18n.Printer, key, network string) string {
	switch {
	case key == "":
		return p.T("plan.no-account", nil)
	case network == "" || network == key:
		return key
	}
	return fmt.Sprintf("%s (%s)", key, network)
}

// counts says how many items have each status: every main status when
// all is set, else only those there are.
func counts(p *i18n.Printer, items []Item, all bool) string {
	var parts []string
	for _, g := range groups {
		n := 0
		for _, it := range items {
			if it.Status == g.status {
				n++
			}
		}
		main := g.status == Due || g.status == Upcoming || g.status == Missed || g.status == Skipped
		if n > 0 || all && main {
			parts = append(parts, p.N("plan.count."+g.id, n, nil))
		}
	}
	return strings.Join(parts, ", ")
}

// jsonItem is an item as --format json prints it: stable snake_case keys.
type jsonItem struct {
	Post          string `json:"post"`
	Path          string `json:"path"`
	Account       string `json:"account"`
	Network       string `json:"network"`
	DueAt         string `json:"due_at"`
	Status        Status `json:"status"`
	Reason        string `json:"reason"`
	LateBySeconds int64  `json:"late_by_seconds,omitempty"`
}

// WriteJSON writes the items of the plans as one JSON array, for tools:
// due_at is RFC 3339 in the charter's zone ("" when the post has no valid
// date), late_by_seconds is there for due and missed items found late.
func WriteJSON(w io.Writer, plans []*Result) error {
	out := []jsonItem{}
	for _, r := range plans {
		for _, it := range r.Items {
			ji := jsonItem{
				Post: it.PostID, Path: it.Path, Account: it.Account, Network: it.Network,
				Status: it.Status, Reason: it.Reason, LateBySeconds: int64(it.LateBy.Round(time.Second) / time.Second),
			}
			if !it.DueAt.IsZero() {
				ji.DueAt = it.DueAt.Format(time.RFC3339)
			}
			out = append(out, ji)
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
