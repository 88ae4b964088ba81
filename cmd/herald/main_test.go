package main

import (
	"errors"
	"os/exec"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets testscripts and TestSignals run "herald" as a command:
// the test binary re-executes itself with herald's own main, signal
// handling included.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"herald": main})
}

// TestScripts runs the end-to-end scripts in testdata/script: each is a
// txtar archive of files and herald commands with their expected output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": cmdExits,
			"github-pull": cmdGitHubPull, "github-comments": cmdGitHubComments},
		Setup: func(env *testscript.Env) error {
			env.Setenv("NO_COLOR", "1")
			// git commits in scripts need an identity and no user config.
			env.Setenv("GIT_AUTHOR_NAME", "Test")
			env.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
			env.Setenv("GIT_COMMITTER_NAME", "Test")
			env.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
			env.Setenv("GIT_CONFIG_NOSYSTEM", "1")
			env.Setenv("HOME", env.WorkDir)
			setupGitHub(env)
			return nil
		},
	})
}

// cmdExits is "exits CODE program [args...]": like exec, but the program
// must end with exactly that exit code, since herald's exit codes are a
// contract (0 ok, 1 problems, 2 bad usage, 3 internal) that "! exec"
// cannot tell apart. stdout and stderr are kept for the next assertions.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("usage: exits CODE program [args...] (it cannot be negated)")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE program [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: %q is not an exit code", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}
