package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// Exit codes, as SPEC.md's contract sets them.
const (
	exitOK       = 0 // success, warnings allowed
	exitProblems = 1 // problems in the content, or a publication failed
	exitUsage    = 2 // bad usage or unreadable configuration
	exitInternal = 3 // internal failure
)

// exitError ends a command with a given exit code; its message, when not
// empty, is printed to stderr.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageError(format string, args ...any) error {
	return &exitError{exitUsage, fmt.Errorf(format, args...)}
}

// env is what every command gets from its caller instead of globals.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dir            string // -C DIR, resolved
	lang           string // --lang, empty for the charter's locale
	getenv         func(string) string
	warnedLang     bool // the "unknown language" warning was printed
}

// printer returns the language of what the command writes for people:
// --lang, else HERALD_LANG, else the charter's locale (charterLocale, empty
// before a charter is read), else English. A locale Herald does not speak
// is said once, on stderr.
func (e *env) printer(charterLocale string) *i18n.Printer {
	p, warning := i18n.Choose(e.lang, charterLocale, e.getenv)
	if warning != "" && !e.warnedLang {
		e.warnedLang = true
		fmt.Fprintf(e.stderr, "herald: warning: %s\n", warning)
	}
	return p
}

// run builds the command tree, runs it on args and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runEnv(ctx, args, stdin, stdout, stderr, os.Getenv)
}

// runEnv is run with the environment looked up through getenv, for tests
// that run in parallel.
func runEnv(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	root := newRootCmd(e)
	root.SetArgs(args[1:])
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	var ue *load.UsageError
	switch {
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintf(stderr, "herald: %v\n", ee.err)
		}
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "herald: %v\n", ue)
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "herald: interrupted")
		return exitInternal
	case isFlagError(err):
		fmt.Fprintf(stderr, "herald: %v\nRun 'herald --help' for usage.\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "herald: %v\n", err)
	return exitInternal
}

// flagError marks errors from parsing the command line.
type flagError struct{ error }

// isFlagError reports errors in the command line: flags, and cobra's
// "unknown command" for a misspelt command or an argument given to a
// command that takes none. Cobra has no error type for the latter, so its
// message prefix is matched, as cli/cli does.
func isFlagError(err error) bool {
	var fe *flagError
	return errors.As(err, &fe) || strings.HasPrefix(err.Error(), "unknown command ")
}

func newRootCmd(e *env) *cobra.Command {
	var chdir string
	root := &cobra.Command{
		Use:   "herald",
		Short: "Check, preview and publish an editorial calendar kept in git",
		Long: `Herald keeps a brand's social media calendar as code: one Markdown file per
post, with front matter (date, networks, campaign, tags), in a git repository
beside the brand's charter (charter.yaml).

herald checks every post against the charter, previews it as each network
will show it, publishes the posts that are due from a scheduled CI job and
commits what it did back into the repository.

Exit codes: 0 success (warnings allowed), 1 problems found in the content or
a publication failed, 2 bad usage or unreadable configuration, 3 internal
failure.`,
		Example: `  herald init my-calendar           a new calendar repository, with its GitHub workflows
  herald new "Title" --date "2026-12-01 09:00" --networks mastodon --tags produit
  herald check                      check the calendar in the current folder
  herald -C my-calendar check       the same, run from elsewhere
  herald check posts/2026/12        check only December's posts
  herald preview posts/2026/12      each December post as each network shows it
  herald version                    which herald this is`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			dir := chdir
			if dir == "" {
				dir = "."
			}
			abs, err := filepath.Abs(dir)
			if err != nil {
				return usageError("-C %s: %v", chdir, err)
			}
			if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
				return usageError("-C %s: not a folder", chdir)
			}
			e.dir = abs
			e.printer("") // says now, once, when --lang or HERALD_LANG names a language Herald does not speak
			return nil
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &flagError{err}
	})
	root.PersistentFlags().StringVarP(&chdir, "directory", "C", "", "run as if herald was started in `DIR`")
	root.PersistentFlags().StringVar(&e.lang, "lang", "", "write for people in `LANG` (fr, en; default: $HERALD_LANG, else the charter's locale)")
	root.AddCommand(newCheckCmd(e), newPreviewCmd(e), newPlanCmd(e), newPublishCmd(e), newStatsCmd(e), newVersionCmd(e))
	root.AddCommand(newCommentCmd(e))
	root.AddCommand(newInitCmd(e), newNewCmd(e))
	root.AddCommand(newDoctorCmd(e))
	root.AddCommand(newReportCmd(e))
	root.AddCommand(newCalendarCmd(e), newExportCmd(e), newImportCmd(e))
	return root
}

// version is the module version stamped by the Go toolchain, or a
// -ldflags "-X main.buildVersion=..." value.
var buildVersion = ""

func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print herald's version",
		Example: "  herald version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(e.stdout, "herald %s\n", version())
			return nil
		},
	}
}
