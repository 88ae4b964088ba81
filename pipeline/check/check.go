// Package check checks calendars against their charter: the charter
// against its schema, each post against the post schema and the charter's
// rules, and the calendar as a whole against its cadence.
//
// Posts are read, parsed and checked in parallel, one worker per core; each
// worker keeps only a small summary of a post for the calendar-wide rules,
// so that memory stays flat on very large calendars.
package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// Options says what to check. The zero value checks the calendars in or
// around the working directory.
type Options struct {
	Dir   string   // working directory; "" is the process's
	Paths []string // the command's PATH arguments
	// ChangedSince is a git revision: per-post rules then cover only the
	// posts that differ from it; calendar-wide rules still see every post.
	ChangedSince string
	Workers      int // 0: one per CPU
	// KeepPosts keeps the parsed posts in scope in Result.Calendars, for
	// the stages after check (preview, publish): their fields, not their
	// front matter's node tree (Front is nil), which was most of their
	// memory. Off, check's memory stays flat however many posts there are.
	KeepPosts bool
	// SkipPublished leaves out post.edited-after-publish, which reads every
	// post's state file and renders what was published: publish, which
	// never publishes a post twice, does not need it.
	SkipPublished bool
	// LoadOnly reads and parses the posts, in parallel as a check does,
	// without running the rules on them: for the commands that only lay
	// the posts out (calendar, export, report). The diagnostics are then
	// the charter's, a nested calendar's and those of the posts that
	// cannot be read or parsed, as a check gives them; Result.Checked is
	// 0. Use it with KeepPosts.
	LoadOnly bool
	// Mentions, when set, is asked whether the Bluesky handles that posts
	// in scope mention name an account (bluesky.mention-unresolved);
	// nil makes check work offline.
	Mentions MentionResolver
	// MediaHTTP, when set, fetches the public URL (media_url, then the
	// file's path) of each medium that posts in scope send to a network
	// that fetches media from there (Instagram, Threads), and compares it
	// with the file (media.url-unreachable, media.url-mismatch); nil makes
	// check work offline.
	MediaHTTP *http.Client
	// Printer writes the messages in the reader's language; nil is
	// English. Rule ids and severities stay as they are in every language.
	Printer *i18n.Printer
	// Language, when set, chooses each calendar's Printer from its
	// charter's locale ("" when the charter cannot be read that far), and
	// wins over Printer.
	Language func(charterLocale string) *i18n.Printer
	// Now is the instant the calendar rules that depend on it run at:
	// calendar.past-unpublished, and calendar.key-date-uncovered and
	// calendar.campaign-empty, which leave the past alone. Zero leaves
	// out the first and looks at the whole calendar for the others.
	Now time.Time
}

// Calendar is a calendar whose charter could be used, with its posts in
// scope when Options.KeepPosts is set.
type Calendar struct {
	Root    string // absolute
	Charter *load.Charter
	Posts   []*Post // in scope and parsed, in path order
	// Unreadable are the posts in scope, with Options.KeepPosts, whose file
	// could not be read or parsed at all, in path order: only Rel and ID
	// (from the file's path) are set in their Post, When is zero, and
	// Diagnostics say why. Plan and publish name them rather than leave
	// them out.
	Unreadable []*Post
}

// Post is a parsed post with where it is and what check found in it. Its
// front matter's node tree is not kept (Front is nil).
type Post struct {
	*load.Post
	Path        string            // display path
	Abs         string            // absolute path
	When        time.Time         // zero when the date is invalid
	Diagnostics []diag.Diagnostic // the post's own, sorted
}

// Result is what a check found.
type Result struct {
	Diagnostics []diag.Diagnostic // sorted
	Calendars   []*Calendar       // the calendars whose charter could be used
	Found       int               // calendars found, usable or not
	Posts       int               // posts read, in scope or not
	Checked     int               // posts the per-post rules covered
	// ConfigError is set when a charter could not be used: its posts were
	// not checked, and the command exits 2.
	ConfigError bool
	// Unchecked says what Options.Mentions could not ask the network,
	// one line per account, and which media URLs Options.MediaHTTP could
	// not fetch: no diagnostic, the network is not the post's fault.
	Unchecked []string
}

