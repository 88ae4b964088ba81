// Package github posts herald's preview as the sticky comment of a pull
// request, from GitHub Actions, through GitHub's REST API (google/go-github):
// one comment per pull request, found again by its marker line and updated,
// never duplicated.
package github

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"

	gh "github.com/google/go-github/v81/github"
)

// ConfigError is a problem with how herald was run (its environment, the
// event, the pull-request number, the token's rights) that running it again
// the same way will not fix: bad usage or configuration, exit code 2.
type ConfigError struct{ Message string }

func (e *ConfigError) Error() string { return e.Message }

func configErrorf(format string, args ...any) error {
	return &ConfigError{fmt.Sprintf(format, args...)}
}

// Env is what GitHub Actions tells a job about itself through its
// environment.
type Env struct {
	Token       string // GITHUB_TOKEN
	Owner, Repo string // GITHUB_REPOSITORY, owner/name
	EventPath   string // GITHUB_EVENT_PATH: the webhook payload that started the run
	APIURL      string // GITHUB_API_URL, with a trailing slash
	ServerURL   string // GITHUB_SERVER_URL, without one
	RunID       string // GITHUB_RUN_ID; may be empty
}

// ReadEnv reads the job's environment through getenv. GITHUB_TOKEN is not
// among the variables Actions sets by itself: the workflow passes it with
// env: GITHUB_TOKEN: ${{ github.token }}.
func ReadEnv(getenv func(string) string) (Env, error) {
	e := Env{
		Token:     getenv("GITHUB_TOKEN"),
		EventPath: getenv("GITHUB_EVENT_PATH"),
		APIURL:    getenv("GITHUB_API_URL"),
		ServerURL: getenv("GITHUB_SERVER_URL"),
		RunID:     getenv("GITHUB_RUN_ID"),
	}
	repository := getenv("GITHUB_REPOSITORY")
	for _, v := range []struct{ name, value string }{
		{"GITHUB_REPOSITORY", repository},
		{"GITHUB_EVENT_PATH", e.EventPath},
	} {
		if v.value == "" {
			return Env{}, configErrorf("%s is not set: commenting on a pull request runs in GitHub Actions, which sets it", v.name)
		}
	}
	if e.Token == "" {
		return Env{}, configErrorf("GITHUB_TOKEN is not set: commenting on a pull request runs in GitHub Actions; " +
			"pass the job's token to herald with env: GITHUB_TOKEN: ${{ github.token }}")
	}
	owner, repo, ok := strings.Cut(repository, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return Env{}, configErrorf("GITHUB_REPOSITORY %q is not owner/name", repository)
	}
	e.Owner, e.Repo = owner, repo
	if e.APIURL == "" {
		e.APIURL = "https://api.github.com/"
	}
	if u, err := url.Parse(e.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Env{}, configErrorf("GITHUB_API_URL %q is not an http(s) URL", e.APIURL)
	}
	// go-github resolves its paths against the base URL, which must end
	// with a slash; Actions gives it without one.
	if !strings.HasSuffix(e.APIURL, "/") {
		e.APIURL += "/"
	}
	if e.ServerURL == "" {
		e.ServerURL = "https://github.com"
	}
	e.ServerURL = strings.TrimSuffix(e.ServerURL, "/")
	if e.RunID != "" {
		if _, err := strconv.ParseInt(e.RunID, 10, 64); err != nil {
			e.RunID = "" // only used for a link; a bad one is left out
		}
	}
	return e, nil
}

// Event is what herald needs of the webhook payload that started the run.
type Event struct {
	// Name is "pull_request" for an event about a pull request (its
	// payload holds one), "workflow_run" for the run of another workflow.
	Name string

	// Of a pull_request event.
	PullRequest int
	BaseRepo    string // owner/name the pull request is made to
	HeadRepo    string // owner/name of its head branch: another one for a fork
	HeadBranch  string // workflow_run: the branch the other workflow's run built

	// HeadSHA is the commit the pull request's head was at (pull_request),
	// or the commit the other workflow's run built (workflow_run).
	HeadSHA string

	// RunID is the other workflow's run (workflow_run): its artifacts hold
	// the preview.
	RunID int64
}

// Fork reports whether the pull request comes from another repository,
// where GitHub gives the workflow a token that cannot comment.
func (e Event) Fork() bool {
	return e.HeadRepo != "" && e.BaseRepo != "" && !strings.EqualFold(e.HeadRepo, e.BaseRepo)
}

// ReadEvent reads the payload at path, as GitHub wrote it to
// GITHUB_EVENT_PATH.
func ReadEvent(path string) (Event, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Event{}, configErrorf("GITHUB_EVENT_PATH: cannot read the event: %v", err)
	}
	var payload struct {
		PullRequest *gh.PullRequest `json:"pull_request"`
		WorkflowRun *gh.WorkflowRun `json:"workflow_run"`
	}
	if err := json.Unmarshal(data, &payload); err != nil {
		return Event{}, configErrorf("%s: the event is not JSON as GitHub writes it: %v", path, err)
	}
	switch {
	case payload.PullRequest != nil:
		pr := payload.PullRequest
		if pr.GetNumber() <= 0 {
			return Event{}, configErrorf("%s: the event's pull_request has no number", path)
		}
		return Event{
			Name:        "pull_request",
			PullRequest: pr.GetNumber(),
			BaseRepo:    pr.GetBase().GetRepo().GetFullName(),
			HeadRepo:    pr.GetHead().GetRepo().GetFullName(),
			HeadSHA:     pr.GetHead().GetSHA(),
		}, nil
	case payload.WorkflowRun != nil:
		run := payload.WorkflowRun
		if run.GetHeadSHA() == "" {
			return Event{}, configErrorf("%s: the event's workflow_run has no head_sha", path)
		}
		return Event{Name: "workflow_run", HeadSHA: run.GetHeadSHA(), RunID: run.GetID(),
			HeadRepo: run.GetHeadRepository().GetFullName(), HeadBranch: run.GetHeadBranch()}, nil
	}
	return Event{}, configErrorf("%s: the event is about no pull request: herald comments from a workflow "+
		"started by pull_request, or by workflow_run after one (herald comment --pull-request N)", path)
}
