package publish

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/markdown"
	"github.com/herald-social/herald/pipeline/schedule"
	"github.com/herald-social/herald/pipeline/state"
)

// outcomeOrder is the order in which Totals names the outcomes.
var outcomeOrder = []string{"published", "would-publish", "reconciled", "failed", "missed", "unconfirmed", "skipped", "in-progress", "lost"}

// Totals says how many outcomes of each kind the run had, "2 published,
// 1 missed", in p's language (nil is English); "" when it had none.
func (r *Report) Totals(p *i18n.Printer) string {
	p = orEnglish(p)
	counts := map[string]int{}
	for _, o := range r.Outcomes {
		counts[o.What]++
	}
	var parts []string
	for _, what := range outcomeOrder {
		if counts[what] > 0 {
			parts = append(parts, p.N("publish.count."+what, counts[what], nil))
		}
	}
	return strings.Join(parts, ", ")
}

// Count is how many outcomes are of a kind (What).
func (r *Report) Count(what string) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.What == what {
			n++
		}
	}
	return n
}

// Committed says what became of the journal, in a sentence, in p's
// language (nil is English).
func (r *Report) Committed(p *i18n.Printer, dryRun bool) string {
	p = orEnglish(p)
	switch {
	case dryRun:
		return p.T("publish.dry-run", nil)
	case r.Repository == "":
		return p.T("publish.no-repository", nil)
	case len(r.Commits) == 0:
		return p.T("publish.nothing-to-commit", nil)
	}
	id := "publish.committed"
	if r.Pushed {
		id = "publish.committed-pushed"
	}
	return p.T(id, i18n.Args{"Commits": strings.Join(r.Commits, ", "), "Repository": r.Repository})
}

// NothingDue says that nothing was due, and how much is coming, in p's
// language (nil is English).
func (r *Report) NothingDue(p *i18n.Printer) string {
	p = orEnglish(p)
	upcoming := 0
	for _, plan := range r.Plans {
		upcoming += plan.Count(schedule.Upcoming)
	}
	return p.T("publish.nothing-due", i18n.Args{"Upcoming": p.Int(int64(upcoming))})
}

// Language is the language of the report's first calendar, for what is
// said about the whole run: its charter's locale, "" without a plan.
func (r *Report) Language() string {
	if r == nil || len(r.Plans) == 0 {
		return ""
	}
	return r.Plans[0].Calendar.Charter.Locale
}

func orEnglish(p *i18n.Printer) *i18n.Printer {
	if p == nil {
		return i18n.English()
	}
	return p
}

// MarkdownOptions tune WriteMarkdown.
type MarkdownOptions struct {
	DryRun bool
	// Event is the GitHub Actions event that started the run
	// ($GITHUB_EVENT_NAME: schedule, workflow_dispatch), "" elsewhere: it
	// says why a post went out late.
	Event string
	// Err is what stopped the run before its end, if anything.
	Err error
	// Printer is the reader's language; nil is English.
	Printer *i18n.Printer
}

// lateNotice is how late a post must go out to be listed as late: the
// period of the publish workflow herald init writes (every 15 minutes), so
// that a post waiting for the next scheduled run is not.
const lateNotice = 15 * time.Minute

// marks are the outcomes as the summary's table shows them, before their
// words (publish.outcome.WHAT).
var marks = map[string]string{
	"published": "✅", "would-publish": "🔜", "reconciled": "✅",
	"failed": "❌", "missed": "❌", "skipped": "⏭️", "in-progress": "⏳",
	"lost": "↪️", "unconfirmed": "❓",
}