// Run checks the calendars that opts names.
func Run(ctx context.Context, opts Options) (*Result, error) {
	dir := opts.Dir
	if dir == "" {
		var err error
		if dir, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	cals, err := load.FindCalendars(dir, opts.Paths)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	p := opts.Printer
	if p == nil {
		p = i18n.English()
	}
	res := &Result{Found: len(cals)}
	for _, cal := range cals {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := &calendarCheck{p: p, language: opts.Language, dir: dir, cal: cal, workers: workers, keepPosts: opts.KeepPosts, skipPublished: opts.SkipPublished, loadOnly: opts.LoadOnly, mentions: opts.Mentions, mediaHTTP: opts.MediaHTTP,
			now: opts.Now}
		if err := c.run(ctx, opts.ChangedSince); err != nil {
			return nil, err
		}
		if c.rules != nil {
			res.Calendars = append(res.Calendars, &Calendar{Root: cal.Root, Charter: c.rules.charter, Posts: c.kept, Unreadable: c.unreadable})
		}
		res.Diagnostics = append(res.Diagnostics, c.diags...)
		res.Posts += c.posts
		res.Checked += c.checked
		res.ConfigError = res.ConfigError || c.configError
		res.Unchecked = append(res.Unchecked, c.unchecked...)
	}
	res.Diagnostics = diag.Sort(res.Diagnostics)
	return res, nil
}

// calendarCheck is the check of one calendar.
type calendarCheck struct {
	p         *i18n.Printer // the language of the messages, once the charter is read
	language  func(charterLocale string) *i18n.Printer
	dir       string
	cal       *load.Calendar
	workers   int
	keepPosts bool
	// skipPublished leaves out post.edited-after-publish.
	skipPublished bool
	loadOnly      bool // parse the posts, run no rule: Options.LoadOnly
	now           time.Time
	mentions      MentionResolver // nil: mentions are not checked
	mediaHTTP     *http.Client    // nil: media URLs are not fetched
	unchecked     []string
	kept          []*Post
	unreadable    []*Post

	rules       *charterRules // nil when the charter is unusable
	changed     func(abs string, content []byte) bool
	diags       []diag.Diagnostic
	posts       int
	checked     int
	configError bool
}

func (c *calendarCheck) run(ctx context.Context, changedSince string) error {
	charterAbs := filepath.Join(c.cal.Root, load.CharterFile)
	if c.language != nil {
		c.p = c.language(PeekLocale(charterAbs))
	}
	rules, ds := loadCharter(c.p, c.displayPath(charterAbs), charterAbs, c.cal.Root)
	c.diags = append(c.diags, ds...)
	if rules == nil {
		c.configError = true
		// Count the posts all the same: the summary says how many were
		// left unchecked.
		if files, err := load.PostFiles(c.cal.Root); err == nil {
			c.posts = len(files)
		}
		return nil
	}
	c.rules = rules
	rules.skipPublished = c.skipPublished
	rules.now, rules.wholeCalendar = c.now, len(c.cal.Scopes) == 0
	if changedSince != "" {
		changed, err := changedSinceRev(c.cal.Root, changedSince)
		if err != nil {
			return err
		}
		c.changed = changed
	}
	summaries, err := c.checkPosts(ctx)
	if err != nil {
		return fmt.Errorf("listing the posts of %s: %w", c.displayPath(c.cal.Root), err)
	}
	if !c.loadOnly {
		c.diags = append(c.diags, rules.calendarWide(summaries)...)
	}
	if c.mentions != nil {
		c.unchecked = c.checkMentions(ctx, c.mentions, summaries)
	}
	if c.mediaHTTP != nil {
		c.unchecked = append(c.unchecked, c.checkMediaURLs(ctx, c.mediaHTTP, summaries)...)
	}
	c.attachDiagnostics()
	return ctx.Err()
}

// checkPosts finds, reads and checks every post file in parallel, each
// file as soon as the walk finds it, and returns the summaries the
// calendar-wide rules need, in file order.
//
// The walk hands the files to the workers in batches, and each worker
// keeps what it found in a list of its own until all are done: a file
// costs no channel operation, lock or wake-up of its own.
func (c *calendarCheck) checkPosts(ctx context.Context) ([]*summary, error) {
	type file struct {
		abs     string
		regular bool // as the folder's listing says
		nested  *diag.Diagnostic
	}
	type batch struct {
		first int // the number of its first file, in walk order
		files []file
	}
	type checked struct {
		summary *summary
		post    *Post
		diags   []diag.Diagnostic
		nested  bool // in a calendar nested in posts/: not this calendar's
	}
	const batchSize = 32
	workers := max(c.workers, 1)
	batches := make(chan batch, 2*workers)
	found := make([][]checked, workers) // by worker, in the order of its batches
	spans := make([][][2]int, workers)  // its batches: first file and length
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			buf := make([]byte, 0, 16<<10) // the content of each post in turn
			for b := range batches {
				spans[w] = append(spans[w], [2]int{b.first, len(b.files)})
				for _, f := range b.files {
					if f.nested != nil {
						p := c.nestedPost(f.abs, *f.nested, &buf)
						found[w] = append(found[w], checked{nil, p, nil, true})
						continue
					}
					s, p, ds := c.checkPost(f.abs, f.regular, &buf)
					found[w] = append(found[w], checked{s, p, ds, false})
				}
			}
		})
	}
	next := batch{files: make([]file, 0, batchSize)}
	send := func() error {
		select {
		case batches <- next:
			next = batch{first: c.posts, files: make([]file, 0, batchSize)}
			return nil
		case <-ctx.Done():
			return errStop // run returns ctx.Err()
		}
	}
	nested := newNestedCalendars(c.cal.Root)
	nestedDiags := map[string]*diag.Diagnostic{} // by nested root
	err := load.WalkPostEntries(c.cal.Root, func(abs string, regular bool) error {
		f := file{abs: abs, regular: regular}
		if root := nested.rootOf(filepath.Dir(abs)); root != "" {
			// With calendar.nested off, the posts are this calendar's too,
			// as they were before the rule.
			d, ok := nestedDiags[root]
			if !ok {
				if nd, on := c.nestedDiagnostic(root); on {
					d = &nd
					if c.cal.InScope(root) || c.cal.InScope(abs) {
						c.diags = append(c.diags, nd)
					}
				}
				nestedDiags[root] = d
			}
			f.nested = d
		}
		next.files = append(next.files, f)
		c.posts++
		if len(next.files) == batchSize {
			return send()
		}
		return nil
	})
	if err == nil && len(next.files) > 0 {
		err = send()
	}
	close(batches)
	wg.Wait()
	if err == errStop {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	all := make([]checked, c.posts)
	for w := range workers {
		rest := found[w]
		for _, span := range spans[w] {
			copy(all[span[0]:span[0]+span[1]], rest)
			rest = rest[span[1]:]
		}
	}
	summaries := make([]*summary, len(all))
	for i, f := range all {
		summaries[i] = f.summary
		c.diags = append(c.diags, f.diags...)
		if f.summary != nil && f.summary.checked {
			c.checked++
		}
		switch {
		case f.post != nil && f.nested:
			// A nested calendar's post: kept with its error, so that
			// plan and publish name it as skipped here.
			c.kept = append(c.kept, f.post)
		case f.post != nil && f.summary == nil:
			c.unreadable = append(c.unreadable, f.post)
		case f.post != nil && f.summary.inScope:
			c.kept = append(c.kept, f.post)
		}
	}
	return summaries, nil
}

