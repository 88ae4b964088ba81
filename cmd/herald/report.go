package main

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/report"
)

var reportFormats = []string{"text", "markdown", "json", "csv", "html"}

func newReportCmd(e *env) *cobra.Command {
	var (
		format, out, from, to, now, campaign string
	)
	cmd := &cobra.Command{
		Use:   "report [PATH...]",
		Short: "KPIs per campaign, editorial tag and account against the charter's objectives",
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(reportFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(reportFormats, ", "))
			}
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00) or "2026-12-01 10:00" in the charter's time zone`, now)
				}
			}
			r, err := report.Build(cmd.Context(), report.Options{Dir: e.dir, Paths: args, From: from, To: to, NowText: now, Campaign: campaign})
			var usage *load.UsageError
			var rusage *report.UsageError
			switch {
			case errors.As(err, &usage):
				return &exitError{exitUsage, usage}
			case errors.As(err, &rusage):
				return &exitError{exitUsage, rusage}
			case err != nil:
				return err
			}
			return report.WriteJSON(e.stdout, r)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(reportFormats, ", "))
	cmd.Flags().StringVar(&out, "out", "", "write the report and its charts into `DIR` (markdown: README.md; html: index.html)")
	cmd.Flags().StringVar(&from, "from", "", "first `DAY` of the period (YYYY-MM-DD in the charter's time zone)")
	cmd.Flags().StringVar(&to, "to", "", "last `DAY` of the period, included")
	cmd.Flags().StringVar(&now, "now", "", "take the default period (the last full month) as at `TIME`")
	cmd.Flags().StringVar(&campaign, "campaign", "", "only the posts of `CAMPAIGN`")
	return cmd
}
