package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/schedule"
)

var planFormats = []string{"text", "json"}

func newPlanCmd(e *env) *cobra.Command {
	var (
		format string
		now    string
		all    bool
	)
	cmd := &cobra.Command{
		Use:   "plan [PATH...]",
		Short: "Show what is due, upcoming, missed and skipped, per account, and why",
		Long: `Plan shows, for each account, what herald publish would do now:

  due now      due and not later than the charter's cadence.max_lateness
               (6h when unset); "late by 47m" when the scheduled run came late
  in progress  a run has started publishing it; publish reconciles it first
  upcoming     due within the next 7 days
  missed       due longer ago than max_lateness and never published
  skipped      drafts, posts with check errors, unreadable state files

What was published is read from the calendar's state/ files; published
posts are left out unless --all is given. A post that cannot be read at all
(no front matter, broken YAML) has no date to plan: herald says so on
stderr.

Post times are instants: a post written with an offset, or in the charter's
time zone, is shown in the charter's time zone. --now sets the instant to
plan at, as RFC 3339 or as "YYYY-MM-DD HH:MM" in the charter's time zone.

PATH works as for herald check.

Exit codes: 0 nothing missed, 1 something was missed (so that a scheduled
CI job notices), 2 bad usage or a charter with errors.`,
		Example: `  herald plan                                   what is due now
  herald plan --now "2026-12-01 10:00"          as it will be on that day
  herald plan --format json posts/2026/12       for tools`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(planFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(planFormats, ", "))
			}
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00) or "2026-12-01 10:00" in the charter's time zone`, now)
				}
			}
			clock := time.Now()
			res, err := check.Run(cmd.Context(), check.Options{Dir: e.dir, Paths: args, KeepPosts: true})
			if err != nil {
				return err
			}
			if res.ConfigError {
				return printConfigErrors(e, res)
			}
			for _, path := range unparsedPosts(res) {
				fmt.Fprintf(e.stderr, "herald: %s: cannot be read, so the plan leaves it out: herald check shows why\n", path)
			}
			var plans []*schedule.Result
			for _, cal := range res.Calendars {
				at := clock
				if now != "" {
					if at, err = check.ParseDate(now, cal.Charter.Location); err != nil {
						return usageError("--now %q: %v", now, err)
					}
				}
				plans = append(plans, schedule.Plan(cal, at, schedule.StateFiles(cal.Root), schedule.Options{IncludeDone: all}))
			}
			if format == "json" {
				err = schedule.WriteJSON(e.stdout, plans)
			} else {
				err = schedule.WriteText(e.stdout, plans, schedule.TextOptions{Color: colorEnabled(e)})
			}
			if err != nil {
				return err
			}
			missed := 0
			for _, p := range plans {
				missed += p.Count(schedule.Missed)
			}
			if missed > 0 {
				return &exitError{exitProblems, fmt.Errorf("%s: due longer ago than max_lateness and never published", plural(missed, "missed item"))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(planFormats, ", "))
	cmd.Flags().StringVar(&now, "now", "", "plan at `TIME` (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the charter's time zone) instead of now")
	cmd.Flags().BoolVar(&all, "all", false, "list published posts too")
	return cmd
}

// parseRules are the rules of a post that could not be read at all, so
// check keeps no post to plan.
var parseRules = []string{"post.unreadable", "post.front-matter", "post.syntax", "post.binary", "post.too-large"}

// unparsedPosts returns the posts in scope that check could not parse.
func unparsedPosts(res *check.Result) []string {
	kept := map[string]bool{}
	for _, cal := range res.Calendars {
		for _, p := range cal.Posts {
			kept[p.Path] = true
		}
	}
	var paths []string
	for _, d := range res.Diagnostics {
		if slices.Contains(parseRules, d.Rule) && !kept[d.Path] && !slices.Contains(paths, d.Path) {
			paths = append(paths, d.Path)
		}
	}
	return paths
}