// errStop stops the walk of the post files when the run is cancelled.
var errStop = errors.New("stop")

// checkPost reads one post into buf, which it may grow, and runs the
// per-post rules on it when it is in scope. It always returns a summary, so
// that calendar-wide rules see every post that could be parsed. regular
// says that the folder's listing has the post as a regular file.
func (c *calendarCheck) checkPost(abs string, regular bool, buf *[]byte) (*summary, *Post, []diag.Diagnostic) {
	display := c.displayPath(abs)
	rel, _ := filepath.Rel(c.cal.Root, abs)
	r := &reporter{p: c.p, path: display, severities: c.rules.severities}
	read := load.ReadPostInto
	if regular {
		read = load.ReadRegularPostInto
	} else if outside, err := c.rules.postOutside(abs); err != nil || outside {
		if err != nil {
			r.add("post.unreadable", 0, 0, "check.post.unreadable", i18n.Args{"Err": err})
		} else {
			r.add("post.outside", 0, 0, "check.post.outside", nil)
		}
		return nil, nil, r.keep(c.cal.InScope(abs))
	}
	content, err := read(*buf, abs)
	if cap(content) > cap(*buf) {
		*buf = content[:0]
	}
	inScope := c.cal.InScope(abs) && (err != nil || c.changed == nil || c.changed(abs, content))
	// A post that cannot be read or parsed is kept all the same, with its
	// path and id only, so that plan and publish can name it.
	unreadable := func() *Post {
		if !c.keepPosts || !inScope {
			return nil
		}
		rel := filepath.ToSlash(rel)
		return &Post{Post: &load.Post{Rel: rel, ID: strings.TrimSuffix(rel, path.Ext(rel))}, Path: display, Abs: abs,
			When: partialDate(content, c.rules.charter.Location)}
	}
	if err != nil {
		r.addText("post.unreadable", 1, 1, unreadableMessage(c.p, err))
		return nil, unreadable(), r.keep(inScope)
	}
	post, err := load.ParsePost(filepath.ToSlash(rel), content)
	if err != nil {
		r.addParseError(err)
		return nil, unreadable(), r.keep(inScope)
	}
	var s *summary
	if c.loadOnly {
		// The date as checkDate reads it, without its diagnostics.
		s = &summary{id: post.ID}
		if post.Date.IsSet() {
			s.when, _ = ParseDate(post.Date.Value, c.rules.charter.Location)
		}
	} else {
		s = c.rules.checkPost(r, post, abs)
		s.checked = inScope
	}
	s.path, s.inScope = display, inScope
	if inScope && c.mentions != nil {
		s.mentions = findMentions(post, c.rules.targets(post))
	}
	if inScope && c.mediaHTTP != nil {
		s.mediaURLs, s.mediaURLCommit = c.rules.mediaURLUses(post, abs)
	}
	var kept *Post
	if c.keepPosts {
		post.Front = nil // checked; the fields are what later stages read
		kept = &Post{Post: post, Path: display, Abs: abs, When: s.when}
	}
	// The summary's date in the charter's zone rather than the offset it
	// was written with: one *time.Location for all, not one per post.
	s.when = s.when.In(c.rules.charter.Location)
	s.day = localDay(s.when)
	return s, kept, r.keep(inScope)
}

