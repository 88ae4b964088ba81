package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/scaffold"
)

func newNewCmd(e *env) *cobra.Command {
	var (
		o        scaffold.PostOptions
		networks []string
		tags     []string
		media    []string
		alts     []string
	)
	cmd := &cobra.Command{
		Use:   `new "TITLE" --date DATE --networks KEY,... --tags TAG,...`,
		Short: "Write a new post from the charter, at posts/YYYY/MM/slug.md",
		Long: `New writes a post into the calendar (the nearest charter.yaml, as for
herald check): posts/YYYY/MM/SLUG.md, where YYYY/MM is the post's month in
the charter's time zone and SLUG comes from the title (lower-case, accents
folded, every other character a '-').

The front matter holds the date, networks, campaign, tags and title; the
text is the title, with the campaign's hashtags, for you to write. The
networks, tags and campaign must be the charter's: the error lists them.
--media FILE --alt TEXT attaches an image or a video, as many times as
needed, each --media with its --alt in the same order: new copies FILE
under the calendar's media/ (keeping its name; a different file of that
name already there is refused, the same bytes are reused) and writes its
path relative to the post (../../../media/NAME) and the alt text into the
front matter. A file none of the post's networks accepts is refused.
New never overwrites a file. Then it checks the post as herald check
would, and exits 1 if the post has errors.`,
		Example: `  herald new "Spring is here" --date "2027-03-20 10:00" --networks mastodon,feed --tags product
  herald new "Noël : J-1" --date 2026-12-24T09:00:00+01:00 --networks mastodon --campaign noel-2026 --tags produit --draft
  herald new "The new mug" --date "2027-03-22 09:30" --networks mastodon --tags product --media ~/Pictures/mug.jpg --alt "A blue enamel mug on a wooden table"
  herald -C my-calendar new "Behind the scenes" --date "2027-03-21 11:00" --networks feed --tags behind-the-scenes`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError(`herald new takes the post's title, in quotes: herald new "Title" --date DATE --networks KEY --tags TAG`)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Date == "" {
				return usageError(`--date is required: "YYYY-MM-DD HH:MM" in the charter's time zone, or RFC 3339`)
			}
			cals, err := load.FindCalendars(e.dir, nil)
			if err != nil {
				return err
			}
			if len(cals) > 1 {
				roots := make([]string, len(cals))
				for i, c := range cals {
					roots[i] = e.display(c.Root)
				}
				return usageError("%d calendars here (%s): run herald new in one of them, or name it with -C", len(cals), strings.Join(roots, ", "))
			}
			// Checking the charter alone: its posts are out of scope.
			charterPath := filepath.Join(cals[0].Root, load.CharterFile)
			res, err := check.Run(cmd.Context(), check.Options{Dir: e.dir, Paths: []string{charterPath}})
			if err != nil {
				return err
			}
			if res.ConfigError || len(res.Calendars) == 0 {
				return printConfigErrors(e, res)
			}
			o.Root, o.Charter = res.Calendars[0].Root, res.Calendars[0].Charter
			o.Title, o.Networks, o.Tags = args[0], networks, tags
			o.Printer = e.printer(o.Charter.Locale)
			if len(media) != len(alts) {
				return usageError("%s", o.Printer.T("scaffold.media.pairs", i18n.Args{"Media": len(media), "Alt": len(alts)}))
			}
			o.Media, o.Dir = nil, e.dir
			for i := range media {
				o.Media = append(o.Media, scaffold.MediaFile{Path: media[i], Alt: alts[i]})
			}
			path, err := scaffold.NewPost(o)
			if usage, ok := errors.AsType[*scaffold.UsageError](err); ok {
				return &exitError{exitUsage, usage}
			} else if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, e.display(path))
			return checkNewPost(e, cmd, path, o.Printer)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Date, "date", "", "when the post goes out: `DATE` \"YYYY-MM-DD HH:MM\" in the charter's time zone, or RFC 3339")
	f.StringSliceVar(&networks, "networks", nil, "the charter's `ACCOUNTS` the post goes to, comma-separated")
	f.StringSliceVar(&tags, "tags", nil, "its editorial-line `TAGS`, comma-separated")
	f.StringVar(&o.Campaign, "campaign", "", "the charter's `CAMPAIGN` it belongs to: its hashtags are written in")
	f.BoolVar(&o.Draft, "draft", false, "write it as a draft: checked and previewed, never published")
	f.StringVar(&o.Slug, "slug", "", "the file's `NAME`, without .md (default: from the title)")
	f.StringArrayVar(&media, "media", nil, "an image or video `FILE` to copy under media/ and attach (repeatable, each with its --alt)")
	f.StringArrayVar(&alts, "alt", nil, "the alt `TEXT` of the --media in the same position: what the image shows")
	return cmd
}

// checkNewPost checks the post new wrote, as herald check would, and
// prints what check found: a post outside the posting windows, too close
// to another one, or on a network that needs a medium.
func checkNewPost(e *env, cmd *cobra.Command, path string, p *i18n.Printer) error {
	res, err := check.Run(cmd.Context(), check.Options{Dir: e.dir, Paths: []string{path}})
	if err != nil {
		return err
	}
	printer := diag.Printer{Color: colorEnabled(e), Source: e.readSource, Rules: check.RuleSummaries(i18n.English())}
	if err := printer.Print(e.stderr, res.Diagnostics); err != nil {
		return err
	}
	if errs, _ := diag.Count(res.Diagnostics); errs > 0 {
		return &exitError{exitProblems, errors.New(p.N("scaffold.new.errors", errs, i18n.Args{"Post": e.display(path)}))}
	}
	return nil
}
