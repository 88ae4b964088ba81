package publish

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/internal/markdown"
	"github.com/herald-social/herald/pipeline/schedule"
	"github.com/herald-social/herald/pipeline/state"
)

// outcomeOrder is the order in which Totals names the outcomes.
var outcomeOrder = []string{"published", "would-publish", "reconciled", "failed", "missed", "unconfirmed", "skipped", "in-progress", "lost"}

// Totals says how many outcomes of each kind the run had, "2 published,
// 1 missed"; "" when it had none.
func (r *Report) Totals() string {
	counts := map[string]int{}
	for _, o := range r.Outcomes {
		counts[o.What]++
	}
	var parts []string
	for _, what := range outcomeOrder {
		if counts[what] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[what], what))
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

// Committed says what became of the journal, in a sentence.
func (r *Report) Committed(dryRun bool) string {
	switch {
	case dryRun:
		return "Dry run: nothing was published or committed."
	case r.Repository == "":
		return "Not in a git repository: the journal is in state/, nothing was committed."
	case len(r.Commits) == 0:
		return "Nothing to commit."
	}
	pushed := "not pushed"
	if r.Pushed {
		pushed = "pushed"
	}
	return fmt.Sprintf("Committed %s in %s, %s.", strings.Join(r.Commits, ", "), r.Repository, pushed)
}

// NothingDue says that nothing was due, and how much is coming.
func (r *Report) NothingDue() string {
	upcoming := 0
	for _, p := range r.Plans {
		upcoming += p.Count(schedule.Upcoming)
	}
	return fmt.Sprintf("Nothing is due (%d upcoming in the next 7 days: herald plan lists them).", upcoming)
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
}

// lateNotice is how late a post must go out to be listed as late: the
// period of the publish workflow herald init writes (every 15 minutes), so
// that a post waiting for the next scheduled run is not.
const lateNotice = 15 * time.Minute

// marks are the outcomes as the summary's table shows them.
var marks = map[string]string{
	"published": "✅ published", "would-publish": "🔜 would publish", "reconciled": "✅ reconciled",
	"failed": "❌ failed", "missed": "❌ missed", "skipped": "⏭️ skipped", "in-progress": "⏳ in progress",
	"lost": "↪️ lost", "unconfirmed": "❓ unconfirmed",
}

