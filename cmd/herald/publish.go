package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/publish"
)

func newPublishCmd(e *env) *cobra.Command {
	var (
		now     string
		lease   time.Duration
		dryRun  bool
		noPush  bool
		sandbox bool
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "publish [PATH...]",
		Short: "Publish the posts that are due, exactly once, and commit the journal",
		Long: `Publish publishes every post that is due now (see herald plan), once per
account, and journals each step in the calendar's state/ files:

  1. fetch, and read the journal at the remote head;
  2. ask the networks about publications an interrupted run left behind;
  3. commit and push a "publishing" intent for every due post, before any
     network call: a run that loses the push race leaves those posts to
     the run that won;
  4. publish to each network (one account failing never stops the others);
  5. commit and push what each publication became: its ids and links, or
     the error.

The feed and outbox accounts need no credentials: they write into the
calendar (an Atom feed, one JSON and text file per post), in the same
commit as the journal. Other accounts read their credentials from
HERALD_<ACCOUNT>_<FIELD> environment variables; an account without them is
skipped and said to be not configured.

When $GITHUB_STEP_SUMMARY is set (GitHub Actions), a Markdown summary of
the run is added to that file: each outcome with its link or reason, the
posts that went out late and why, the missed and the failed ones.

Outside a git repository publish still works and says that nothing was
committed. --no-push commits locally only. --sandbox publishes into a
temporary copy of the calendar, to try herald on a calendar without
changing it.

Exit codes: 0 everything due was published (drafts and accounts without
credentials aside), 1 a publication failed, a post was missed, or a due
post has check errors and was held back, 2 bad usage or a charter with
errors.`,
		Example: `  herald publish                                    what is due now (the CI job)
  herald publish --dry-run                          what would be published
  herald publish --no-push --now "2026-11-02 09:45"   locally, as at that time
  herald publish --sandbox --now "2026-11-02 09:45" example-calendar   try it on a copy`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00) or "2026-12-01 10:00" in the charter's time zone`, now)
				}
			}
			opts := publish.Options{Dir: e.dir, Paths: args, NowText: now, Lease: lease, DryRun: dryRun, NoPush: noPush, Getenv: e.getenv}
			if verbose {
				opts.Log = e.stderr
			}
			if sandbox {
				copyDir, err := sandboxCopy(e, args)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Publishing into a copy of the calendar: %s\n\n", copyDir)
				opts.Dir, opts.Paths = copyDir, nil
			}
			rep, err := publish.Run(cmd.Context(), opts)
			appendStepSummary(e, func(w io.Writer) error {
				return publish.WriteMarkdown(w, rep, publish.MarkdownOptions{DryRun: dryRun, Event: e.getenv("GITHUB_EVENT_NAME"), Err: err})
			})
			var usage *load.UsageError
			if errors.As(err, &usage) {
				return &exitError{exitUsage, usage}
			}
			if rep != nil {
				writePublishReport(e.stdout, rep, dryRun)
			}
			if err != nil {
				return err
			}
			if rep.Failed() && dryRun {
				return &exitError{exitProblems, errors.New("some posts were missed or cannot be published: herald plan says why")}
			}
			if rep.Failed() {
				return &exitError{exitProblems, errors.New("some posts failed or were missed: the journal in state/ says why")}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&now, "now", "", "publish as at `TIME` (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the charter's time zone)")
	cmd.Flags().DurationVar(&lease, "lease", publish.DefaultLease, "how long this run's intents keep other runs away (wall clock)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be published; publish and commit nothing")
	cmd.Flags().BoolVar(&noPush, "no-push", false, "commit locally; never fetch or push")
	cmd.Flags().BoolVar(&sandbox, "sandbox", false, "publish into a temporary copy of the calendar, leaving it untouched")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "log each step (fetch, commit, push) on stderr")
	return cmd
}

// sandboxCopy copies the calendar named by args (one calendar root) into a
// new temporary folder, without git, and returns the copy's root.
func sandboxCopy(e *env, args []string) (string, error) {
	if len(args) > 1 {
		return "", usageError("--sandbox takes one calendar")
	}
	cals, err := load.FindCalendars(e.dir, args)
	if err != nil {
		return "", usageError("%v", err)
	}
	if len(cals) != 1 {
		return "", usageError("--sandbox takes one calendar; %s holds %d", strings.Join(args, " "), len(cals))
	}
	dst, err := os.MkdirTemp("", "herald-sandbox-")
	if err != nil {
		return "", err
	}
	root := cals[0].Root
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		// The copy itself may be below the calendar, when the temporary
		// folder is.
		if d.IsDir() && (d.Name() == ".git" || rel == "state" || p == dst) {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	return dst, err
}

// writePublishReport says what the run did, account by account.
func writePublishReport(w io.Writer, rep *publish.Report, dryRun bool) {
	var b strings.Builder
	for _, o := range rep.Outcomes {
		line := fmt.Sprintf("%-13s %s on %s", o.What, o.PostID, o.Account)
		switch {
		case o.Err != nil:
			line += ": " + o.Err.Error()
		case len(o.Result.URLs) > 0:
			line += ": " + strings.Join(o.Result.URLs, " ")
		case len(o.Result.Files) > 0:
			line += ": " + strings.Join(o.Result.Files, " ")
		case o.Reason != "" && o.What != "published":
			line += ": " + o.Reason
		}
		b.WriteString(line + "\n")
	}
	if len(rep.Outcomes) == 0 {
		b.WriteString(rep.NothingDue() + "\n")
	}
	b.WriteString("\n")
	if totals := rep.Totals(); totals != "" {
		b.WriteString(totals + ".\n")
	}
	b.WriteString(rep.Committed(dryRun) + "\n")
	io.WriteString(w, b.String())
}
