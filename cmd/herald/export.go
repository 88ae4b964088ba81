package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/calendar"
	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

var exportFormats = []string{"csv", "json"}

func newExportCmd(e *env) *cobra.Command {
	var format, from, to string
	cmd := &cobra.Command{
		Use:   "export [PATH...]",
		Short: "Write the calendar as CSV or JSON: one row per post and account",
		Long: `Export writes one row per post and account, for a spreadsheet or another tool,
with these columns (stable names, which herald import reads back):

  id, path        the post's id and file, below the calendar root
  date            RFC 3339, in the charter's time zone
  status          ready or draft
  account         the account key, and network its network
  campaign, tags  tags separated by commas
  title, text     the post's title and body (Markdown, as written)
  variant         the account's own text, when the post has one
  media           the media's paths as the post writes them, one per line,
  media_alt       and their alt texts, one per line in the same order
  state           what publish did: published, failed, missed, publishing,
                  or empty when it never tried; url, published_at
  likes, reposts, replies, quotes, views
                  the latest stats sample (empty where the network gives none)

--format json writes one array of objects with the same keys; tags and
media are arrays there, and the counts are in a stats object.

--from and --to keep the posts dated in that period (YYYY-MM-DD, or YYYY-MM
for a whole month, in the charter's time zone); by default, every post.
PATH works as for herald check.`,
		Example: `  herald export > calendar.csv
  herald export --from 2026-12 --to 2026-12 --format json > december.json
  herald export posts/2027 > 2027.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(exportFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(exportFormats, ", "))
			}
			res, first, last, err := loadPeriod(cmd.Context(), e, args, from, to)
			if err != nil {
				return err
			}
			var rows []calendar.Row
			for _, cal := range res.Calendars {
				r, err := calendar.ExportRows(cal, os.DirFS(cal.Root), first, last)
				if err != nil {
					return &exitError{exitProblems, fmt.Errorf("%s: %w", cal.Root, err)}
				}
				rows = append(rows, r...)
			}
			if format == "json" {
				return calendar.WriteRowsJSON(e.stdout, rows)
			}
			return calendar.WriteCSV(e.stdout, rows)
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "output `FORMAT`: "+strings.Join(exportFormats, ", "))
	cmd.Flags().StringVar(&from, "from", "", "keep posts from `DAY` on (YYYY-MM-DD, or YYYY-MM)")
	cmd.Flags().StringVar(&to, "to", "", "keep posts up to `DAY`, included (YYYY-MM-DD, or YYYY-MM)")
	return cmd
}

var importFormats = []string{"auto", "csv", "json", "hootsuite"}

func newImportCmd(e *env) *cobra.Command {
	var format string
	var dryRun, force, monthFirst bool
	var accounts, tags []string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Write posts from a CSV or JSON file, such as one herald export wrote",
		Long: `Import writes a post file for each post that FILE describes, into the calendar
of the current folder (or -C DIR). FILE has the columns of herald export
(see herald export --help): the rows of a post share its id or path, one row
per account. date, account and text are needed; the other columns are
optional. A post without a path goes to posts/YYYY/MM/<slug>.md, the slug
made from its title or first words.

Import refuses, with the line of FILE, a row whose account the charter does
not declare, whose date cannot be read or whose post's other rows disagree
with it, and a post whose file exists (--force replaces it): when any row
is refused, nothing is written. Then it checks what it wrote, and each
problem is reported at the post's file:line and at FILE's line.

--format auto reads FILE's extension: .json is JSON, anything else CSV.
export then import into an empty calendar gives the same posts.

--format hootsuite reads a Hootsuite bulk composer file: no header, one post
per line with its date and time (DD/MM/YYYY HH:MM, or MM/DD/YYYY HH:MM with
--month-first, 24-hour, in the charter's time zone), its message and an
optional link, appended to the text. Hootsuite picks the accounts and has no
tags: give them with --account and --tags.`,
		Example: `  herald import calendar.csv --dry-run      what would be written
  herald import calendar.csv
  herald import bulk.csv --format hootsuite --account mastodon --account bluesky --tags produit
  herald -C other-calendar import december.json --force`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(importFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(importFormats, ", "))
			}
			file := args[0]
			if !filepath.IsAbs(file) {
				file = filepath.Join(e.dir, file)
			}
			content, err := os.ReadFile(file)
			if err != nil {
				return usageError("%v", err)
			}
			if format == "auto" {
				format = "csv"
				if strings.EqualFold(filepath.Ext(file), ".json") {
					format = "json"
				}
			}
			var rows []calendar.Row
			switch format {
			case "json":
				rows, err = calendar.ReadRowsJSON(bytes.NewReader(content))
			case "hootsuite":
				rows, err = calendar.ReadHootsuite(bytes.NewReader(content), calendar.ForeignOptions{Accounts: accounts, Tags: tags, MonthFirst: monthFirst})
			default:
				rows, err = calendar.ReadCSV(bytes.NewReader(content))
			}
			if err != nil {
				errs := []error{err}
				if joined, ok := err.(interface{ Unwrap() []error }); ok {
					errs = joined.Unwrap()
				}
				for _, err := range errs {
					fmt.Fprintf(e.stderr, "%s:%v\n", args[0], err)
				}
				return &exitError{exitProblems, errors.New(e.printer("").T("calendar.import.unreadable", i18n.Args{"File": args[0]}))}
			}
			cals, err := load.FindCalendars(e.dir, nil)
			if err != nil {
				return err
			}
			if len(cals) != 1 {
				return usageError("import writes into one calendar, and %d were found here: run it in the calendar's folder, or give it with -C", len(cals))
			}
			res, err := check.Run(cmd.Context(), check.Options{Dir: cals[0].Root, Paths: []string{load.CharterFile}})
			if err != nil {
				return err
			}
			if res.ConfigError || len(res.Calendars) != 1 {
				return printConfigErrors(e, res)
			}
			root := res.Calendars[0].Root
			p := e.printer(res.Calendars[0].Charter.Locale)
			written, errs := calendar.Import(root, res.Calendars[0].Charter, rows, calendar.ImportOptions{DryRun: dryRun, Force: force, Printer: p})
			for _, re := range errs {
				fmt.Fprintf(e.stderr, "%s:%d: %s\n", args[0], re.Line, re.Message)
			}
			if len(errs) > 0 {
				return &exitError{exitProblems, errors.New(p.T("calendar.import.refused", nil))}
			}
			rowOf := map[string]int{}
			var paths []string
			for _, w := range written {
				id := "calendar.import.wrote"
				if dryRun {
					id = "calendar.import.would-write"
				}
				fmt.Fprintln(e.stdout, p.T(id, i18n.Args{"Path": w.Path, "Row": fmt.Sprintf("%s:%d", args[0], w.Lines[0])}))
				abs := filepath.Join(root, filepath.FromSlash(w.Path))
				rowOf[abs] = w.Lines[0]
				paths = append(paths, abs)
			}
			if dryRun || len(paths) == 0 {
				return nil
			}
			checked, err := check.Run(cmd.Context(), check.Options{Dir: root, Paths: paths})
			if err != nil {
				return err
			}
			var mine []diag.Diagnostic
			for _, d := range checked.Diagnostics {
				abs := d.Path
				if !filepath.IsAbs(abs) {
					abs = filepath.Join(root, abs)
				}
				if line, ok := rowOf[abs]; ok {
					d.Message += fmt.Sprintf(" (%s:%d)", args[0], line)
					mine = append(mine, d)
				}
			}
			printer := diag.Printer{Color: colorEnabled(e), Source: e.readSource}
			if err := printer.Print(e.stdout, mine); err != nil {
				return err
			}
			if errsN, _ := diag.Count(mine); errsN > 0 {
				return &exitError{exitProblems, errors.New(p.T("calendar.import.check-errors", nil))}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "auto", "input `FORMAT`: "+strings.Join(importFormats, ", "))
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check the rows and say what would be written, without writing")
	cmd.Flags().BoolVar(&force, "force", false, "replace posts whose file exists")
	cmd.Flags().StringSliceVar(&accounts, "account", nil, "with --format hootsuite: the charter `ACCOUNT` keys the posts go to (repeat, or separate with commas)")
	cmd.Flags().StringSliceVar(&tags, "tags", nil, "with --format hootsuite: the editorial-line `TAGS` of every post")
	cmd.Flags().BoolVar(&monthFirst, "month-first", false, "with --format hootsuite: dates are MM/DD/YYYY (Hootsuite's US setting)")
	return cmd
}