// WriteMarkdown writes the run's summary for its page on GitHub
// ($GITHUB_STEP_SUMMARY): a heading with the calendars and the time the
// run published at, a table of what became of each due post on each
// account, then the posts that went out late and why, the missed ones,
// the failures with the journal's message, and the totals. A nil rep is a
// run that could not start, for opts.Err.
func WriteMarkdown(w io.Writer, rep *Report, opts MarkdownOptions) error {
	var b strings.Builder
	if rep == nil {
		b.WriteString(heading(&Report{}, opts.DryRun) + "\n\n")
		if opts.Err != nil {
			b.WriteString("**The run could not start:** " + markdown.Cell(opts.Err.Error()) + "\n\n")
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	b.WriteString(heading(rep, opts.DryRun) + "\n\n")
	if len(rep.Outcomes) == 0 && opts.Err == nil {
		b.WriteString(rep.NothingDue() + "\n\n")
	}
	if len(rep.Outcomes) > 0 {
		rows := make([][]string, len(rep.Outcomes))
		for i, o := range rep.Outcomes {
			post := markdown.Code(o.PostID)
			if o.Account == "" { // a post that cannot be read: its file
				post = markdown.Code(o.Path)
			}
			rows[i] = []string{post, markdown.Cell(o.Account), marks[o.What], linkOrReason(o)}
		}
		markdown.Table(&b, []string{"Post", "Account", "Outcome", "Link or reason"}, nil, rows)
		b.WriteString("\n")
	}
	nows := planTimes(rep)
	var late, missed, failed, unconfirmed []string
	for _, o := range rep.Outcomes {
		subject := markdown.Code(o.PostID) + " on " + markdown.Cell(o.Account)
		switch o.What {
		case "published", "would-publish":
			now, ok := nows[o.Post]
			if ok && o.LateBy >= lateNotice {
				late = append(late, subject+": "+lateness(o, now, opts))
			}
		case "missed":
			missed = append(missed, subject+": "+markdown.Cell(o.Reason))
		case "failed":
			failed = append(failed, subject+": "+markdown.Cell(errText(o)))
		case "unconfirmed":
			unconfirmed = append(unconfirmed, subject+": "+markdown.Cell(errText(o))+"; look in the channel, then run "+
				markdown.Code(fmt.Sprintf("herald publish --confirm %s@%s --published", o.PostID, o.Account))+" (with "+
				markdown.Code("--id ID")+" if you read its id) or "+
				markdown.Code(fmt.Sprintf("herald publish --confirm %s@%s --not-published", o.PostID, o.Account))+" (the next run publishes it again)")
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
	section("Late", late)
	if len(late) > 0 && opts.Event == "schedule" {
		b.WriteString("GitHub starts scheduled runs late when it is busy, sometimes by hours, most often at the top of the hour.\n\n")
	}
	section("Missed (past cadence.max_lateness: reported once, never published)", missed)
	section("Failed", failed)
	section("Unconfirmed (an interrupted run may have published them and the network cannot tell: never sent again until a person confirms)", unconfirmed)
	if opts.Err != nil {
		b.WriteString("**The run stopped:** " + markdown.Cell(opts.Err.Error()) + "\n\n")
	}
	if t := rep.Totals(); t != "" {
		b.WriteString("**" + t + ".** ")
	}
	b.WriteString(markdown.Cell(rep.Committed(opts.DryRun)) + "\n\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// heading names the calendars and the time the run published at, in each
// calendar's zone.
func heading(rep *Report, dryRun bool) string {
	h := "### Herald publish"
	if dryRun {
		h += " (dry run)"
	}
	if len(rep.Plans) == 0 {
		return h
	}
	var brands, times []string
	same := true
	for _, p := range rep.Plans {
		brands = append(brands, markdown.Cell(p.Calendar.Charter.Brand))
		times = append(times, p.Now.Format("2006-01-02 15:04 MST"))
		same = same && times[len(times)-1] == times[0]
	}
	if same {
		return h + ": " + strings.Join(brands, ", ") + ", " + times[0]
	}
	for i := range brands {
		brands[i] += " (" + times[i] + ")"
	}
	return h + ": " + strings.Join(brands, ", ")
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
func linkOrReason(o Outcome) string {
	switch {
	case o.Err != nil:
		return markdown.Cell(errText(o))
	case len(o.Result.URLs) == 1:
		return markdown.Link(o.Result.URLs[0], o.Result.URLs[0])
	case len(o.Result.URLs) > 1:
		links := make([]string, len(o.Result.URLs))
		for i, u := range o.Result.URLs {
			links[i] = markdown.Link(fmt.Sprintf("part %d", i+1), u)
		}
		return strings.Join(links, ", ")
	case len(o.Result.Files) > 0:
		files := make([]string, len(o.Result.Files))
		for i, f := range o.Result.Files {
			files[i] = markdown.Code(f)
		}
		return strings.Join(files, ", ")
	case o.Reason != "" && o.What != "published":
		return markdown.Cell(o.Reason)
	}
	return ""
}

// errText is a failure as the journal records it (state.Account.Fail).
func errText(o Outcome) string {
	if o.Err == nil {
		return o.Reason
	}
	return o.Err.Error()
}

// lateness says when a post was due, when it went out, and why so late.
func lateness(o Outcome, now time.Time, opts MarkdownOptions) string {
	layout := "15:04"
	if o.DueAt.Format(time.DateOnly) != now.Format(time.DateOnly) {
		layout = "2006-01-02 15:04"
	}
	verb := "published"
	if o.What == "would-publish" {
		verb = "would be published"
	}
	var why string
	switch {
	case o.State == state.Failed:
		why = "the last attempt failed; this run tried again"
	case opts.Event == "schedule":
		why = "the scheduled run started late"
	case opts.Event == "workflow_dispatch":
		why = "published by a run started by hand: no scheduled run had published it"
	case opts.Event != "":
		why = "published by a run on " + opts.Event + ": no scheduled run had published it"
	default:
		why = "no run published it earlier"
	}
	return fmt.Sprintf("due %s, %s %s (%s late): %s", o.DueAt.Format(layout), verb, now.Format(layout),
		schedule.FormatDuration(o.LateBy), markdown.Cell(why))
}
