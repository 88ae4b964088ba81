package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/report"
)

func newReportCmd(e *env) *cobra.Command {
	var (
		format, out, from, to, now, campaign string
		commit, noPush, verbose              bool
	)
	cmd := &cobra.Command{
		Use:   "report [PATH...]",
		Short: "KPIs per campaign, editorial tag and account against the charter's objectives",
		Long: `Report turns the engagement that herald stats committed in state/ into the
figures a community manager hands over at the end of a month, for one
calendar (one brand) and one period:

  - per campaign, editorial tag and account: posts, publications (a post on
    one account), likes, reposts, replies, quotes, views, engagements
    (likes + reposts + replies + quotes), the engagement rate on views and,
    for networks that give no views, the engagement per follower;
  - each campaign's budget, cost per engagement and the charter's
    objectives, met or not;
  - every figure beside the previous period of the same length (the
    previous month for a month), with the change;
  - each tag's share of the posts against the charter's share: targets;
  - follower growth per account;
  - when to post: the engagement rate by weekday and hour over the
    calendar's history, with a suggestion only where a weekday and hour
    has 5 publications or more behind it;
  - the best and worst publications, linked to their file and their
    published URL.

A figure no network gave is shown as "—" (null in JSON), never as 0.

The period is whole days in the charter's time zone, --from and --to both
included. Without them it is the last full calendar month before --now (the
wall clock by default); --from alone runs to today, --to alone starts on the
1st of its month.

Formats: text (the terminal), markdown, json (SPEC.md's report contract),
csv (one row per campaign, tag, account and objective) and html. With --out
DIR the report is written into DIR with its charts as SVG files (objectives,
engagement and followers over the period, the weekday × hour heatmap):
README.md for markdown (GitHub shows it on the folder's page), index.html
and report.css for html (a page in the preview site's style; herald
preview --format html puts one per month into its site). --commit
commits DIR (inside the calendar) and pushes it the way herald publish
pushes its journal; outside a git repository the files are just written.

Text, Markdown and HTML follow the charter's locale (or --lang). When
$GITHUB_STEP_SUMMARY is set, the Markdown report is appended to it.

Exit codes: 0 success, 2 bad usage (a --from or --to that is not a day, a
period that ends before it starts, an unknown campaign) or a charter with
errors, 3 internal failure.`,
		Example: `  herald report                                    last month, in the terminal
  herald report --from 2026-11-01 --to 2026-11-30 --format json    SPEC's JSON, for tools
  herald report --format markdown --out reports/2026-11             README.md and charts, for GitHub
  herald report --format html --out november       a standalone page
  herald report --campaign noel-2026 --from 2026-12-01 --to 2026-12-25   one campaign
  herald report --format csv > november.csv         for a spreadsheet
  herald report --now 2026-12-01 --format markdown --out reports/2026-11 --commit   the monthly CI job`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(report.Formats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(report.Formats, ", "))
			}
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					if _, derr := time.Parse("2006-01-02", now); derr != nil {
						return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00), "2026-12-01 10:00" or a day (2026-12-01) in the charter's time zone`, now)
					}
					now += " 00:00"
				}
			}
			if format == "html" && out == "" {
				return usageError("--format html writes a page and its charts: give it a folder with --out DIR")
			}
			if commit && out == "" {
				return usageError("--commit commits the folder --out writes: give it with --out DIR")
			}
			r, err := report.Build(cmd.Context(), report.Options{Dir: e.dir, Paths: args, From: from, To: to, NowText: now, Campaign: campaign})
			if err := reportUsage(err); err != nil {
				return err
			}
			p := e.printer(r.Locale)
			if out == "" {
				if err := report.Write(e.stdout, r, p, format); err != nil {
					return err
				}
			} else {
				dir := out
				if !filepath.IsAbs(dir) {
					dir = filepath.Join(e.dir, dir)
				}
				if err := writeReportFiles(cmd, e, r, format, dir, commit, noPush, verbose); err != nil {
					return err
				}
			}
			appendStepSummary(e, func(w io.Writer) error {
				return report.WriteMarkdown(w, r, p, report.MarkdownOptions{})
			})
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(report.Formats, ", "))
	cmd.Flags().StringVar(&out, "out", "", "write the report and its SVG charts into `DIR` (markdown: README.md; html: index.html)")
	cmd.Flags().StringVar(&from, "from", "", "first `DAY` of the period (YYYY-MM-DD in the charter's time zone)")
	cmd.Flags().StringVar(&to, "to", "", "last `DAY` of the period, included")
	cmd.Flags().StringVar(&now, "now", "", "take the default period (the last full month) as at `TIME`")
	cmd.Flags().StringVar(&campaign, "campaign", "", "only the posts of `CAMPAIGN` (a key of the charter's campaigns)")
	cmd.Flags().BoolVar(&commit, "commit", false, "commit and push the --out folder, as herald publish pushes its journal")
	cmd.Flags().BoolVar(&noPush, "no-push", false, "with --commit: commit locally; never fetch or push")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "with --commit: log each step (fetch, commit, push) on stderr")
	return cmd
}

// reportUsage turns the errors that mean bad usage or an unusable
// charter into exit code 2.
func reportUsage(err error) error {
	var usage *load.UsageError
	var rusage *report.UsageError
	switch {
	case errors.As(err, &usage):
		return &exitError{exitUsage, usage}
	case errors.As(err, &rusage):
		return &exitError{exitUsage, rusage}
	}
	return err
}

func writeReportFiles(cmd *cobra.Command, e *env, r *report.Report, format, dir string, commit, noPush, verbose bool) error {
	p := e.printer(r.Locale)
	if !commit {
		names, err := report.WriteFiles(r, p, format, dir)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, p.T("report.out-written", i18n.Args{"Dir": displayPath(e, dir), "Files": strings.Join(names, ", ")}))
		return nil
	}
	files, err := report.Files(r, p, format, dir)
	if err != nil {
		return err
	}
	opts := report.CommitOptions{NoPush: noPush, Getenv: e.getenv}
	if verbose {
		opts.Log = e.stderr
	}
	hash, inGit, err := report.Commit(cmd.Context(), r, dir, files, opts)
	if err := reportUsage(err); err != nil {
		return err
	}
	args := i18n.Args{"Dir": displayPath(e, dir), "Files": strings.Join(slices.Sorted(maps.Keys(files)), ", "), "Commit": hash}
	switch {
	case !inGit:
		fmt.Fprintln(e.stdout, p.T("report.out-outside-git", args))
	case hash != "":
		fmt.Fprintln(e.stdout, p.T("report.out-committed", args))
	default:
		fmt.Fprintln(e.stdout, p.T("report.out-unchanged", args))
	}
	return nil
}

// displayPath is dir relative to where herald runs, when inside it.
func displayPath(e *env, dir string) string {
	if rel, err := filepath.Rel(e.dir, dir); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return dir
}
