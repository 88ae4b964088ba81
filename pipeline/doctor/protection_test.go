package doctor_test

import (
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/config"

	"github.com/herald-social/herald/pipeline/doctor"
	"github.com/herald-social/herald/pipeline/github/githubtest"
)

// protectionOf returns the check of the default branch's protection, or
// fails the test when doctor made none.
func protectionOf(t *testing.T, rep *doctor.Report) doctor.Check {
	t.Helper()
	for _, c := range rep.Checks {
		if c.Account == "" && strings.Contains(c.Message, "branch protection") || strings.HasPrefix(c.Message, "main of ") {
			return c
		}
	}
	t.Fatalf("no branch protection check in %+v", rep.Checks)
	return doctor.Check{}
}

// Given a token that can read it, doctor says whether main requires a
// review and blocks force pushes, from its rulesets (readable with any
// read access) and its classic protection (Administration: read): a
// warning, never an error, when it does not; a note when the token cannot
// read it. Without a token, nothing is asked.
func TestBranchProtection(t *testing.T) {
	const reviewRules = `[
  {"type": "pull_request", "ruleset_source_type": "Repository", "ruleset_source": "acme/calendar", "ruleset_id": 42,
   "parameters": {"dismiss_stale_reviews_on_push": true, "require_code_owner_review": true, "require_last_push_approval": true,
                  "required_approving_review_count": 1, "required_review_thread_resolution": false, "allowed_merge_methods": ["merge", "squash", "rebase"]}},
  {"type": "non_fast_forward", "ruleset_source_type": "Repository", "ruleset_source": "acme/calendar", "ruleset_id": 42},
  {"type": "deletion", "ruleset_source_type": "Repository", "ruleset_source": "acme/calendar", "ruleset_id": 42}
]`
	const classic = `{
  "url": "https://api.github.com/repos/acme/calendar/branches/main/protection",
  "required_pull_request_reviews": {"dismiss_stale_reviews": true, "require_code_owner_reviews": false, "required_approving_review_count": 2},
  "allow_force_pushes": {"enabled": false},
  "allow_deletions": {"enabled": false},
  "enforce_admins": {"enabled": true}
}`
	tests := []struct {
		name       string
		token      string
		repository string
		rules      string
		protection string
		status     doctor.Status
		message    string
		wantAsked  []string
	}{{
		name: "a ruleset requires a code owner's review and blocks force pushes", token: githubtest.Token, repository: "acme/calendar",
		rules: reviewRules, status: doctor.OK,
		message:   "main of acme/calendar requires a review before merging (1 review, by code owners) and blocks force pushes",
		wantAsked: []string{"GET /repos/acme/calendar", "GET /repos/acme/calendar/rules/branches/main?per_page=100", "GET /repos/acme/calendar/branches/main/protection"},
	}, {
		name: "classic protection", token: githubtest.Token, repository: "acme/calendar",
		protection: classic, status: doctor.OK,
		message: "main of acme/calendar requires a review before merging (2 reviews) and blocks force pushes",
	}, {
		name: "nothing protects main", token: githubtest.Token, repository: "acme/calendar", status: doctor.Warning,
		message: "main of acme/calendar does not require a review before merging: anyone who can push to it publishes, and allows force pushes: what was published and its journal can be rewritten; the calendar's README.md (Protecting main) says how to protect it",
	}, {
		name: "a read-only token sees the rulesets only", token: githubtest.ReadOnlyToken, repository: "acme/calendar",
		protection: classic, status: doctor.Warning,
		message: "main of acme/calendar does not require a review before merging: anyone who can push to it publishes, and allows force pushes: what was published and its journal can be rewritten; the calendar's README.md (Protecting main) says how to protect it (its rulesets only: GITHUB_TOKEN cannot read its classic protection)",
	}, {
		name: "a read-only token, and a ruleset", token: githubtest.ReadOnlyToken, repository: "acme/calendar",
		rules: reviewRules, status: doctor.OK,
		message: "main of acme/calendar requires a review before merging (1 review, by code owners) and blocks force pushes",
	}, {
		name: "a repository the token cannot see", token: githubtest.Token, repository: "acme/other", status: doctor.OK,
		message:   "branch protection of acme/other not checked: GITHUB_TOKEN cannot read the repository (HTTP 404); a token with Administration: read on the repository can",
		wantAsked: []string{"GET /repos/acme/other"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := githubtest.NewServer(t)
			srv.SetBranchRules(tt.rules)
			srv.SetBranchProtection(tt.protection)
			dir := calendar(t, "  blog: {network: feed, path: public/feed.xml}\n", map[string]string{})
			rep := run(t, dir, map[string]string{"GITHUB_TOKEN": tt.token, "GITHUB_REPOSITORY": tt.repository, "GITHUB_API_URL": srv.URL() + "/"})
			c := protectionOf(t, rep)
			if c.Status != tt.status || c.Message != tt.message {
				t.Errorf("check: %s %q\nwant      %s %q", c.Status, c.Message, tt.status, tt.message)
			}
			if rep.Failed() {
				t.Error("branch protection made doctor fail: it is a warning at most")
			}
			noSecret(t, rep, tt.token)
			var asked []string
			for _, r := range srv.TakeRequests() {
				asked = append(asked, r.String())
			}
			if tt.wantAsked != nil && strings.Join(asked, "\n") != strings.Join(tt.wantAsked, "\n") {
				t.Errorf("asked:\n%s\nwant:\n%s", strings.Join(asked, "\n"), strings.Join(tt.wantAsked, "\n"))
			}
		})
	}

	t.Run("the origin remote names the repository", func(t *testing.T) {
		t.Parallel()
		srv := githubtest.NewServer(t)
		srv.SetBranchRules(reviewRules)
		dir := calendar(t, "  blog: {network: feed, path: public/feed.xml}\n", map[string]string{})
		r, err := git.PlainInit(dir, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"git@github.com:acme/calendar.git"}}); err != nil {
			t.Fatal(err)
		}
		rep := run(t, dir, map[string]string{"GITHUB_TOKEN": githubtest.Token, "GITHUB_API_URL": srv.URL()})
		if c := protectionOf(t, rep); c.Status != doctor.OK || !strings.HasPrefix(c.Message, "main of acme/calendar requires a review") {
			t.Errorf("check: %s %q", c.Status, c.Message)
		}
	})

	t.Run("no token: nothing asked", func(t *testing.T) {
		t.Parallel()
		srv := githubtest.NewServer(t)
		dir := calendar(t, "  blog: {network: feed, path: public/feed.xml}\n", map[string]string{})
		rep := run(t, dir, map[string]string{"GITHUB_REPOSITORY": "acme/calendar", "GITHUB_API_URL": srv.URL()})
		for _, c := range rep.Checks {
			if strings.Contains(c.Message, "acme/calendar") {
				t.Errorf("a check without a token: %+v", c)
			}
		}
		if got := srv.TakeRequests(); len(got) > 0 {
			t.Errorf("asked GitHub without a token: %v", got)
		}
	})
}
