package main

import (
	"errors"
	"fmt"
	"github.com/herald-social/herald/pipeline/diag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/publish"
)

func newPublishCmd(e *env) *cobra.Command {
	var (
		now        string
		lease      time.Duration
		recoverAll bool
		dryRun     bool
		noPush     bool
		sandbox    bool
		verbose    bool
		// --confirm
		confirm      []string
		published    bool
		notPublished bool
		ids, urls    []string
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

A network that cannot look a publication up (Telegram's bots cannot read
a chat's history; a Discord webhook cannot read its channel) cannot tell
whether a run that was stopped between sending and journaling sent the
post: publish never sends it again, reports it unconfirmed and exits 1
until a person looks in the channel and says what they saw:

  --confirm POST@ACCOUNT --published [--id ID...] [--url URL...]
      it went out: recorded published, with the network's ids (the
      Telegram message id, one per thread part) if you give them;
  --confirm POST@ACCOUNT --not-published
      it did not: recorded failed, so the next run publishes it again
      (or reports it missed, past cadence.max_lateness).

--confirm may be given several times. It is committed and pushed like a
run's journal, calls no network, and applies only to a publication that
is unconfirmed (a "publishing" intent whose lease ran out, or a failure
after a timeout): anything else exits 2. --dry-run says what it would
record.

Leases: a run's "publishing" intents keep other runs away for the lease
that run chose (--lease, 10m by default, on the wall clock whatever --now
says), written into each intent. Another run leaves an intent alone until
the lease written in it has run out, whatever its own --lease; then it
asks the network whether the post went out before anything else. --lease
must be positive: --lease 0s is refused, it does not mean the default.
--recover is for a person who knows that no other run is alive (a job
that was cancelled): it reconciles every intent now, whatever its lease,
still asking the network first, never publishing blind.

Outside a git repository publish still works and says that nothing was
committed. --no-push commits locally only. --sandbox publishes into a
temporary copy of the calendar, to try herald on a calendar without
changing it.

Exit codes: 0 everything due was published (drafts and accounts without
credentials aside), 1 a publication failed or is unconfirmed, a post was
missed, or a due post has check errors and was held back, 2 bad usage, a
charter with errors, or a --confirm that cannot be recorded.`,
		Example: `  herald publish                                    what is due now (the CI job)
  herald publish --dry-run                          what would be published
  herald publish --no-push --now "2026-11-02 09:45"   locally, as at that time
  herald publish --sandbox --now "2026-11-02 09:45" example-calendar   try it on a copy
  herald publish --confirm posts/avent-1@telegram --published --id 4242   it is in the channel: message 4242
  herald publish --confirm posts/avent-1@telegram --not-published         it is not: the next run sends it`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if lease <= 0 {
				return usageError("--lease %s: a lease must be positive (10m by default): an intent with no lease would not keep other runs away", lease)
			}
			if recoverAll && len(confirm) > 0 {
				return usageError("--recover reconciles intents through the network; --confirm records what a person saw: give one or the other")
			}
			if len(confirm) > 0 || published || notPublished || len(ids)+len(urls) > 0 {
				confs, err := confirmations(confirm, published, notPublished, ids, urls, sandbox)
				if err != nil {
					return err
				}
				opts := publish.Options{Dir: e.dir, Paths: args, Lease: lease, DryRun: dryRun, NoPush: noPush, Getenv: e.getenv}
				if verbose {
					opts.Log = e.stderr
				}
				rep, err := publish.Confirm(cmd.Context(), opts, confs)
				var usage *load.UsageError
				if errors.As(err, &usage) {
					return &exitError{exitUsage, usage}
				}
				if err != nil {
					return err
				}
				writeConfirmReport(e.stdout, e.printer(rep.Language()), rep, dryRun)
				return nil
			}
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00) or "2026-12-01 10:00" in the charter's time zone`, now)
				}
			}
			opts := publish.Options{Dir: e.dir, Paths: args, NowText: now, Lease: lease, Recover: recoverAll, DryRun: dryRun, NoPush: noPush, Getenv: e.getenv, Language: e.printer}
			if verbose {
				opts.Log = e.stderr
			}
			if sandbox {
				copyDir, err := sandboxCopy(e, args)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s\n\n", e.printer(e.calendarLocale(args)).T("publish.sandbox", i18n.Args{"Dir": copyDir}))
				opts.Dir, opts.Paths = copyDir, nil
			}
			rep, err := publish.Run(cmd.Context(), opts)
			p := e.printer(rep.Language())
			appendStepSummary(e, func(w io.Writer) error {
				return publish.WriteMarkdown(w, rep, publish.MarkdownOptions{DryRun: dryRun, Event: e.getenv("GITHUB_EVENT_NAME"), Err: err, Printer: p})
			})
			var usage *load.UsageError
			if errors.As(err, &usage) {
				return &exitError{exitUsage, usage}
			}
			if rep != nil {
				writePublishReport(e.stdout, p, rep, dryRun)
			}
			if err != nil {
				return err
			}
			if rep.Failed() && dryRun {
				return &exitError{exitProblems, errors.New(p.T("publish.exit.dry-run-failed", nil))}
			}
			if n := rep.Count("unconfirmed"); n > 0 && !dryRun {
				return &exitError{exitProblems, errors.New(p.N("publish.exit.unconfirmed", n, nil))}
			}
			if rep.Failed() {
				return &exitError{exitProblems, errors.New(p.T("publish.exit.failed", nil))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&now, "now", "", "publish as at `TIME` (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the charter's time zone)")
	cmd.Flags().DurationVar(&lease, "lease", publish.DefaultLease, "how long this run's intents keep other runs away (wall clock; positive: 0s is refused), written into each intent")
	cmd.Flags().BoolVar(&recoverAll, "recover", false, "reconcile every intent now, whatever its lease, through the network (when no other run is alive)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "say what would be published; publish and commit nothing")
	cmd.Flags().BoolVar(&noPush, "no-push", false, "commit locally; never fetch or push")
	cmd.Flags().BoolVar(&sandbox, "sandbox", false, "publish into a temporary copy of the calendar, leaving it untouched")
	cmd.Flags().StringArrayVar(&confirm, "confirm", nil, "record what a person saw of the unconfirmed publication `POST@ACCOUNT` (with --published or --not-published; repeatable)")
	cmd.Flags().BoolVar(&published, "published", false, "with --confirm: it went out")
	cmd.Flags().BoolVar(&notPublished, "not-published", false, "with --confirm: it did not go out; the next run publishes it again")
	cmd.Flags().StringArrayVar(&ids, "id", nil, "with --confirm --published: the network's `ID` of the post (one per thread part, in order; repeatable)")
	cmd.Flags().StringArrayVar(&urls, "url", nil, "with --confirm --published: the `URL` where people see it (repeatable)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "log each step (fetch, commit, push) on stderr")
	return cmd
}

// confirmations reads --confirm and the flags that go with it.
func confirmations(confirm []string, published, notPublished bool, ids, urls []string, sandbox bool) ([]publish.Confirmation, error) {
	switch {
	case len(confirm) == 0:
		return nil, usageError("--published, --not-published, --id and --url go with --confirm POST@ACCOUNT")
	case published == notPublished:
		return nil, usageError("--confirm: say what you saw in the channel: --published (it went out) or --not-published (it did not)")
	case notPublished && len(ids)+len(urls) > 0:
		return nil, usageError("--id and --url go with --published: a post that did not go out has none")
	case len(confirm) > 1 && len(ids)+len(urls) > 0:
		return nil, usageError("--id and --url name one publication's ids: give them with one --confirm at a time")
	case sandbox:
		return nil, usageError("--confirm records in the calendar's journal: it does not go with --sandbox")
	}
	var confs []publish.Confirmation
	for _, c := range confirm {
		i := strings.LastIndex(c, "@")
		if i <= 0 || i == len(c)-1 {
			return nil, usageError("--confirm %q: want POST@ACCOUNT, such as posts/avent-1@telegram (herald publish names them)", c)
		}
		confs = append(confs, publish.Confirmation{PostID: c[:i], Account: c[i+1:], Published: published, IDs: ids, URLs: urls})
	}
	return confs, nil
}

// writeConfirmReport says what was confirmed.
func writeConfirmReport(w io.Writer, p *i18n.Printer, rep *publish.Report, dryRun bool) {
	var b strings.Builder
	what := "confirmed"
	if dryRun {
		what = "would-confirm"
	}
	for _, c := range rep.Confirmed {
		fmt.Fprintf(&b, "%-13s %s\n", what, c.Describe())
	}
	b.WriteString("\n" + rep.Committed(p, dryRun) + "\n")
	io.WriteString(w, b.String())
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
func writePublishReport(w io.Writer, p *i18n.Printer, rep *publish.Report, dryRun bool) {
	var b strings.Builder
	width := 13 // the longest outcome, in English, and a space
	for _, o := range rep.Outcomes {
		width = max(width, utf8.RuneCountInString(outcomeWord(p, o.What)))
	}
	for _, o := range rep.Outcomes {
		what := outcomeWord(p, o.What)
		what += strings.Repeat(" ", width-utf8.RuneCountInString(what))
		line := p.T("publish.line", i18n.Args{"What": what, "Post": o.PostID, "Account": o.Account})
		if o.Account == "" { // a post that cannot be read, or names no account
			line = what + " " + o.Path
		}
		detail := func(d string) {
			line = p.T("publish.line.detail", i18n.Args{"Line": line, "Detail": d})
		}
		switch {
		case o.Err != nil:
			detail(o.Err.Error())
			if r := o.Remedy(); r != "" {
				detail(r)
			}
		case len(o.Result.URLs) > 0:
			detail(strings.Join(o.Result.URLs, " "))
		case len(o.Result.Files) > 0:
			detail(strings.Join(o.Result.Files, " "))
		case o.Reason != "" && o.What != "published":
			detail(o.Explain(p))
		}
		b.WriteString(diag.OneLine(line) + "\n") // a file name may hold a newline
	}
	if len(rep.Outcomes) == 0 {
		b.WriteString(rep.NothingDue(p) + "\n")
	}
	b.WriteString("\n")
	if totals := rep.Totals(p); totals != "" {
		b.WriteString(totals + ".\n")
	}
	b.WriteString(rep.Committed(p, dryRun) + "\n")
	io.WriteString(w, b.String())
}

// outcomeWord names an outcome in the report's first column: its id
// (published, would-publish) in English, a word in other languages.
func outcomeWord(p *i18n.Printer, what string) string {
	return p.T("publish.line.what", i18n.Args{"ID": what, "Word": p.T("publish.outcome."+what, nil)})
}
