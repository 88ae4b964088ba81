package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/scaffold"
)

// initOptions are herald init's flags.
type initOptions struct {
	brand, timezone, locale string
	accounts                []string
	owners, reviewers       []string
	heraldRef               string
	now                     string
}

func newInitCmd(e *env) *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init DIR",
		Short: "Create a calendar repository: charter, example post, README and GitHub workflows",
		Long: `Init writes a new calendar into DIR, ready to push to GitHub:

  charter.yaml                 the brand's charter, commented
  posts/YYYY/MM/welcome.md     an example post, due tomorrow on the feed and outbox
  README.md                    how the team writes, reviews and publishes posts,
                               and which secrets to set
  .gitignore
  .github/workflows/herald-review.yml    check and preview pull requests
  .github/workflows/herald-comment.yml   the preview as a pull-request comment
  .github/workflows/herald-publish.yml   publish what is due, every 15 minutes
  .github/workflows/herald-stats.yml     collect engagement, daily
  .github/workflows/herald-report.yml    last month's report in reports/YYYY-MM/, monthly
  .github/CODEOWNERS           who must approve a change: the charter, schemas
                               and .github/ the --owner maintainers, posts/ and
                               media/ the --reviewer reviewers (placeholders to
                               replace when not given)

--account KEY=NETWORK[,field=value...] adds an account; each network takes
these fields, and every account stats_window:

` + scaffold.AccountFields() + `
Besides the accounts of --account, the charter has a feed and an outbox:
both publish into the repository itself and need no credentials. Other
accounts read theirs from secrets named HERALD_<KEY>_<FIELD>
(HERALD_MASTODON_TOKEN), which README.md lists.

Outside a git repository, init makes one in DIR (branch main) and commits
nothing. Inside one, the workflows go to its root, run in DIR. Init never
overwrites a file: it writes nothing if one exists. On a terminal it asks
for the brand, time zone and locale the flags do not give.

The charter's comments, the example post, README.md and what init prints
are in the language of --lang, else HERALD_LANG, else the charter's
locale (--locale): French for fr-FR, English for en-US. The workflows are
the same in every language.

Whatever reaches main is published by the schedule, so the review is the
calendar's security boundary: README.md says, step by step, how to protect
main (a pull request, a code owner's review, no force push).`,
		Example: `  herald init my-calendar
  herald init my-calendar --brand "Maison Exemple" --timezone Europe/Paris --locale fr-FR \
      --account mastodon=mastodon,server=https://piaille.fr \
      --account bluesky=bluesky,handle=maison-exemple.bsky.social \
      --owner @maison/community --reviewer @maison/editors --reviewer @alice`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError("herald init takes one folder, the calendar's: herald init DIR")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(e.dir, dir)
			}
			if !cmd.Flags().Changed("brand") {
				o.brand = brandFromDir(dir)
			}
			if !cmd.Flags().Changed("timezone") {
				o.timezone = systemTimezone(e.getenv)
			}
			if !cmd.Flags().Changed("locale") {
				o.locale = systemLocale(e.getenv)
			}
			if isTerminal(e.stdin) {
				// Asked in the language of the default locale, or of
				// --lang or HERALD_LANG.
				p := e.printer(o.locale)
				if err := askInit(cmd.Context(), p, scaffold.NewPrompter(e.stdin, e.stderr, p), &o, cmd.Flags().Changed); err != nil {
					return err
				}
			}
			return runInit(cmd.Context(), e, dir, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.brand, "brand", "", "the brand's `NAME` (default: from DIR)")
	f.StringVar(&o.timezone, "timezone", "", "the IANA time `ZONE` of local post dates (default: this machine's, else UTC)")
	f.StringVar(&o.locale, "locale", "", "the BCP 47 `TAG` of the posts' language (default: from LANG, else en-US)")
	f.StringArrayVar(&o.accounts, "account", nil, "add an account: `KEY=NETWORK[,field=value...]` (repeatable)")
	f.StringVar(&o.heraldRef, "herald-ref", "", "the `REF` of herald's action in the workflows (default: this herald's version, main for a development build)")
	f.StringArrayVar(&o.owners, "owner", nil, "a maintainer of the charter, schemas and .github/ in CODEOWNERS: a GitHub `@user` or @org/team (repeatable)")
	f.StringArrayVar(&o.reviewers, "reviewer", nil, "a reviewer of posts/ and media/ in CODEOWNERS: a GitHub `@user` or @org/team (repeatable)")
	f.StringVar(&o.now, "now", "", "date the example post from `TIME` rather than now (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the time zone)")
	return cmd
}