// WriteMarkdown writes the run's summary for its page on GitHub
// ($GITHUB_STEP_SUMMARY): a heading with the calendars and the time the
// run published at, a table of what became of each due post on each
// account, then the posts that went out late and why, the missed ones,
// the failures with the journal's message, and the totals. A nil rep is a
// run that could not start, for opts.Err.
func WriteMarkdown(w io.Writer, rep *Report, opts MarkdownOptions) error {
	p := orEnglish(opts.Printer)
	var b strings.Builder
	if rep == nil {
		b.WriteString(heading(p, &Report{}, opts.DryRun) + "\n\n")
		if opts.Err != nil {
			b.WriteString("**" + p.T("publish.md.could-not-start", nil) + "** " + markdown.Cell(opts.Err.Error()) + "\n\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString(heading(p, rep, opts.DryRun) + "\n\n")
	if len(rep.Outcomes) == 0 && opts.Err == nil {
		b.WriteString(rep.NothingDue(p) + "\n\n")
	}
	if len(rep.Outcomes) > 0 {
		rows := make([][]string, len(rep.Outcomes))
		for i, o := range rep.Outcomes {
			post := markdown.Code(o.PostID)
			if o.Account == "" { // a post that cannot be read: its file
				post = markdown.Code(o.Path)
			}
			rows[i] = []string{post, markdown.Cell(o.Account), marks[o.What] + " " + p.T("publish.outcome."+o.What, nil), linkOrReason(p, o)}
		}
		markdown.Table(&b, []string{p.T("publish.md.post", nil), p.T("publish.md.account", nil), p.T("publish.md.outcome", nil),
			p.T("publish.md.link-or-reason", nil)}, nil, rows)
		b.WriteString("\n")
	}
	nows := planTimes(rep)
	var late, missed, failed, unconfirmed []string
	for _, o := range rep.Outcomes {
		line := func(what string) string {
			return p.T("publish.md.line", i18n.Args{"Post": markdown.Code(o.PostID), "Account": markdown.Cell(o.Account), "What": what})
		}
		switch o.What {
		case "published", "would-publish":
			now, ok := nows[o.Post]
			if ok && o.LateBy >= lateNotice {
				late = append(late, line(lateness(p, o, now, opts)))
			}
		case "missed":
			missed = append(missed, line(markdown.Cell(o.Explain(p))))
		case "failed":
			failed = append(failed, line(markdown.Cell(errText(p, o))))
		case "unconfirmed":
			unconfirmed = append(unconfirmed, line(p.T("publish.md.unconfirmed", i18n.Args{"Err": markdown.Cell(errText(p, o)),
				"Published":    markdown.Code(fmt.Sprintf("herald publish --confirm %s@%s --published", o.PostID, o.Account)),
				"ID":           markdown.Code("--id ID"),
				"NotPublished": markdown.Code(fmt.Sprintf("herald publish --confirm %s@%s --not-published", o.PostID, o.Account))})))
		}
	}
	section := func(title string, lines []string) {
		if len(lines) == 0 {
			return
		}
		b.WriteString("#### " + title + "\n\n")
		for _, l := range lines {
			b.WriteString("- " + l + "\n")
		}
		b.WriteString("\n")
	}
	section(p.T("publish.md.late", nil), late)
	if len(late) > 0 && opts.Event == "schedule" {
		b.WriteString(p.T("publish.md.github-late", nil) + "\n\n")
	}
	section(p.T("publish.md.missed", nil), missed)
	section(p.T("publish.md.failed", nil), failed)
	section(p.T("publish.md.unconfirmed-title", nil), unconfirmed)
	if opts.Err != nil {
		b.WriteString("**" + p.T("publish.md.stopped", nil) + "** " + markdown.Cell(opts.Err.Error()) + "\n\n")
	}
	if t := rep.Totals(p); t != "" {
		b.WriteString("**" + t + ".** ")
	}
	b.WriteString(markdown.Cell(rep.Committed(p, opts.DryRun)) + "\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// heading names the calendars and the time the run published at, in each
// calendar's zone.
func heading(p *i18n.Printer, rep *Report, dryRun bool) string {
	h := "### " + p.T("publish.md.heading", nil)
	if dryRun {
		h = "### " + p.T("publish.md.heading-dry-run", nil)
	}
	if len(rep.Plans) == 0 {
		return h
	}
	var brands, times []string
	same := true
	for _, plan := range rep.Plans {
		brands = append(brands, markdown.Cell(plan.Calendar.Charter.Brand))
		times = append(times, p.T("publish.md.time", i18n.Args{"ISO": plan.Now.Format("2006-01-02 15:04 MST"),
			"DateTime": p.DateTime(plan.Now), "Zone": plan.Now.Format("MST")}))
		same = same && times[len(times)-1] == times[0]
	}
	if same {
		return p.T("publish.md.heading-of", i18n.Args{"Heading": h, "Calendars": strings.Join(brands, ", ") + ", " + times[0]})
	}
	for i := range brands {
		brands[i] += " (" + times[i] + ")"
	}
	return p.T("publish.md.heading-of", i18n.Args{"Heading": h, "Calendars": strings.Join(brands, ", ")})
}

// planTimes maps each post of the run's plans to the time its calendar
// was planned (published) at.
func planTimes(rep *Report) map[*check.Post]time.Time {
	nows := map[*check.Post]time.Time{}
	for _, p := range rep.Plans {
		for _, it := range p.Items {
			nows[it.Post] = p.Now
		}
	}
	return nows
}

// linkOrReason is the table's last cell: where the publication is, or
// why it is not.
func linkOrReason(p *i18n.Printer, o Outcome) string {
	switch {
	case o.Err != nil:
		return markdown.Cell(errText(p, o))
	case len(o.Result.URLs) == 1:
		return markdown.Link(o.Result.URLs[0], o.Result.URLs[0])
	case len(o.Result.URLs) > 1:
		links := make([]string, len(o.Result.URLs))
		for i, u := range o.Result.URLs {
			links[i] = markdown.Link(p.T("publish.md.part", i18n.Args{"N": i + 1}), u)
		}
		return strings.Join(links, ", ")
	case len(o.Result.Files) > 0:
		files := make([]string, len(o.Result.Files))
		for i, f := range o.Result.Files {
			files[i] = markdown.Code(f)
		}
		return strings.Join(files, ", ")
	case o.Reason != "" && o.What != "published":
		return markdown.Cell(o.Explain(p))
	}
	return ""
}

// errText is a failure as the journal records it (state.Account.Fail),
// or the item's reason, in p's language, when there is no error.
func errText(p *i18n.Printer, o Outcome) string {
	if o.Err == nil {
		return o.Explain(p)
	}
	return o.Err.Error()
}

// lateness says when a post was due, when it went out, and why so late.
func lateness(p *i18n.Printer, o Outcome, now time.Time, opts MarkdownOptions) string {
	when := func(t time.Time) string {
		if o.DueAt.Format(time.DateOnly) != now.Format(time.DateOnly) {
			return p.T("publish.md.late.day-time", i18n.Args{"ISO": t.Format("2006-01-02 15:04"), "DateTime": p.DateTime(t)})
		}
		return p.T("publish.md.late.time", i18n.Args{"Time": p.Time(t)})
	}
	id := "publish.md.late.published"
	if o.What == "would-publish" {
		id = "publish.md.late.would-publish"
	}
	var why string
	switch {
	case o.State == state.Failed:
		why = p.T("publish.md.late.retried", nil)
	case opts.Event == "schedule":
		why = p.T("publish.md.late.schedule", nil)
	case opts.Event == "workflow_dispatch":
		why = p.T("publish.md.late.by-hand", nil)
	case opts.Event != "":
		why = p.T("publish.md.late.event", i18n.Args{"Event": opts.Event})
	default:
		why = p.T("publish.md.late.no-run", nil)
	}
	return p.T(id, i18n.Args{"Due": when(o.DueAt), "Now": when(now), "Late": p.Duration(o.LateBy), "Why": markdown.Cell(why)})
}
