package check

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/calendar/keydates"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/state"
)

// calendarRules are the rules about the calendar as a plan (issue 16):
// silences longer than cadence.max_silence, campaigns without a post, and
// planned key dates without a post in their lead window. posts are the
// scheduled posts (not drafts, dated), by time.
func (cr *charterRules) calendarRules(w *wideReporter, posts []*summary) {
	p, loc := cr.p, cr.charter.Location
	if silence, ok := cr.charter.Cadence.Silence(); ok {
		for i := 1; i < len(posts); i++ {
			prev, s := posts[i-1], posts[i]
			if gap := s.when.Sub(prev.when); gap > silence {
				w.report(s.path, s.inScope || prev.inScope, "calendar.silence", s.datePos.text(),
					"calendar.check.silence", i18n.Args{"Gap": roughDuration(p, gap), "Previous": prev.path,
						"Date": p.DateTime(prev.when.In(loc)), "Silence": cr.charter.Cadence.MaxSilence})
			}
		}
	}
	if !cr.wholeCalendar || len(posts) == 0 {
		// A check of some posts says nothing of what none of them is about.
		return
	}
	today := ""
	if !cr.now.IsZero() {
		today = cr.now.In(loc).Format(time.DateOnly)
	}
	days := make([]string, len(posts)) // each post's day, sorted as posts are
	for i, s := range posts {
		days[i] = s.when.In(loc).Format(time.DateOnly)
	}
	anyPost := func(from, to string) bool {
		i, _ := slices.BinarySearch(days, from)
		return i < len(days) && days[i] <= to
	}
	// Campaigns and planned key dates count from today (or the first
	// post) to the last post: past that, the calendar is not planned yet.
	firstDay, lastDay := max(days[0], today), days[len(days)-1]
	for _, key := range cr.charter.CampaignNames() {
		span := cr.campaigns[key]
		if span.end < firstDay || span.start > lastDay {
			continue
		}
		if !anyPost(span.start, span.end) {
			w.report(cr.display, true, "calendar.campaign-empty", cr.charterPos("/campaigns/"+escapePointer(key)),
				"calendar.check.campaign-empty", i18n.Args{"Campaign": key, "Start": span.start, "End": span.end})
		}
	}
	first, _ := time.Parse(time.DateOnly, firstDay)
	last, _ := time.Parse(time.DateOnly, lastDay)
	for _, k := range keydates.Resolve(cr.charter.KeyDateEntries(), first, last) {
		if !k.Plan {
			continue
		}
		from := k.Start.Add(-k.Lead).Format(time.DateOnly)
		if !anyPost(from, k.End.Format(time.DateOnly)) {
			w.report(cr.display, true, "calendar.key-date-uncovered", cr.charterPos("/key_dates/"+strconv.Itoa(k.Entry)),
				"calendar.check.key-date-uncovered", i18n.Args{"Name": k.Name, "ID": k.ID, "Date": p.Date(k.Start),
					"From": p.Date(k.Start.Add(-k.Lead)), "Lead": p.N("calendar.text.days", int(k.Lead/(24*time.Hour)), nil)})
		}
	}
}

// checkPastUnpublished warns about a post dated further in the past than
// max_lateness that no account has published, failed or missed: one that
// publish never even tried, most often a post added, or moved, after its
// date. What publish tried and reported (failed, missed) is in its journal
// and its own report; this rule leaves it alone. A calendar without a
// state folder has never published anything: the rule waits for its first
// publish.
func (cr *charterRules) checkPastUnpublished(r *reporter, p *load.Post, when time.Time) {
	if cr.now.IsZero() || when.IsZero() || p.IsDraft() || !when.Before(cr.now.Add(-cr.charter.Cadence.Lateness())) || !cr.hasState() {
		return
	}
	st, err := state.Load(os.DirFS(cr.root), p.ID)
	if err != nil {
		return // plan and publish say why they cannot read it
	}
	var never []string
	for _, a := range cr.targets(p) {
		if st == nil || st.Accounts[a.Key] == nil {
			never = append(never, a.Key)
		}
	}
	if len(never) == 0 {
		return
	}
	r.at("calendar.past-unpublished", p.Date, "calendar.check.past-unpublished", i18n.Args{
		"Date": cr.p.DateTime(when.In(cr.charter.Location)), "Accounts": strings.Join(never, ", ")})
}

// roughDuration writes a silence in days and hours: "4 days 6 hours".
func roughDuration(p *i18n.Printer, d time.Duration) string {
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	out := p.N("calendar.text.days", days, nil)
	if hours > 0 {
		out = p.T("calendar.text.days-hours", i18n.Args{"Days": out, "Hours": p.N("calendar.text.hours", hours, nil)})
	}
	return out
}
