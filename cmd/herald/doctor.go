package main

import (
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/doctor"
	"github.com/herald-social/herald/pipeline/load"
)

var doctorFormats = []string{"text", "json"}

func newDoctorCmd(e *env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "doctor [PATH...]",
		Short: "Check each account's credentials against its network, and the publish workflow",
		Long: `Doctor checks that the calendars can be published from here: each account
of the charter with the credentials the environment holds, by a read-only
call to its network, and the repository's scheduled workflow. It publishes
nothing and changes no file.

Each account is checked by its network's client, with the variables
HERALD_<ACCOUNT>_<FIELD> that herald publish reads:

  mastodon   TOKEN: GET /api/v1/accounts/verify_credentials on its server
  bluesky    PASSWORD (an app password): logs in on its PDS
             (com.atproto.server.createSession); says how long the session
             lasts (publish logs in once per run)
  x          API_KEY, API_SECRET, ACCESS_TOKEN, ACCESS_SECRET (OAuth 1.0a):
             GET /2/users/me, which must be the charter's user_id if set
  linkedin   TOKEN: GET of the organization (its administrators' tokens
             only), or /v2/userinfo for a member; when TOKEN_EXPIRES is set
             (RFC 3339, or YYYY-MM-DD in the charter's time zone), warns
             from 14 days before the token expires (they last 60 days)
  facebook   TOKEN (a Page access token): GET /me, which must be the page
  instagram  TOKEN: GET of the account's username
  threads    TOKEN: GET /me, which must be the user; GET /debug_token
             says how many days the token has left (a warning from 7 days
             before it expires) and whether it may publish; it answers for
             a Threads tester of the app only, else doctor says a token
             lasts 60 days; either way, how to refresh it (never done
             by doctor)
  discord    BOT_TOKEN (GET /users/@me, then the channel) or WEBHOOK (GET
             of the webhook, which cannot find a post again after a run
             stopped mid-way: a person confirms it)
  slack      TOKEN (a bot token): auth.test, then conversations.info of the
             channel
  telegram   TOKEN (a bot token): getMe, getChat, getChatMember; a bot
             cannot find a post again after a run stopped mid-way: a
             person confirms it
  webhook    SECRET (whsec_ + base64) and URL (or the charter's url:); no
             call, a webhook has no read-only one
  feed       the file it writes, inside the calendar; no credentials
  outbox     the folder it writes into, inside the calendar; no credentials

<ACCOUNT> is the account key upper-cased, every character other than A-Z
and 0-9 turned into _. Then doctor looks in the git repository's
.github/workflows for a workflow that runs herald publish (in a run: step,
or through herald's action with command: publish) on a schedule.

With a GitHub token in GITHUB_TOKEN, doctor also reads, through GitHub's
REST API, the rulesets and the branch protection of the repository's
default branch (the repository is GITHUB_REPOSITORY, else the origin
remote; the API GITHUB_API_URL, else api.github.com), and says whether it
requires a review before merging and blocks force pushes: whatever
reaches it is published, so the review is the calendar's security
boundary. A branch that does not is a warning; a token that cannot read
it, a note (the classic protection takes Administration: read; rulesets
any read access).

Each check is ok, a warning (a credential not set, a token about to
expire, no scheduled workflow, a network that cannot be reached) or an
error (a credential the network rejects, an account herald cannot use).
Secrets are never printed. When $GITHUB_STEP_SUMMARY is set, the checks are
added to it as a Markdown table.

Exit codes: 0 everything is ok or only warnings, 1 a credential was
rejected or an account cannot be used, 2 bad usage or a charter with
errors.`,
		Example: `  herald doctor                     the calendar in the current folder
  herald doctor --format json       for tools
  HERALD_LINKEDIN_TOKEN_EXPIRES=2027-01-31 herald doctor`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(doctorFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(doctorFormats, ", "))
			}
			p := e.printer(e.calendarLocale(args))
			rep, err := doctor.Run(cmd.Context(), doctor.Options{Dir: e.dir, Paths: args, Getenv: e.getenv, Printer: p})
			var usage *load.UsageError
			if errors.As(err, &usage) {
				return &exitError{exitUsage, usage}
			}
			if err != nil {
				return err
			}
			if format == "json" {
				err = doctor.WriteJSON(e.stdout, rep)
			} else {
				err = doctor.WriteText(e.stdout, rep, p)
			}
			if err != nil {
				return err
			}
			appendStepSummary(e, func(w io.Writer) error { return doctor.WriteMarkdown(w, rep, p) })
			if rep.Failed() {
				return &exitError{exitProblems, errors.New(p.T("doctor.exit.failed", nil))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(doctorFormats, ", "))
	return cmd
}
