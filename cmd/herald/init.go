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
				if err := askInit(cmd.Context(), scaffold.NewPrompter(e.stdin, e.stderr), &o, cmd.Flags().Changed); err != nil {
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
	res, err := scaffold.Init(ctx, scaffold.InitOptions{
		Dir: dir, Brand: o.brand, Timezone: o.timezone, Locale: o.locale,
		Accounts: accounts, ActionRef: ref, Now: now,
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
	writeInitReport(e, o.brand, res)
	return nil
}

// writeInitReport says what init wrote and what to do next.
func writeInitReport(e *env, brand string, res *scaffold.InitResult) {
	w := e.stdout
	cal := e.display(res.Root)
	fmt.Fprintf(w, "Wrote the calendar of %s in %s:\n", brand, cal)
	for _, f := range res.Files {
		fmt.Fprintf(w, "  %s\n", e.display(f))
	}
	switch {
	case res.GitInit:
		fmt.Fprintf(w, "Made a git repository in %s (branch main); nothing is committed yet.\n", cal)
	case res.RepoRoot != res.Root:
		repo := "the git repository " + e.display(res.RepoRoot)
		if e.display(res.RepoRoot) == "." {
			repo = "this git repository"
		}
		fmt.Fprintf(w, "The workflows are at the root of %s, and run in %s.\n", repo, cal)
	}
	fmt.Fprintln(w, "\nNext:")
	fmt.Fprintf(w, "  1. See it: herald -C %s check; herald -C %s preview\n", cal, cal)
	fmt.Fprintf(w, "  2. Commit it: git -C %s add -A; git -C %s commit -m \"A Herald calendar\"\n", e.display(res.RepoRoot), e.display(res.RepoRoot))
	fmt.Fprintln(w, "  3. Push it to a new GitHub repository, and in its Settings > Environments")
	if len(res.Secrets) == 0 {
		fmt.Fprintln(w, "     create the environment \"herald\" (the feed and outbox need no secret).")
	} else {
		fmt.Fprintln(w, "     create the environment \"herald\" with these secrets:")
		width := 0
		for _, s := range res.Secrets {
			width = max(width, len(s.Name))
		}
		for _, s := range res.Secrets {
			note := ""
			switch {
			case s.Or != "":
				note = ", or " + s.Or
			case s.Optional:
				note = " (optional)"
			}
			fmt.Fprintf(w, "       %-*s  the %s account %s%s\n", width, s.Name, s.Network, s.Account, note)
		}
	}
	fmt.Fprintln(w, "  4. Protect main, as README.md says: whatever reaches it is published, so")
	fmt.Fprintln(w, "     require a pull request and a code owner's review (.github/CODEOWNERS),")
	fmt.Fprintln(w, "     and block force pushes.")
	fmt.Fprintf(w, "  5. Write posts: herald -C %s new \"Title\" --date \"YYYY-MM-DD HH:MM\" --networks feed --tags product\n", cal)
	fmt.Fprintf(w, "%s says how the team writes, reviews and publishes.\n", e.display(filepath.Join(res.Root, "README.md")))
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

// askInit asks, on a terminal, for what the flags did not give.
func askInit(ctx context.Context, p *scaffold.Prompter, o *initOptions, changed func(string) bool) error {
	questions := []struct {
		flag, question string
		value          *string
		valid          func(string) error
	}{
		{"brand", "Brand name", &o.brand, func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New("the brand needs a name")
			}
			return nil
		}},
		{"timezone", "Time zone of the post dates (IANA)", &o.timezone, func(s string) error {
			_, err := scaffold.LoadTimezone(s)
			return err
		}},
		{"locale", "Language of the posts (BCP 47)", &o.locale, scaffold.CheckLocale},
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
