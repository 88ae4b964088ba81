package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/github"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/preview"
)

func newCommentCmd(e *env) *cobra.Command {
	var pullRequest string
	cmd := &cobra.Command{
		Use:   "comment [--pull-request N] FILE",
		Short: "Post a Markdown preview as the pull request's sticky comment",
		Long: `Comment posts FILE, the Markdown that herald preview --format markdown wrote,
as the sticky comment of a pull request: one comment, found again by its first
line (<!-- herald:preview -->) and updated by each run, never duplicated. FILE
"-" is the standard input. A preview longer than a GitHub comment may be is cut,
with a link to the run's artifacts.

It runs in GitHub Actions, from what GitHub sets: GITHUB_REPOSITORY,
GITHUB_EVENT_PATH (the event: pull_request or workflow_run), GITHUB_API_URL,
GITHUB_SERVER_URL, GITHUB_RUN_ID, and the job's token, which the workflow
passes as GITHUB_TOKEN: ${{ github.token }}.

Two ways to comment on pull requests (herald init writes the second):

  Pull requests from the repository itself only: the review workflow, on
  pull_request with permissions: pull-requests: write, runs
      herald preview --format markdown --comment --changed-since origin/main
  which prints the preview and posts it; the number comes from the event.

  Pull requests from forks too: GitHub gives a fork's pull_request workflow a
  read-only token, so the review workflow only uploads preview.md and a file
  pull-request holding the number as the artifact herald-preview, and a second
  workflow, herald-comment, on workflow_run with permissions: pull-requests:
  write and actions: read, downloads that artifact, never checking out or
  running the pull request's code, and runs
      herald comment --pull-request "$(cat pull-request)" preview.md
  The artifact is the pull request author's to write: herald takes the number
  only if that pull request's head is the commit the review run built. When
  the same branch has new commits since, nothing is posted: the review of the
  newest commit comments.

Exit codes: 0 posted (or already up to date, or left to a newer review), 1 GitHub failed or limits the
rate (run again), 2 bad usage, a variable missing, a token that cannot comment
or an artifact that belongs to another pull request.`,
		Example: `  herald comment preview.md                 in a pull_request workflow
  herald comment --pull-request "$(cat pull-request)" preview.md
                                            in a workflow_run workflow, from the artifact
  herald preview --format markdown | herald comment -`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("comment takes one FILE, the Markdown preview (- for the standard input)")
			}
			number := 0
			if cmd.Flags().Changed("pull-request") {
				n, err := parsePullRequest(pullRequest)
				if err != nil {
					return err
				}
				number = n
			}
			commenter, err := newCommenter(e)
			if err != nil {
				return err
			}
			markdown, err := readPreview(e, args[0])
			if err != nil {
				return err
			}
			return postComment(cmd.Context(), e, commenter, markdown, number)
		},
	}
	cmd.Flags().StringVar(&pullRequest, "pull-request", "", "comment on pull request `N` (required with a workflow_run event; checked against its head commit)")
	return cmd
}

var pullRequestNumber = regexp.MustCompile(`^[1-9][0-9]{0,9}$`)

// parsePullRequest reads --pull-request, which a workflow takes from an
// artifact that the pull request's author could write anything into.
func parsePullRequest(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	if !pullRequestNumber.MatchString(s) || err != nil {
		if len(s) > 40 {
			s = s[:40] + "..."
		}
		return 0, usageError("--pull-request %q is not a pull-request number (a positive integer)", s)
	}
	return int(n), nil
}

// maxPreview bounds what is read of FILE: GitHub keeps 65,536 characters
// of it at most, and an artifact may be any size.
const maxPreview = 16 << 20

// readPreview reads FILE, or the standard input for "-".
func readPreview(e *env, name string) (string, error) {
	var r io.Reader = e.stdin
	if name != "-" {
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(e.dir, path)
		}
		f, err := os.Open(path)
		if err != nil {
			return "", usageError("%s: cannot read the preview: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPreview))
	if err != nil {
		return "", usageError("%s: cannot read the preview: %v", name, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return "", usageError("%s is empty: give the Markdown that herald preview --format markdown writes", name)
	}
	return string(data), nil
}

// newCommenter reads GitHub Actions' environment and event, before any
// other work, so that a run that cannot comment says so first.
func newCommenter(e *env) (*github.Commenter, error) {
	p := e.printer(e.calendarLocale(nil))
	c, err := github.New(github.Options{Getenv: e.getenv, UserAgent: "herald/" + version(), Printer: p})
	return c, commentError(err)
}

// previewCommenter is the commenter of herald preview --comment, nil
// without --comment.
func previewCommenter(e *env, comment bool, format string) (*github.Commenter, error) {
	if !comment {
		return nil, nil
	}
	if format != "markdown" {
		return nil, usageError("--comment posts the Markdown preview: use it with --format markdown")
	}
	return newCommenter(e)
}

// writeAndComment prints the Markdown preview of entries, then posts it as
// the pull request's sticky comment (herald preview --comment).
func writeAndComment(ctx context.Context, e *env, c *github.Commenter, entries []preview.Entry, opts preview.MarkdownOptions) error {
	var b bytes.Buffer
	if err := preview.WriteMarkdown(&b, entries, opts); err != nil {
		return err
	}
	if _, err := e.stdout.Write(b.Bytes()); err != nil {
		return err
	}
	return postComment(ctx, e, c, b.String(), 0)
}

// postComment posts markdown and says on stderr what became of the
// comment.
func postComment(ctx context.Context, e *env, c *github.Commenter, markdown string, pullRequest int) error {
	res, err := c.Post(ctx, markdown, pullRequest)
	if err != nil {
		return commentError(err)
	}
	p := e.printer(e.calendarLocale(nil))
	fmt.Fprintf(e.stderr, "herald: %s\n", p.T("comment."+string(res.Action), i18n.Args{"PR": res.PullRequest}))
	if res.Cut {
		fmt.Fprintf(e.stderr, "herald: %s\n", p.T("comment.was-cut", nil))
	}
	return nil
}

// commentError gives a commenting error its exit code: 2 for how herald
// was run, 1 for a post that failed.
func commentError(err error) error {
	var ce *github.ConfigError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return &exitError{exitUsage, err}
	case errors.Is(err, context.Canceled):
		return err
	}
	return &exitError{exitProblems, err}
}
