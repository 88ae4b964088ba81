package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/preview"
	"github.com/herald-social/herald/pipeline/report"
)

var previewFormats = []string{"text", "json", "markdown", "html"}

func newPreviewCmd(e *env) *cobra.Command {
	var (
		format       string
		changedSince string
		width        int
		out          string
		serve        string
		comment      bool
	)
	cmd := &cobra.Command{
		Use:   "preview [PATH...]",
		Short: "Show each post as each network will show and count it",
		Long: `Preview renders every post for each account it names, exactly as publish will
send it: the text in the network's markup, split into thread parts where the
network has threads, with its length as that network counts it (X's weighted
length, Bluesky's graphemes...) against the limit, and its media.

With --format html --out DIR, preview writes a static site into DIR: a
month-by-month calendar of the posts, filterable by network, tag and
campaign, and a page per post with a card per account as the network shows
it, with what check found. Each whole month with a publication gets herald
report's page under DIR/reports/YYYY-MM/, linked from that month. Open
DIR/index.html, or let --serve ADDR serve it and rebuild it, reloading the
browser, each time a file of the calendar changes.

PATH works as for herald check.`,
		Example: `  herald preview posts/2026/12/avent-1.md       one post, in boxes as a phone shows it
  herald preview --format json > preview.json     SPEC.md's preview JSON, for tools
  herald preview --format markdown --changed-since origin/main   a pull-request comment
  herald preview --format markdown --comment       ...posted on the pull request, in GitHub Actions
  herald preview --format html --out public/preview               a static site
  herald preview --serve localhost:8080           the site, rebuilt as you write`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if serve != "" && !cmd.Flags().Changed("format") {
				format = "html"
			}
			if !slices.Contains(previewFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(previewFormats, ", "))
			}
			if format == "html" && out == "" && serve == "" {
				return usageError("--format html writes a site: give it a folder with --out DIR")
			}
			if format != "html" && (out != "" || serve != "") {
				return usageError("--out and --serve go with --format html")
			}
			commenter, err := previewCommenter(e, comment, format)
			if err != nil {
				return err
			}
			opts := check.Options{Dir: e.dir, Paths: args, ChangedSince: changedSince, KeepPosts: true}
			if serve != "" {
				addr, note, err := serveAddr(serve)
				if err != nil {
					return &exitError{exitUsage, err}
				}
				fmt.Fprintf(e.stderr, "herald: %s\n", note)
				serve = addr
			}
			if format == "html" {
				return previewSite(cmd.Context(), e, opts, out, serve)
			}
			res, err := check.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			if res.ConfigError {
				return printConfigErrors(e, res)
			}
			sayUnreadable(e, res)
			switch format {
			case "json":
				return preview.WriteJSON(e.stdout, res) // for machines: no language
			case "markdown":
				opts := preview.MarkdownOptions{Printer: e.printer(previewLocale(res))}
				if commenter != nil {
					return writeAndComment(cmd.Context(), e, commenter, preview.Entries(res), opts)
				}
				return preview.WriteMarkdown(e.stdout, preview.Entries(res), opts)
			}
			return preview.WriteText(e.stdout, preview.Entries(res), preview.TextOptions{Width: width, Color: colorEnabled(e), Printer: e.printer(previewLocale(res))})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(previewFormats, ", "))
	cmd.Flags().StringVar(&changedSince, "changed-since", "", "preview only posts changed since git `REF`")
	cmd.Flags().IntVar(&width, "width", 40, "text width of the boxes, in `CELLS`")
	cmd.Flags().StringVar(&out, "out", "", "with --format html: write the site into `DIR` (new, empty, or a site written before)")
	cmd.Flags().BoolVar(&comment, "comment", false, "with --format markdown: also post the preview as the pull request's comment, in GitHub Actions (see herald comment --help)")
	cmd.Flags().StringVar(&serve, "serve", "", "serve the site at `ADDR` and rebuild it when the calendar changes; implies --format html. A port alone (8080, :8080) listens on localhost only; give a host (0.0.0.0:8080) to be reached from other machines")
	return cmd
}

// printConfigErrors prints the diagnostics that made a charter unusable,
// for the commands that need a usable charter, and exits 2.
func printConfigErrors(e *env, res *check.Result) error {
	var charterDiags []diag.Diagnostic
	for _, d := range res.Diagnostics {
		if strings.HasPrefix(d.Rule, "charter.") {
			charterDiags = append(charterDiags, d)
		}
	}
	printer := diag.Printer{Color: colorEnabled(e), Source: e.readSource}
	if err := printer.Print(e.stderr, charterDiags); err != nil {
		return err
	}
	return &exitError{exitUsage, fmt.Errorf("the charter has errors: fix them first (herald check shows them)")}
}

