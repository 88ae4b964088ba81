package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/go-git/go-git/v5"
	gh "github.com/google/go-github/v81/github"
)

// protectionCheck says whether the repository's default branch requires
// a review before merging and blocks force pushes, from its rulesets and
// its classic branch protection, read through GitHub's REST API with
// GITHUB_TOKEN: whatever reaches that branch is published by the
// schedule, so the review is the calendar's security boundary. Without a
// token, or without a GitHub repository to ask about (GITHUB_REPOSITORY,
// else the origin remote), there is no check (false).
func protectionCheck(ctx context.Context, opts *Options, root string, inGit bool) (Check, bool) {
	token := opts.Getenv("GITHUB_TOKEN")
	if token == "" {
		return Check{}, false
	}
	owner, repo, ok := strings.Cut(opts.Getenv("GITHUB_REPOSITORY"), "/")
	if !ok && inGit {
		owner, repo, ok = originRepository(root)
	}
	if !ok {
		return Check{}, false
	}
	client := gh.NewClient(opts.HTTP.HTTP).WithAuthToken(token)
	if api := opts.Getenv("GITHUB_API_URL"); api != "" {
		u, err := url.Parse(strings.TrimSuffix(api, "/") + "/")
		if err != nil {
			return Check{Status: Warning, Message: fmt.Sprintf("GITHUB_API_URL %q is not a URL: branch protection not checked", api)}, true
		}
		client.BaseURL = u
	}
	notReadable := func(what string, resp *gh.Response, err error) (Check, bool) {
		if resp != nil && (resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusNotFound) {
			return Check{Status: OK, Message: fmt.Sprintf("branch protection of %s/%s not checked: GITHUB_TOKEN cannot read %s (HTTP %d); a token with Administration: read on the repository can", owner, repo, what, resp.StatusCode)}, true
		}
		return Check{Status: Warning, Message: fmt.Sprintf("branch protection of %s/%s not checked: %s: %v", owner, repo, what, err)}, true
	}
	r, resp, err := client.Repositories.Get(ctx, owner, repo)
	if err != nil {
		return notReadable("the repository", resp, err)
	}
	branch := r.GetDefaultBranch()
	rules, resp, err := client.Repositories.GetRulesForBranch(ctx, owner, repo, branch, &gh.ListOptions{PerPage: 100})
	if err != nil {
		return notReadable("the rules of "+branch, resp, err)
	}
	reviews, forceBlocked := 0, len(rules.NonFastForward) > 0
	codeOwners := false
	for _, pr := range rules.PullRequest {
		reviews = max(reviews, pr.Parameters.RequiredApprovingReviewCount)
		codeOwners = codeOwners || pr.Parameters.RequireCodeOwnerReview
	}
	classic, resp, err := client.Repositories.GetBranchProtection(ctx, owner, repo, branch)
	classicUnknown := false
	switch {
	case errors.Is(err, gh.ErrBranchNotProtected):
	case err != nil && resp != nil && resp.StatusCode == http.StatusForbidden:
		classicUnknown = true // it takes Administration: read; the rules said what they could
	case err != nil:
		return notReadable("the protection of "+branch, resp, err)
	default:
		if rv := classic.GetRequiredPullRequestReviews(); rv != nil {
			reviews = max(reviews, rv.RequiredApprovingReviewCount)
			codeOwners = codeOwners || rv.RequireCodeOwnerReviews
		}
		forceBlocked = forceBlocked || !classic.GetAllowForcePushes().Enabled
	}

	var missing []string
	if reviews == 0 {
		missing = append(missing, "does not require a review before merging: anyone who can push to it publishes")
	}
	if !forceBlocked {
		missing = append(missing, "allows force pushes: what was published and its journal can be rewritten")
	}
	where := fmt.Sprintf("%s of %s/%s", branch, owner, repo)
	if len(missing) > 0 {
		msg := where + " " + strings.Join(missing, ", and ") + "; the calendar's README.md (Protecting main) says how to protect it"
		if classicUnknown {
			msg += " (its rulesets only: GITHUB_TOKEN cannot read its classic protection)"
		}
		return Check{Status: Warning, Message: msg}, true
	}
	review := fmt.Sprintf("%d review", reviews)
	if reviews > 1 {
		review += "s"
	}
	if codeOwners {
		review += ", by code owners"
	}
	return Check{Status: OK, Message: fmt.Sprintf("%s requires a review before merging (%s) and blocks force pushes", where, review)}, true
}

// githubRemote reads owner and repository from a GitHub remote URL:
// https://github.com/o/r(.git), git@github.com:o/r(.git), ssh://git@github.com/o/r.
var githubRemote = regexp.MustCompile(`^(?:https://|ssh://git@|git@)github\.com[:/]([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$`)

// originRepository is the GitHub repository of the origin remote.
func originRepository(root string) (owner, repo string, ok bool) {
	r, err := git.PlainOpenWithOptions(root, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
	if err != nil {
		return "", "", false
	}
	origin, err := r.Remote("origin")
	if err != nil || len(origin.Config().URLs) == 0 {
		return "", "", false
	}
	m := githubRemote.FindStringSubmatch(origin.Config().URLs[0])
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
