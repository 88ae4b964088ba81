package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/herald-social/herald/pipeline/github/githubtest"
)

// fakeGitHubKey holds a script's fake GitHub in its testscript values.
type fakeGitHubKey struct{}

// setupGitHub gives each script a fake GitHub API of its own
// (githubtest.Server), which GITHUB_API_URL points at. Scripts seed it
// with github-pull and read it with github-comments; its tokens are
// githubtest.Token (may comment) and githubtest.ReadOnlyToken (as a fork's).
func setupGitHub(env *testscript.Env) {
	srv := githubtest.Start(nil)
	env.Defer(srv.Close)
	env.Setenv("GITHUB_API_URL", srv.URL())
	env.Values[fakeGitHubKey{}] = srv
}

func fakeGitHub(ts *testscript.TestScript) *githubtest.Server {
	srv, _ := ts.Value(fakeGitHubKey{}).(*githubtest.Server)
	if srv == nil {
		ts.Fatalf("no fake GitHub in this script")
	}
	return srv
}

// cmdGitHubPull is "github-pull N SHA": pull request N is open, its head
// at SHA.
func cmdGitHubPull(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: github-pull N SHA")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("github-pull: %q is not a number", args[0])
	}
	fakeGitHub(ts).AddPull(n, args[1])
}

// cmdGitHubComments is "github-comments N": prints pull request N's
// comments, oldest first, each as a line "== #ID by LOGIN" then its body.
func cmdGitHubComments(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: github-comments N")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("github-comments: %q is not a number", args[0])
	}
	for _, c := range fakeGitHub(ts).Comments(n) {
		body := c.Body
		if !strings.HasSuffix(body, "\n") {
			body += "\n"
		}
		fmt.Fprintf(ts.Stdout(), "== #%d by %s\n%s", c.ID, c.Login, body)
	}
}