func runInit(ctx context.Context, e *env, dir string, o initOptions) error {
	if fi, err := os.Stat(dir); err == nil && !fi.IsDir() {
		return usageError("%s is a file: herald init makes a calendar in a folder", e.display(dir))
	}
	var accounts []scaffold.Account
	for _, s := range o.accounts {
		a, err := scaffold.ParseAccount(s)
		if err != nil {
			return &exitError{exitUsage, err}
		}
		accounts = append(accounts, a)
	}
	loc, err := scaffold.LoadTimezone(o.timezone)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	now := time.Now()
	if o.now != "" {
		if now, err = check.ParseDate(o.now, loc); err != nil {
			return usageError("--now: %v", err)
		}
	}
	ref := scaffold.ActionRef(version())
	if o.heraldRef != "" {
		if strings.ContainsFunc(o.heraldRef, func(r rune) bool { return unicode.IsSpace(r) || r == '@' }) {
			return usageError("--herald-ref %q: give a tag, branch or commit of herald's repository, such as main", o.heraldRef)
		}
		ref = scaffold.Action + "@" + o.heraldRef
	}
	// The files speak the charter's language, as every command does after
	// init: --lang, else HERALD_LANG, else the locale the charter gets.
	p := e.printer(o.locale)
	res, err := scaffold.Init(ctx, scaffold.InitOptions{
		Dir: dir, Brand: o.brand, Timezone: o.timezone, Locale: o.locale,
		Accounts: accounts, ActionRef: ref, Now: now, Printer: p,
		Owners: o.owners, Reviewers: o.reviewers,
	})
	var usage *scaffold.UsageError
	var conflict *scaffold.ConflictError
	switch {
	case errors.As(err, &usage):
		return &exitError{exitUsage, usage}
	case errors.As(err, &conflict):
		paths := make([]string, len(conflict.Paths))
		for i, p := range conflict.Paths {
			paths[i] = e.display(p)
		}
		return usageError("herald init never overwrites a file, and these exist: %s. It wrote nothing: move them away, or make the calendar in another folder",
			strings.Join(paths, ", "))
	case err != nil:
		return err
	}
	writeInitReport(e, p, o.brand, res)
	return nil
}

