package check

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// calendarWide runs the rules that compare posts with each other: ids,
// cadence, duplicate texts and the editorial line's shares. They see every
// post of the calendar; a finding is reported when one of the posts it
// involves is in scope.
func (cr *charterRules) calendarWide(all []*summary) []diag.Diagnostic {
	posts := slices.DeleteFunc(slices.Clone(all), func(s *summary) bool { return s == nil })
	// The rules are independent and their findings are sorted afterwards:
	// they run side by side, each with its own reporter, the accounts'
	// timelines each on its own.
	accounts := cr.charter.AccountKeys()
	reporters := make([]wideReporter, 4+len(accounts))
	for i := range reporters {
		reporters[i].cr = cr
	}
	var wg sync.WaitGroup
	wg.Go(func() { cr.duplicateIDs(&reporters[0], posts) })

	// Only posts that will be published count for cadence and shares.
	var scheduled []*summary
	for _, s := range posts {
		if !s.draft && !s.when.IsZero() {
			scheduled = append(scheduled, s)
		}
	}
	slices.SortStableFunc(scheduled, func(a, b *summary) int {
		return cmp.Or(a.when.Compare(b.when), cmp.Compare(a.path, b.path))
	})
	wg.Go(func() { cr.windowRule(&reporters[1], scheduled) })
	wg.Go(func() { cr.shareRule(&reporters[2], scheduled) })
	wg.Go(func() { cr.calendarRules(&reporters[3], scheduled) })
	timelines := cr.timelines(scheduled)
	for i, account := range accounts {
		wg.Go(func() { cr.accountRules(&reporters[4+i], account, timelines[account]) })
	}
	wg.Wait()
	var diags []diag.Diagnostic
	for _, w := range reporters {
		diags = append(diags, w.diags...)
	}
	return diags
}

type wideReporter struct {
	cr    *charterRules
	diags []diag.Diagnostic
}

// report adds a finding about target, when target or one of the related
// posts is in scope.
func (w *wideReporter) report(path string, inScope bool, rule string, pos load.Text, id string, args i18n.Args) {
	if !inScope {
		return
	}
	r := &reporter{p: w.cr.p, path: path, severities: w.cr.severities}
	r.at(rule, pos, id, args)
	w.diags = append(w.diags, r.diags...)
}

func (cr *charterRules) duplicateIDs(w *wideReporter, posts []*summary) {
	first := map[string]*summary{}
	folded := map[string]*summary{} // by foldID
	fold := cases.Fold()
	for _, s := range posts {
		if _, ok := first[s.id]; !ok {
			key := foldID(fold, s.id)
			if prev, ok := folded[key]; ok {
				at, other := s, prev
				if prev.inScope && !s.inScope {
					at, other = prev, s
				}
				if norm.NFC.String(at.id) == norm.NFC.String(other.id) {
					w.report(at.path, s.inScope || prev.inScope, "post.id-case", at.idPos.text(),
						"check.post.id-case.encoding", i18n.Args{"ID": cr.p.Quote(at.id), "Other": other.path})
				} else {
					w.report(at.path, s.inScope || prev.inScope, "post.id-case", at.idPos.text(),
						"check.post.id-case.case", i18n.Args{"ID": cr.p.Quote(at.id), "OtherID": cr.p.Quote(other.id), "Other": other.path})
				}
			} else {
				folded[key] = s
			}
		}
		if prev, ok := first[s.id]; ok {
			// The later post in path order gets the error, unless only the
			// earlier one is being checked (--changed-since): then the post
			// that the change touched does.
			at, other := s, prev
			if prev.inScope && !s.inScope {
				at, other = prev, s
			}
			w.report(at.path, s.inScope || prev.inScope, "post.duplicate-id", at.idPos.text(),
				"check.post.duplicate-id", i18n.Args{"ID": cr.p.Quote(s.id), "Other": other.path})
			continue
		}
		first[s.id] = s
	}
}

// foldID is an id as file systems that ignore case compare it (macOS,
// Windows): case-folded, and composed (NFC) as macOS also ignores how
// accents are encoded.
func foldID(fold cases.Caser, id string) string {
	return fold.String(norm.NFC.String(id))
}

// windowRule warns about posts scheduled outside the posting windows.
func (cr *charterRules) windowRule(w *wideReporter, posts []*summary) {
	if !cr.hasWindow {
		return
	}
	for _, s := range posts {
		local := s.when.In(cr.charter.Location)
		minute := local.Hour()*60 + local.Minute()
		inside := slices.ContainsFunc(cr.windows[local.Weekday()], func(win window) bool {
			return minute >= win.start && minute < win.end
		})
		if !inside {
			w.report(s.path, s.inScope, "cadence.window", s.datePos.text(),
				"check.cadence.window", i18n.Args{"Weekday": cr.p.Weekday(local.Weekday()), "Time": cr.p.Time(local),
					"Windows": cr.describeWindows(local.Weekday())})
		}
	}
}

func (cr *charterRules) describeWindows(day time.Weekday) string {
	ws := cr.windows[day]
	if len(ws) == 0 {
		return cr.p.T("check.windows.none", nil)
	}
	var out string
	for i, win := range ws {
		if i > 0 {
			out += ", "
		}
		out += fmt.Sprintf("%02d:%02d-%02d:%02d", win.start/60, win.start%60, win.end/60, win.end%60)
	}
	return out
}

// timelineEntry is one send of a post on an account's timeline.
type timelineEntry struct {
	post *summary
	send send
}