// partialDate is the date of a post that cannot be parsed, when its front
// matter still says it plainly on a line of its own (date: ... in YAML,
// date = ... in TOML, before the closing delimiter), so that plan and
// publish can tell whether it would be due; zero otherwise. It reads no
// more than the front matter's first 64 lines.
func partialDate(content []byte, loc *time.Location) time.Time {
	lines := strings.Split(string(content[:min(len(content), 8<<10)]), "\n")
	if len(lines) < 2 || strings.TrimSpace(lines[0]) != "---" && strings.TrimSpace(lines[0]) != "+++" {
		return time.Time{}
	}
	delim := strings.TrimSpace(lines[0])
	for _, line := range lines[1:min(len(lines), 64)] {
		line = strings.TrimSpace(line)
		if line == delim {
			break
		}
		key, value, ok := strings.Cut(line, ":")
		if delim == "+++" {
			key, value, ok = strings.Cut(line, "=")
		}
		if !ok || strings.TrimSpace(key) != "date" {
			continue
		}
		value = strings.Trim(strings.TrimSpace(value), `"'`)
		if t, err := ParseDate(value, loc); err == nil {
			return t
		}
		return time.Time{}
	}
	return time.Time{}
}

// unreadableMessage says why a post file could not be read, without the
// file's absolute path, which the diagnostic's position already names.
func unreadableMessage(p *i18n.Printer, err error) string {
	var notRegular load.NotRegularError
	if errors.As(err, &notRegular) {
		return p.T("check.post.not-regular", i18n.Args{"Kind": fileKind(p, notRegular.Kind)})
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return p.T("check.post.unreadable-permission", i18n.Args{"Err": err})
	}
	return p.T("check.post.unreadable", i18n.Args{"Err": err})
}

