package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v81/github"

	"github.com/herald-social/herald/pipeline/i18n"
)

// Options are what the caller provides instead of globals. Getenv is
// required; the zero value of every other field is the default.
type Options struct {
	Getenv     func(string) string // the environment, os.Getenv in herald
	HTTPClient *http.Client        // nil: a client that honours HTTPS_PROXY
	UserAgent  string              // "herald/<version>"; empty: go-github's
	Timeout    time.Duration       // for the whole exchange; 0: one minute
	Now        func() time.Time    // says when a rate limit ends; nil: time.Now
	// Printer writes the note of a comment cut short, in the preview's
	// language; nil: English.
	Printer *i18n.Printer
}

// Commenter posts the sticky comment for the run described by its
// environment and event.
type Commenter struct {
	env    Env
	event  Event
	client *gh.Client
	opts   Options
}

// New reads the environment and the event, so that a run that cannot
// comment says so before any work.
func New(opts Options) (*Commenter, error) {
	env, err := ReadEnv(opts.Getenv)
	if err != nil {
		return nil, err
	}
	event, err := ReadEvent(env.EventPath)
	if err != nil {
		return nil, err
	}
	httpClient := opts.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment}}
	}
	client := gh.NewClient(httpClient).WithAuthToken(env.Token)
	if client.BaseURL, err = url.Parse(env.APIURL); err != nil {
		return nil, configErrorf("GITHUB_API_URL %q: %v", env.APIURL, err)
	}
	if opts.UserAgent != "" {
		client.UserAgent = opts.UserAgent
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Printer == nil {
		opts.Printer = i18n.English()
	}
	return &Commenter{env: env, event: event, client: client, opts: opts}, nil
}

// SetPrinter sets the language of the note of a comment cut short: the
// preview's, known once the commenter, made first to fail early, has
// waited for the preview to be written.
func (c *Commenter) SetPrinter(p *i18n.Printer) {
	if p != nil {
		c.opts.Printer = p
	}
}

// Event is the event the run was started by.
func (c *Commenter) Event() Event { return c.event }

// Action is what Post did to the comment.
type Action string

const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged" // the comment already said the same
	// MovedOn is a workflow_run whose pull request has received commits
	// since the review ran: its preview is stale, and the newer review's
	// run comments. Nothing is posted.
	MovedOn Action = "moved-on"
)

// Result is the comment that Post left.
type Result struct {
	PullRequest int
	Action      Action
	CommentID   int64
	URL         string // the comment on github.com
	Cut         bool   // the body was longer than MaxBody
}

// Post makes markdown the sticky comment of the pull request: it updates
// the comment that starts with Marker (the newest, if an older herald left
// several), or creates it. pullRequest is the number given on the command
// line, 0 for none: a pull_request event names its own (another number is
// refused); a workflow_run event needs it, and it must be the pull request
// whose head that run built, since it comes from the run's artifact, which
// the pull request's author controls.
func (c *Commenter) Post(ctx context.Context, markdown string, pullRequest int) (Result, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	res, err := c.post(ctx, markdown, pullRequest)
	return res, c.redact(err)
}

func (c *Commenter) post(ctx context.Context, markdown string, pullRequest int) (Result, error) {
	runID := c.env.RunID
	switch c.event.Name {
	case "pull_request":
		if pullRequest != 0 && pullRequest != c.event.PullRequest {
			return Result{}, configErrorf("--pull-request %d: this run is for pull request #%d", pullRequest, c.event.PullRequest)
		}
		pullRequest = c.event.PullRequest
	case "workflow_run":
		if pullRequest <= 0 {
			return Result{}, configErrorf("a workflow_run event names no pull request: give the number the review " +
				"workflow wrote into its artifact with herald comment --pull-request N FILE")
		}
		movedOn, err := c.verifyHead(ctx, pullRequest)
		if err != nil {
			return Result{}, err
		}
		if movedOn {
			return Result{PullRequest: pullRequest, Action: MovedOn}, nil
		}
		if c.event.RunID > 0 {
			runID = fmt.Sprint(c.event.RunID) // the review's run holds the artifacts
		}
	}
	runURL := ""
	if runID != "" {
		runURL = fmt.Sprintf("%s/%s/%s/actions/runs/%s", c.env.ServerURL, c.env.Owner, c.env.Repo, runID)
	}
	body, cut := commentBody(c.opts.Printer, markdown, runURL)
	res := Result{PullRequest: pullRequest, Cut: cut}

	sticky, err := c.findSticky(ctx, pullRequest)
	if err != nil {
		return res, err
	}
	switch {
	case sticky == nil:
		comment, _, err := c.client.Issues.CreateComment(ctx, c.env.Owner, c.env.Repo, pullRequest, &gh.IssueComment{Body: &body})
		if err != nil {
			return res, c.apiError(err, fmt.Sprintf("commenting on pull request #%d", pullRequest), pullRequest)
		}
		res.Action, res.CommentID, res.URL = Created, comment.GetID(), comment.GetHTMLURL()
	case strings.ReplaceAll(sticky.GetBody(), "\r\n", "\n") == body:
		res.Action, res.CommentID, res.URL = Unchanged, sticky.GetID(), sticky.GetHTMLURL()
	default:
		comment, _, err := c.client.Issues.EditComment(ctx, c.env.Owner, c.env.Repo, sticky.GetID(), &gh.IssueComment{Body: &body})
		if err != nil {
			return res, c.apiError(err, fmt.Sprintf("updating the comment on pull request #%d", pullRequest), pullRequest)
		}
		res.Action, res.CommentID, res.URL = Updated, comment.GetID(), comment.GetHTMLURL()
	}
	return res, nil
}

