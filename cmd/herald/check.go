package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/bluesky"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

func newCheckCmd(e *env) *cobra.Command {
	var (
		format       string
		changedSince string
		listRules    bool
		online       bool
		now          string
	)
	cmd := &cobra.Command{
		Use:   "check [PATH...]",
		Short: "Check the charter and posts; report every problem with file:line:col",
		Long: `Check validates charter.yaml against the charter schema, then every post under
posts/ against the post schema (with the charter's accounts, tags and campaigns)
and the charter's rules: dates, campaigns, media, voice and cadence.

A PATH may be a calendar root, a folder or post inside a calendar (only those
posts are checked; calendar-wide rules such as cadence still see every post),
or a folder holding several calendars. No PATH means the current folder.

Each problem has a rule id; the charter's rules: map sets any of them to
error, warning or off (see --list-rules).

Check works offline. With --online it also asks the networks what only they
know: whether each Bluesky mention (@name.bsky.social) names an account,
through the account's AppView, with no credentials. A mention that names
nobody is a warning (bluesky.mention-unresolved): publish would send it as
plain text. It also fetches the public URL (the charter's media_url, then the
file's path) of each medium a post sends to Instagram or Threads, which fetch
media from there, and compares it with the file: a URL that does not answer 200
is a warning (media.url-unreachable), one that serves other bytes too
(media.url-mismatch). A network it cannot reach is said on stderr, and changes
nothing to the exit code.`,
		Example: `  herald check                                   every post of the calendar here
  herald check posts/2026/12/avent-1.md          one post
  herald check --format json > problems.json     for tools
  herald check --format github --changed-since origin/main   annotations on a pull request
  herald check --online                          also ask Bluesky about mentions, fetch Instagram and Threads media URLs`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if listRules {
				p := e.printer(e.calendarLocale(args))
				for _, r := range check.Rules() {
					fmt.Fprintf(e.stdout, "%-27s %-8s %s\n", r.ID, r.Severity, r.Summary(p))
				}
				return nil
			}
			if !slices.Contains(diag.Formats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(diag.Formats, ", "))
			}
			opts := check.Options{Dir: e.dir, Paths: args, ChangedSince: changedSince, Language: e.printer, Now: time.Now()}
			if now != "" {
				// RFC 3339 only: a local time would need the charter's
				// zone, and the calendars checked may have several.
				at, err := time.Parse(time.RFC3339, now)
				if err != nil {
					return usageError("--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00)", now)
				}
				opts.Now = at
			}
			if online {
				opts.Mentions = resolveBlueskyMentions
				opts.MediaHTTP = &http.Client{Timeout: onlineCheckTimeout}
			}
			res, err := check.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			for _, line := range res.Unchecked {
				fmt.Fprintf(e.stderr, "herald: %s\n", line)
			}
			p := e.printer(firstLocale(res))
			printer := diag.Printer{
				Format:  format,
				Color:   colorEnabled(e),
				Source:  e.readSource,
				Rules:   check.RuleSummaries(p),
				Version: version(),
			}
			if err := printer.Print(e.stdout, res.Diagnostics); err != nil {
				return err
			}
			errs, warns := diag.Count(res.Diagnostics)
			fmt.Fprintln(e.stderr, p.T("check.summary", i18n.Args{"Checked": p.Int(int64(res.Checked)),
				"Posts": p.N("check.summary.posts", res.Posts, nil), "Calendars": p.N("check.summary.calendars", res.Found, nil),
				"Errors": p.N("check.summary.errors", errs, nil), "Warnings": p.N("check.summary.warnings", warns, nil)}))
			switch {
			case res.ConfigError:
				return usageError("%s", p.T("check.summary.charter-errors", i18n.Args{"Charters": strings.Join(charterPaths(res.Diagnostics), ", ")}))
			case errs > 0:
				return &exitError{code: exitProblems}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(diag.Formats, ", "))
	cmd.Flags().StringVar(&changedSince, "changed-since", "", "check only posts changed since git `REF` (calendar-wide rules still see all posts)")
	cmd.Flags().BoolVar(&listRules, "list-rules", false, "list every rule id with its default severity")
	cmd.Flags().StringVar(&now, "now", "", "check as at `TIME` (RFC 3339) instead of now: the calendar rules leave what is over alone and warn about past posts never published")
	cmd.Flags().BoolVar(&online, "online", false, "also ask the networks: does each Bluesky mention name an account, does each Instagram and Threads media URL serve the file (no credentials needed)")
	return cmd
}

// charterPaths returns the charters that have errors about the charter
// itself, in the order of ds.
func charterPaths(ds []diag.Diagnostic) []string {
	var paths []string
	for _, d := range ds {
		if strings.HasPrefix(d.Rule, "charter.") && !slices.Contains(paths, d.Path) {
			paths = append(paths, d.Path)
		}
	}
	return paths
}

// readSource reads the file a diagnostic names: its path is relative to
// the working directory, or absolute when the file is outside it.
func (e *env) readSource(path string) ([]byte, error) {
	p := filepath.FromSlash(path)
	if !filepath.IsAbs(p) {
		p = filepath.Join(e.dir, p)
	}
	// As a post is read: never more than a post's size cap, and never an
	// open that blocks (a diagnostic may name a FIFO).
	return load.ReadPost(p)
}

// colorEnabled is true when stdout is a terminal and NO_COLOR is unset.
func colorEnabled(e *env) bool {
	if e.getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := e.stdout.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// firstLocale is the locale of the first calendar whose charter could be
// used, for what a command says about all of them.
func firstLocale(res *check.Result) string {
	if len(res.Calendars) == 0 {
		return ""
	}
	return res.Calendars[0].Charter.Locale
}

// calendarLocale is the locale of the first calendar at paths (the
// working directory's without), "" when there is none.
func (e *env) calendarLocale(paths []string) string {
	cals, err := load.FindCalendars(e.dir, paths)
	if err != nil || len(cals) == 0 {
		return ""
	}
	return check.PeekLocale(filepath.Join(cals[0].Root, load.CharterFile))
}

// resolveBlueskyMentions asks a Bluesky account's AppView which handles
// name an account, for check --online: a client without the app password
// (the AppView is public), within a short budget, as check is interactive.
func resolveBlueskyMentions(ctx context.Context, a *load.Account, handles []string) (map[string]bool, error) {
	ctx, cancel := context.WithTimeout(ctx, onlineCheckTimeout)
	defer cancel()
	c, err := bluesky.New(a, bluesky.Options{
		Getenv: func(string) (string, bool) { return "", false },
		Public: true,
		Retry:  httpx.Options{HTTP: &http.Client{Timeout: onlineCheckTimeout}, Budget: onlineCheckTimeout, MaxAttempts: 2},
	})
	if err != nil {
		return nil, err
	}
	return c.ResolveHandles(ctx, handles)
}

// onlineCheckTimeout bounds what check --online waits for a network.
const onlineCheckTimeout = 15 * time.Second
