package main

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/herald-social/herald/pipeline/calendar"
	"github.com/herald-social/herald/pipeline/check"
)

var calendarFormats = []string{"text", "json", "ics", "html"}

func newCalendarCmd(e *env) *cobra.Command {
	var format, from, to, now, out string
	cmd := &cobra.Command{
		Use:   "calendar [PATH...]",
		Short: "Show the calendar month by month: posts per day and account, key dates, campaigns, gaps",
		Long: `Calendar lays the calendar out day by day over a period, with:

  posts      how many each day, per account (drafts included)
  key dates  the charter's key_dates: built-in sets (fr-FR, en-US), picked
             from with only: or except:, and the brand's own dates
  campaigns  the charter's campaigns, as spans over their days
  gaps       silences longer than the charter's cadence.max_silence (3d when
             unset): days on which no account has a post

Formats:
  text  a month grid, as cal prints it: each day with its number of posts
        ("·" for none), "*" on a key date, "!" in a gap, a bar under each
        week per campaign, then the month's days with posts per account;
        in colour on a terminal, unless NO_COLOR is set
  json  one array, an object per calendar: every day with its posts, key
        dates and campaigns, then key_dates, campaigns and gaps
  ics   an iCalendar file (RFC 5545) to import into Google Calendar, Apple
        Calendar or Outlook: an event per post (UID <post id>@herald, at its
        time in the charter's zone), an all-day event per campaign and per
        key date
  html  the preview site (herald preview --format html), into --out DIR

The period is the days from --from to --to, both included, in the
charter's time zone: YYYY-MM-DD, or YYYY-MM for a whole month. By default
it is the month of --now (the clock when unset) and the two after it.

PATH works as for herald check: a calendar, or a folder or post in it.`,
		Example: `  herald calendar                                  this month and the next two, in the terminal
  herald calendar --from 2026-12 --to 2027-02      December to February
  herald calendar --format ics --from 2026-11 --to 2027-06 > calendar.ics
  herald calendar --format json posts/2026/12      December's posts, for tools
  herald calendar --format html --out public/preview`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(calendarFormats, format) {
				return usageError("--format %q: use one of %s", format, strings.Join(calendarFormats, ", "))
			}
			if format == "html" {
				if out == "" {
					return usageError("--format html writes a site: give it a folder with --out DIR")
				}
				return previewSite(cmd.Context(), e, check.Options{Dir: e.dir, Paths: args, KeepPosts: true}, out, "")
			}
			if now != "" {
				if _, err := check.ParseDate(now, time.UTC); err != nil {
					return usageError(`--now %q: use RFC 3339 (2026-12-01T10:00:00+01:00) or "2026-12-01 10:00" in the charter's time zone`, now)
				}
			}
			res, first, last, err := loadPeriod(cmd.Context(), e, args, from, to)
			if err != nil {
				return err
			}
			var cals []*calendar.Calendar
			clock := time.Now()
			locale := ""
			for _, cal := range res.Calendars {
				at := clock
				if now != "" {
					at, _ = check.ParseDate(now, cal.Charter.Location)
				}
				f, t := calendar.DefaultPeriod(at, cal.Charter.Location)
				if !first.IsZero() {
					f = first
					if last.IsZero() {
						t = f.AddDate(0, 3, -1)
					}
				}
				if !last.IsZero() {
					t = last
					if first.IsZero() {
						f = time.Date(t.Year(), t.Month()-2, 1, 0, 0, 0, 0, time.UTC)
					}
				}
				if t.Before(f) {
					return usageError("--to %s is before --from %s", t.Format(time.DateOnly), f.Format(time.DateOnly))
				}
				if t.Sub(f) > 20*366*24*time.Hour {
					return usageError("--from %s --to %s: a period of at most 20 years", f.Format(time.DateOnly), t.Format(time.DateOnly))
				}
				cals = append(cals, calendar.Build(cal, f, t))
				locale = cal.Charter.Locale
			}
			switch format {
			case "json":
				return calendar.WriteJSON(e.stdout, cals)
			case "ics":
				if len(cals) != 1 {
					return usageError("--format ics writes one calendar, and %d were found: give the PATH of one", len(cals))
				}
				stamp := clock
				if now != "" {
					stamp, _ = check.ParseDate(now, cals[0].Location)
				}
				return calendar.WriteICS(e.stdout, cals[0], stamp)
			}
			return calendar.WriteText(e.stdout, cals, calendar.TextOptions{Printer: e.printer(locale), Color: colorEnabled(e)})
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output `FORMAT`: "+strings.Join(calendarFormats, ", "))
	cmd.Flags().StringVar(&from, "from", "", "first `DAY` of the period (YYYY-MM-DD, or YYYY-MM for the month's first)")
	cmd.Flags().StringVar(&to, "to", "", "last `DAY` of the period, included (YYYY-MM-DD, or YYYY-MM for the month's last)")
	cmd.Flags().StringVar(&now, "now", "", "the instant (RFC 3339, or \"YYYY-MM-DD HH:MM\" in the charter's time zone) whose month starts the default period, and the iCalendar DTSTAMP")
	cmd.Flags().StringVar(&out, "out", "", "with --format html: write the site into `DIR`")
	return cmd
}

// parseDay reads a --from or --to day: YYYY-MM-DD, or YYYY-MM for the
// month's first day (or its last, with end). "" is the zero time.
// loadPeriod reads --from and --to and loads the posts of the calendars
// at args without checking them, as calendar and export need; a charter
// that cannot be used ends the command as check does.
func loadPeriod(ctx context.Context, e *env, args []string, from, to string) (res *check.Result, first, last time.Time, err error) {
	if first, err = parseDay(from, "--from", false); err != nil {
		return nil, first, last, err
	}
	if last, err = parseDay(to, "--to", true); err != nil {
		return nil, first, last, err
	}
	res, err = check.Run(ctx, check.Options{Dir: e.dir, Paths: args, KeepPosts: true, LoadOnly: true})
	if err != nil {
		return nil, first, last, err
	}
	if res.ConfigError {
		return nil, first, last, printConfigErrors(e, res)
	}
	return res, first, last, nil
}

func parseDay(s, flag string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, nil
	}
	if m, err := time.Parse("2006-01", s); err == nil {
		if end {
			return m.AddDate(0, 1, -1), nil
		}
		return m, nil
	}
	return time.Time{}, usageError("%s %q: write a day as YYYY-MM-DD (2026-12-01), or a month as YYYY-MM", flag, s)
}