// writeInitReport says what init wrote and what to do next, in p's
// language.
func writeInitReport(e *env, p *i18n.Printer, brand string, res *scaffold.InitResult) {
	w := e.stdout
	cal := e.display(res.Root)
	repo := e.display(res.RepoRoot)
	line := func(indent, id string, args i18n.Args) {
		fmt.Fprintln(w, indent+p.T(id, args))
	}
	line("", "scaffold.init.wrote", i18n.Args{"Brand": brand, "Dir": cal})
	for _, f := range res.Files {
		fmt.Fprintf(w, "  %s\n", e.display(f))
	}
	switch {
	case res.GitInit:
		line("", "scaffold.init.git-init", i18n.Args{"Dir": cal})
	case res.RepoRoot != res.Root && repo == ".":
		line("", "scaffold.init.workflows-in-this-repo", i18n.Args{"Dir": cal})
	case res.RepoRoot != res.Root:
		line("", "scaffold.init.workflows-in-repo", i18n.Args{"Repo": repo, "Dir": cal})
	}
	fmt.Fprintln(w)
	line("", "scaffold.init.next", nil)
	line("  ", "scaffold.init.step-see", i18n.Args{"Dir": cal})
	line("  ", "scaffold.init.step-commit", i18n.Args{"Repo": repo, "Message": p.T("scaffold.init.commit-message", nil)})
	line("  ", "scaffold.init.step-push", nil)
	if len(res.Secrets) == 0 {
		line("     ", "scaffold.init.step-push-no-secret", nil)
	} else {
		line("     ", "scaffold.init.step-push-secrets", nil)
		width := 0
		for _, s := range res.Secrets {
			width = max(width, len(s.Name))
		}
		for _, s := range res.Secrets {
			id := "scaffold.init.secret"
			switch {
			case s.Or != "":
				id = "scaffold.init.secret-or"
			case s.Optional:
				id = "scaffold.init.secret-optional"
			}
			fmt.Fprintf(w, "       %-*s  %s\n", width, s.Name, p.T(id, i18n.Args{"Network": s.Network, "Account": s.Account, "Or": s.Or}))
		}
	}
	line("  ", "scaffold.init.step-protect", nil)
	line("  ", "scaffold.init.step-write", i18n.Args{"Dir": cal, "Title": p.T("scaffold.init.title", nil), "Tag": p.T("scaffold.tag.product", nil)})
	line("", "scaffold.init.readme", i18n.Args{"Readme": e.display(filepath.Join(res.Root, "README.md"))})
}

// display shows an absolute path from the working directory when it is
// below it, as the user would type it.
func (e *env) display(abs string) string {
	rel, err := filepath.Rel(e.dir, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return abs
	}
	return filepath.ToSlash(rel)
}

// askInit asks, on a terminal, for what the flags did not give, in pr's
// language.
func askInit(ctx context.Context, pr *i18n.Printer, p *scaffold.Prompter, o *initOptions, changed func(string) bool) error {
	questions := []struct {
		flag, question string
		value          *string
		valid          func(string) error
	}{
		{"brand", pr.T("scaffold.ask.brand", nil), &o.brand, func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New(pr.T("scaffold.ask.brand-empty", nil))
			}
			return nil
		}},
		{"timezone", pr.T("scaffold.ask.timezone", nil), &o.timezone, func(s string) error {
			_, err := scaffold.LoadTimezone(s)
			return err
		}},
		{"locale", pr.T("scaffold.ask.locale", nil), &o.locale, scaffold.CheckLocale},
	}
	for _, q := range questions {
		if changed(q.flag) {
			continue
		}
		answer, err := p.Ask(ctx, q.question, *q.value, q.valid)
		if ctx.Err() != nil {
			return ctx.Err() // interrupted: nothing written
		}
		if err != nil {
			return &exitError{exitUsage, err}
		}
		*q.value = answer
	}
	return nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// brandFromDir makes a brand's name from its folder: maison-exemple is
// Maison Exemple.
func brandFromDir(dir string) string {
	words := strings.FieldsFunc(filepath.Base(dir), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	if len(words) == 0 {
		return "My Brand"
	}
	return strings.Join(words, " ")
}

// systemTimezone is this machine's IANA zone: TZ, else the zone
// /etc/localtime links to, else UTC.
func systemTimezone(getenv func(string) string) string {
	if tz := strings.TrimPrefix(getenv("TZ"), ":"); tz != "" {
		if _, err := scaffold.LoadTimezone(tz); err == nil {
			return tz
		}
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, zone, ok := strings.Cut(target, "zoneinfo/"); ok {
			if _, err := scaffold.LoadTimezone(zone); err == nil {
				return zone
			}
		}
	}
	return "UTC"
}

// systemLocale is the language of LC_ALL or LANG (fr_FR.UTF-8 is fr-FR),
// else en-US.
func systemLocale(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LANG"} {
		v, _, _ := strings.Cut(getenv(name), ".")
		v, _, _ = strings.Cut(v, "@")
		v = strings.ReplaceAll(v, "_", "-")
		if v == "" || v == "C" || v == "POSIX" {
			continue
		}
		if scaffold.CheckLocale(v) == nil {
			return v
		}
	}
	return "en-US"
}
