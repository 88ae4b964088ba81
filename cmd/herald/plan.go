package main

import (
	"errors"
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
  skipped      drafts, posts with check errors, accounts without
               credentials, posts or state files that cannot be read

What was published is read from the calendar's state/ files; published
posts are left out unless --all is given. A post that cannot be read at all
(no front matter, broken YAML, not UTF-8) has no date to plan: it is listed
skipped, "cannot tell whether it is due". A post whose state file cannot
be read is never published again blindly: it is skipped until the file is
restored from git.

Post times are instants: a post written with an offset, or in the charter's
time zone, is shown in the charter's time zone. --now sets the instant to
plan at, as RFC 3339 or as "YYYY-MM-DD HH:MM" in the charter's time zone.

PATH works as for herald check.

Exit codes: 0 nothing missed, 1 something was missed, or something due
(or with no date to tell) cannot go out: its post or state cannot be read,
or the post has check errors (so that a scheduled CI job notices), 2 bad
usage or a charter with errors.`,
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
			res, err := check.Run(cmd.Context(), check.Options{Dir: e.dir, Paths: args, KeepPosts: true, Language: e.printer})
			if err != nil {
				return err
			}
			if res.ConfigError {
				return printConfigErrors(e, res)
			}
			p := e.printer(firstLocale(res))
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
				err = schedule.WriteText(e.stdout, plans, schedule.TextOptions{Color: colorEnabled(e), Printer: p})
			}
			if err != nil {
				return err
			}
			missed, blocked := 0, 0
			for _, p := range plans {
				missed += p.Count(schedule.Missed)
				blocked += len(p.Blocked())
			}
			var problems []string
			if missed > 0 {
				problems = append(problems, p.N("plan.problem.missed", missed, nil))
			}
			if blocked > 0 {
				problems = append(problems, p.N("plan.problem.blocked", blocked, nil))
			}
			if len(problems) > 0 {
				return &exitError{exitProblems, errors.New(strings.Join(problems, p.T("plan.reason.separator", nil)))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(planFormats, ", "))
	cmd.Flags().StringVar(&now, "now", "", "plan at `TIME` (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the charter's time zone) instead of now")
	cmd.Flags().BoolVar(&all, "all", false, "list published posts too")
	return cmd
}