// timelines returns each account's sends, in the order of posts.
func (cr *charterRules) timelines(posts []*summary) map[string][]timelineEntry {
	// Counted first, so that each timeline is allocated once, at its size:
	// this runs before the rules that read them, on one core.
	sizes := map[string]int{}
	for _, s := range posts {
		for _, snd := range s.sends {
			sizes[snd.account]++
		}
	}
	timelines := make(map[string][]timelineEntry, len(sizes))
	for account, n := range sizes {
		timelines[account] = make([]timelineEntry, 0, n)
	}
	for _, s := range posts {
		for _, snd := range s.sends {
			timelines[snd.account] = append(timelines[snd.account], timelineEntry{s, snd})
		}
	}
	return timelines
}

// accountRules applies max_per_day, min_gap and the duplicate-text rule to
// an account's timeline.
func (cr *charterRules) accountRules(w *wideReporter, account string, line []timelineEntry) {
	limit, hasLimit := cr.maxPerDay(account)
	perDay := map[int32][]*summary{}
	texts := map[uint64]*summary{}
	for i, e := range line {
		s := e.post
		perDay[s.day] = append(perDay[s.day], s)
		if n := len(perDay[s.day]); hasLimit && n > limit {
			w.report(s.path, anyInScope(perDay[s.day]), "cadence.max-per-day", s.datePos.text(),
				"check.cadence.max-per-day", i18n.Args{"N": n, "Day": dayText(cr.p, s.day), "Account": account, "Limit": limit})
		}
		if i > 0 && cr.minGap > 0 {
			prev := line[i-1].post
			if gap := s.when.Sub(prev.when); gap < cr.minGap {
				w.report(s.path, s.inScope || prev.inScope, "cadence.min-gap", s.datePos.text(),
					"check.cadence.min-gap", i18n.Args{"Gap": cr.p.Duration(gap), "Previous": prev.path, "Account": account,
						"MinGap": cr.p.Duration(cr.minGap)})
			}
		}
		if first, dup := texts[e.send.text]; dup {
			cr.duplicateText(w, account, s, first, e.send.pos.text())
		} else {
			texts[e.send.text] = s
		}
	}
}

// refusesDuplicates names, by network, those that refuse a post whose text
// the account has already published: X answers 403 "duplicate content".
// The others (Mastodon, Bluesky...) publish it again.
var refusesDuplicates = map[string]string{"x": "X"}

// duplicateText reports s, whose text on account is first's: an error
// where the network refuses it (cadence.duplicate-text), a warning where
// it goes out twice (cadence.repeated-text).
func (cr *charterRules) duplicateText(w *wideReporter, account string, s, first *summary, pos load.Text) {
	network := account
	if a := cr.charter.Accounts[account]; a != nil {
		network = a.Network
	}
	inScope := s.inScope || first.inScope
	if name, refuses := refusesDuplicates[network]; refuses {
		w.report(s.path, inScope, "cadence.duplicate-text", pos,
			"check.cadence.duplicate-text", i18n.Args{"First": first.path, "Account": account, "Network": name})
		return
	}
	w.report(s.path, inScope, "cadence.repeated-text", pos,
		"check.cadence.repeated-text", i18n.Args{"First": first.path, "Account": account, "Network": network})
}

// localDay is t's date as the number yyyymmdd, which the calendar-wide
// rules group posts by: cheaper than a formatted date for each post.
func localDay(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(y*10000 + int(m)*100 + d)
}

func anyInScope(posts []*summary) bool {
	return slices.ContainsFunc(posts, func(s *summary) bool { return s.inScope })
}

// shareRule checks, month by month, that each tag's share of the posts
// stays within the editorial line's min and max.
func (cr *charterRules) shareRule(w *wideReporter, posts []*summary) {
	type month struct {
		posts   []*summary
		perTag  map[string]int
		inScope bool
	}
	months := map[int32]*month{}
	var order []int32
	for _, s := range posts {
		key := s.day / 100
		m := months[key]
		if m == nil {
			m = &month{perTag: map[string]int{}}
			months[key] = m
			order = append(order, key)
		}
		m.posts = append(m.posts, s)
		m.inScope = m.inScope || s.inScope
		for _, t := range s.tags {
			m.perTag[t]++
		}
	}
	for _, key := range order {
		m := months[key]
		total := len(m.posts)
		for _, tag := range cr.charter.TagNames() {
			share := cr.charter.EditorialLine[tag].Share
			got := float64(m.perTag[tag]) / float64(total)
			pos := func() load.Text { return cr.charterPos("/editorial_line/" + escapePointer(tag) + "/share") }
			switch {
			case share.Min != nil && got < *share.Min:
				w.report(cr.display, m.inScope, "editorial.share", pos(),
					"check.editorial.share.below", i18n.Args{"Month": monthText(cr.p, key), "Tag": cr.p.Quote(tag), "N": m.perTag[tag], "Total": total,
						"Share": cr.p.Percent(got, 0), "Limit": cr.p.Percent(*share.Min, 0)})
			case share.Max != nil && got > *share.Max:
				w.report(cr.display, m.inScope, "editorial.share", pos(),
					"check.editorial.share.above", i18n.Args{"Month": monthText(cr.p, key), "Tag": cr.p.Quote(tag), "N": m.perTag[tag], "Total": total,
						"Share": cr.p.Percent(got, 0), "Limit": cr.p.Percent(*share.Max, 0)})
			}
		}
	}
}

// charterPos is the position of a charter field, by JSON pointer.
func (cr *charterRules) charterPos(pointer string) load.Text {
	key, value := load.AtPointer(cr.charter.Root, pointer)
	if key != nil {
		return load.Text{Line: key.Line, Column: key.Column}
	}
	return load.Text{Line: value.Line, Column: value.Column}
}