// attachDiagnostics gives each kept post the diagnostics about it.
func (c *calendarCheck) attachDiagnostics() {
	if len(c.kept)+len(c.unreadable) == 0 {
		return
	}
	byPath := make(map[string]*Post, len(c.kept)+len(c.unreadable))
	for _, p := range slices.Concat(c.kept, c.unreadable) {
		byPath[p.Path] = p
	}
	for _, d := range diag.Sort(c.diags) {
		if p := byPath[d.Path]; p != nil {
			p.Diagnostics = append(p.Diagnostics, d)
		}
	}
}

func (c *calendarCheck) displayPath(abs string) string {
	return displayPath(c.dir, abs)
}

// displayPath is abs relative to the working directory when below it,
// slash-separated, as people and CI annotations expect.
func displayPath(dir, abs string) string {
	rel, err := filepath.Rel(dir, abs)
	if err != nil || filepath.IsAbs(rel) || len(rel) >= 2 && rel[:2] == ".." {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// reporter collects the diagnostics of one file, applying the charter's
// severity overrides.
type reporter struct {
	p          *i18n.Printer // nil is English
	path       string
	severities map[string]diag.Severity
	diags      []diag.Diagnostic
}

// add reports message id of the catalog (check.*.toml) with its args.
func (r *reporter) add(rule string, line, col int, id string, args i18n.Args) {
	r.addText(rule, line, col, r.printer().T(id, args))
}

// at is add at a value's position.
func (r *reporter) at(rule string, t load.Text, id string, args i18n.Args) {
	r.add(rule, t.Line, t.Column, id, args)
}

// addText reports a message already written in the reader's language.
func (r *reporter) addText(rule string, line, col int, message string) {
	sev, ok := r.severities[rule]
	if !ok {
		if sev, ok = defaultSeverity(rule); !ok {
			// An id missing from the rules table is a bug in herald
			// (TestRuleIDsAreRegistered catches it): report the problem as
			// an error rather than lose it to a rule that is off.
			sev = diag.Error
		}
	}
	if sev == diag.Off {
		return
	}
	r.diags = append(r.diags, diag.Diagnostic{
		Path: r.path, Line: line, Column: col, Severity: sev, Rule: rule,
		Message: message,
	})
}

func (r *reporter) printer() *i18n.Printer {
	if r.p == nil {
		return i18n.English()
	}
	return r.p
}

// q quotes a value the message names, as the reader's language does.
func (r *reporter) q(s string) string { return r.printer().Quote(s) }

func (r *reporter) addParseError(err error) {
	if pe, ok := err.(*load.ParseError); ok {
		r.addText(pe.Rule, pe.Line, pe.Column, pe.Text(r.printer()))
		return
	}
	r.addText("post.unreadable", 1, 1, err.Error())
}

// keep returns the diagnostics when the file is in scope.
func (r *reporter) keep(inScope bool) []diag.Diagnostic {
	if !inScope {
		return nil
	}
	return r.diags
}

// Calendars checks the calendars at paths for a command that works on
// their posts (publish, stats, doctor): it keeps the posts, leaves out the
// rule that compares them with the journal, and refuses a charter with
// errors (a *load.UsageError).
func Calendars(ctx context.Context, dir string, paths []string) (*Result, error) {
	return CalendarsIn(ctx, dir, paths, nil)
}

// LoadCalendars is Calendars without the rules (Options.LoadOnly): the
// posts as a command that only reads them (report) needs them, in a
// fraction of the time of a check.
func LoadCalendars(ctx context.Context, dir string, paths []string) (*Result, error) {
	res, err := Run(ctx, Options{Dir: dir, Paths: paths, KeepPosts: true, LoadOnly: true})
	if err != nil {
		return nil, err
	}
	if res.ConfigError {
		return nil, &load.UsageError{Err: errors.New("the charter has errors: fix them first (herald check shows them)")}
	}
	return res, nil
}

// CalendarsIn is Calendars with the posts' diagnostics in the language
// that language chooses from each charter's locale (nil: English), as
// Options.Language.
func CalendarsIn(ctx context.Context, dir string, paths []string, language func(charterLocale string) *i18n.Printer) (*Result, error) {
	res, err := Run(ctx, Options{Dir: dir, Paths: paths, KeepPosts: true, SkipPublished: true, Language: language})
	if err != nil {
		return nil, err
	}
	if res.ConfigError {
		return nil, &load.UsageError{Err: errors.New("the charter has errors: fix them first (herald check shows them)")}
	}
	return res, nil
}