// verifyHead checks that the pull request's head is the commit the
// workflow_run event's run built: the number comes from that run's
// artifact, which a fork's author can write anything into. A pull request
// whose head is the same branch of the same repository at a newer commit
// has moved on (movedOn): not an error, the newer review's run comments.
func (c *Commenter) verifyHead(ctx context.Context, pullRequest int) (movedOn bool, err error) {
	pr, _, err := c.client.PullRequests.Get(ctx, c.env.Owner, c.env.Repo, pullRequest)
	if err != nil {
		return false, c.apiError(err, fmt.Sprintf("reading pull request #%d", pullRequest), pullRequest)
	}
	head := pr.GetHead()
	if head.GetSHA() == c.event.HeadSHA {
		return false, nil
	}
	if c.event.HeadBranch != "" && head.GetRef() == c.event.HeadBranch &&
		strings.EqualFold(head.GetRepo().GetFullName(), c.event.HeadRepo) {
		return true, nil
	}
	return false, configErrorf("the artifact does not belong to pull request #%d: its head is %s, but the run that "+
		"wrote the artifact built %s of another branch: nothing was posted", pullRequest, short(head.GetSHA()), short(c.event.HeadSHA))
}

// maxPages bounds the listing of comments, against a server whose "next"
// page never ends: 1,000 pages of 100 is more than any pull request holds.
const maxPages = 1000

// findSticky lists all the pull request's comments and returns the newest
// that starts with Marker, nil if none does.
func (c *Commenter) findSticky(ctx context.Context, pullRequest int) (*gh.IssueComment, error) {
	var sticky *gh.IssueComment
	opts := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	for range maxPages {
		comments, resp, err := c.client.Issues.ListComments(ctx, c.env.Owner, c.env.Repo, pullRequest, opts)
		if err != nil {
			return nil, c.apiError(err, fmt.Sprintf("listing the comments of pull request #%d", pullRequest), pullRequest)
		}
		for _, comment := range comments {
			if isSticky(comment.GetBody()) && (sticky == nil || newer(comment, sticky)) {
				sticky = comment
			}
		}
		if resp.NextPage <= opts.Page {
			break
		}
		opts.Page = resp.NextPage
	}
	return sticky, nil
}

// newer orders comments by creation, then by id, which GitHub hands out in
// increasing order.
func newer(a, b *gh.IssueComment) bool {
	ta, tb := a.GetCreatedAt().Time, b.GetCreatedAt().Time
	if !ta.Equal(tb) {
		return ta.After(tb)
	}
	return a.GetID() > b.GetID()
}

// apiError says what went wrong in a call to GitHub and what to do.
func (c *Commenter) apiError(err error, doing string, pullRequest int) error {
	var (
		rateErr  *gh.RateLimitError
		abuseErr *gh.AbuseRateLimitError
		respErr  *gh.ErrorResponse
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: GitHub did not answer within %s: run the job again", doing, c.opts.Timeout)
	case errors.As(err, &rateErr):
		reset := rateErr.Rate.Reset.Time
		return fmt.Errorf("%s: the token has used up GitHub's API rate limit until %s (in %s): run the job again then",
			doing, reset.UTC().Format("15:04:05 UTC"), reset.Sub(c.opts.Now()).Round(time.Second))
	case errors.As(err, &abuseErr):
		when := "in a few minutes"
		if d := abuseErr.GetRetryAfter(); d > 0 {
			when = "in " + d.Round(time.Second).String()
		}
		return fmt.Errorf("%s: GitHub's secondary rate limit stopped herald (too many requests at once): run the job again %s", doing, when)
	case errors.As(err, &respErr) && respErr.Response != nil:
		status := respErr.Response.StatusCode
		said := fmt.Sprintf("%d %s", status, respErr.Message)
		if respErr.Message == "" {
			said = respErr.Response.Status
		}
		switch status {
		case http.StatusUnauthorized, http.StatusForbidden:
			advice := "give the job permissions: pull-requests: write. A pull request from a fork gets a read-only " +
				"token whatever the workflow asks: for those, the herald-comment workflow (on workflow_run) " +
				"posts the preview from the review's artifact"
			if c.event.Name == "pull_request" && c.event.Fork() {
				advice = fmt.Sprintf("pull request #%d comes from the fork %s, and GitHub gives its workflows a "+
					"read-only token: let the herald-comment workflow (on workflow_run) post the preview from "+
					"the review's artifact", pullRequest, c.event.HeadRepo)
			}
			return &ConfigError{fmt.Sprintf("%s: GitHub refused the token (%s): it cannot comment on this "+
				"repository's pull requests; %s", doing, said, advice)}
		case http.StatusNotFound:
			return &ConfigError{fmt.Sprintf("%s: GitHub found no repository %s/%s or no pull request #%d in it (%s): "+
				"check GITHUB_REPOSITORY and the pull-request number (a token that cannot see a private "+
				"repository gets 404 too)", doing, c.env.Owner, c.env.Repo, pullRequest, said)}
		case http.StatusTooManyRequests:
			return fmt.Errorf("%s: GitHub says too many requests (%s): run the job again in a few minutes", doing, said)
		}
		if status >= 500 {
			return fmt.Errorf("%s: GitHub failed (%s): run the job again later", doing, said)
		}
		return fmt.Errorf("%s: GitHub refused it (%s)", doing, said)
	}
	return fmt.Errorf("%s: %w", doing, err)
}

// redact takes the token out of an error's message, whatever put it there.
func (c *Commenter) redact(err error) error {
	if err == nil || c.env.Token == "" || !strings.Contains(err.Error(), c.env.Token) {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), c.env.Token, "***")
	var ce *ConfigError
	if errors.As(err, &ce) {
		return &ConfigError{msg}
	}
	return errors.New(msg)
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	if sha == "" {
		return "nothing"
	}
	return sha
}
