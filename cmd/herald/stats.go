package main

import (
	"errors"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/stats"
)

var statsFormats = []string{"text", "json"}

func newStatsCmd(e *env) *cobra.Command {
	var (
		format  string
		now     string
		noPush  bool
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "stats [PATH...]",
		Short: "Fetch the engagement of published posts and commit it to state/",
		Long: `Stats asks each network for the likes, reposts, replies, quotes and (where
the network gives them) views of the posts herald published, and appends a
sample to each post's state file: a time series, oldest first, never
rewritten. It also records each account's follower count, once per run, in
state/accounts/<account>.json, and reads each Mastodon server's limits
(characters, media) again once a day into state/instances/<account>.json.

A publication is sampled less often as it ages: every hour on its first
day, every 6 hours in its first week, then daily, until its account's
stats_window (30d unless the charter sets it) has passed. A run decides
from --now and the time of each publication's last sample, so running
stats every hour from CI samples each post when it is due.

Each account is asked once for all its publications that are due; one
account failing never stops the others. The feed and outbox have no
engagement to read. Bluesky needs no credentials here (its AppView is
public); another account without credentials is said to be not
configured.

The samples are committed and pushed in one commit, as herald publish
does: if someone pushed meanwhile, the samples are added again on top of
their commit. Outside a git repository the state files are written in
place. --no-push commits locally only.

The DELTA column is the change in likes, reposts, replies and quotes
together since the publication's previous sample. When $GITHUB_STEP_SUMMARY
is set, the same report is added to that file as Markdown.

Exit codes: 0 success, 1 an account or a state file failed, 2 bad usage or
a charter with errors.`,
		Example: `  herald stats                                  sample what is due now (the CI job)
  herald stats --no-push --now "2026-12-02 09:00"   locally, as at that time
  herald stats --format json posts/2026/12      December's posts, for tools`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(statsFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(statsFormats, ", "))
			}
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00) or "2026-12-01 10:00" in the charter's time zone`, now)
				}
			}
			opts := stats.Options{Dir: e.dir, Paths: args, NowText: now, NoPush: noPush, Getenv: e.getenv}
			if verbose {
				opts.Log = e.stderr
			}
			rep, err := stats.Collect(cmd.Context(), opts)
			var usage *load.UsageError
			if errors.As(err, &usage) {
				return &exitError{exitUsage, usage}
			}
			if err != nil {
				return err
			}
			p := e.printer(e.calendarLocale(args))
			if format == "json" {
				err = stats.WriteJSON(e.stdout, rep)
			} else {
				err = stats.WriteText(e.stdout, rep, p)
			}
			if err != nil {
				return err
			}
			appendStepSummary(e, func(w io.Writer) error { return stats.WriteMarkdown(w, rep, p) })
			if rep.Failed() {
				return &exitError{exitProblems, errors.New(p.T("stats.exit.failed", nil))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(statsFormats, ", "))
	cmd.Flags().StringVar(&now, "now", "", "sample as at `TIME` (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the charter's time zone)")
	cmd.Flags().BoolVar(&noPush, "no-push", false, "commit locally; never fetch or push")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "log each step (fetch, commit, push) on stderr")
	return cmd
}