// previewSite writes the HTML site into out, then serves it at addr when
// addr is set, in a temporary folder if out is not.
func previewSite(ctx context.Context, e *env, opts check.Options, out, addr string) error {
	if out == "" {
		tmp, err := os.MkdirTemp("", "herald-preview-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		out = tmp
	} else if !filepath.IsAbs(out) {
		out = filepath.Join(e.dir, out)
	}
	build := func() (*check.Result, error) {
		res, err := check.Run(ctx, opts)
		if err != nil {
			return nil, err
		}
		if res.ConfigError {
			return res, errCharter
		}
		p := e.printer(previewLocale(res))
		return res, preview.WriteSite(out, res, preview.SiteOptions{LiveReload: addr != "", Printer: p, Reports: siteReports(ctx, e, res, p)})
	}
	res, err := build()
	switch {
	case errors.Is(err, errCharter):
		return printConfigErrors(e, res)
	case errors.Is(err, preview.ErrNotSite):
		return &exitError{exitUsage, fmt.Errorf("--out %w", err)}
	case err != nil:
		return err
	}
	if addr == "" {
		posts := 0
		for _, cal := range res.Calendars {
			posts += len(cal.Posts)
		}
		p := e.printer(previewLocale(res))
		fmt.Fprintf(e.stderr, "herald: %s\n", p.N("preview.wrote-site", posts, i18n.Args{"Index": filepath.Join(out, "index.html")}))
		return nil
	}
	var roots []string
	for _, cal := range res.Calendars {
		roots = append(roots, cal.Root)
	}
	return preview.Serve(ctx, addr, func() error {
		_, err := build()
		return err
	}, out, roots, e.stderr, e.printer(previewLocale(res)))
}

// siteReports are herald report's pages for the site, one per whole month
// of each calendar's history up to now (report.Monthly). A calendar whose
// reports cannot be made (an unreadable state file, say) gets none, with a
// warning: the preview of the posts matters more.
func siteReports(ctx context.Context, e *env, res *check.Result, p *i18n.Printer) []preview.SiteReport {
	var pages []preview.SiteReport
	for _, cal := range res.Calendars {
		monthly, err := report.Monthly(ctx, cal.Root, time.Now())
		if err != nil {
			fmt.Fprintf(e.stderr, "herald: %s\n", p.T("preview.no-reports", i18n.Args{"Calendar": displayPath(e, cal.Root), "Err": err}))
			continue
		}
		for _, r := range monthly {
			pages = append(pages, preview.SiteReport{Root: cal.Root, Month: r.Period.Start.In(r.Location).Format("2006-01"),
				Files: func(dir, home string, postPage func(string) string) (map[string][]byte, error) {
					return report.SitePage(r, p, report.PageOptions{Dir: dir, Home: home, PostPage: postPage})
				}})
		}
	}
	return pages
}

// previewLocale is the locale the preview speaks: its first calendar's
// charter's (a folder of calendars of several languages is previewed in
// the first one's), "" when there is none.
func previewLocale(res *check.Result) string {
	for _, cal := range res.Calendars {
		if cal.Charter != nil {
			return cal.Charter.Locale
		}
	}
	return ""
}

// errCharter is a build that the charter's errors stopped.
var errCharter = errors.New("the charter has errors: fix them first (herald check shows them)")

// serveAddr reads --serve: a port alone (8080, :8080) listens on this
// machine only (localhost); only an explicit host listens elsewhere. note
// says which, since a preview holds posts not published yet.
func serveAddr(flag string) (addr, note string, err error) {
	host, port, err := net.SplitHostPort(flag)
	if err != nil {
		host, port = "", flag // 8080
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", "", fmt.Errorf("--serve %q: give a port (8080) or a host and port (localhost:8080; 0.0.0.0:8080 to be reached from other machines)", flag)
	}
	if host == "" {
		host = "localhost"
	}
	addr = net.JoinHostPort(host, port)
	switch ip := net.ParseIP(host); {
	case host == "localhost" || ip != nil && ip.IsLoopback():
		note = "the preview listens on " + addr + ": only this machine can open it"
	case ip != nil && ip.IsUnspecified():
		note = "the preview listens on " + addr + ", every network interface of this machine: anyone who can reach it can read the posts, published or not"
	default:
		note = "the preview listens on " + addr + ": other machines that can reach " + host + " can read the posts, published or not"
	}
	return addr, note, nil
}

// sayUnreadable names on stderr, at their line and column, the posts that
// cannot be previewed because they cannot be read: the preview shows
// every other post, and never leaves one out without a word.
func sayUnreadable(e *env, res *check.Result) {
	for _, cal := range res.Calendars {
		for _, p := range cal.Unreadable {
			for _, d := range p.Diagnostics {
				if d.Severity == diag.Error {
					fmt.Fprintf(e.stderr, "herald: not previewed: %s:%d:%d: %s [%s]\n", diag.OneLine(d.Path), d.Line, d.Column, diag.OneLine(d.Message), d.Rule)
					break
				}
			}
		}
	}
}
