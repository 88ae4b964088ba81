package preview

import (
	"cmp"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// The site's templates, style sheet and scripts. The templates are parsed
// once; html/template escapes every value by the context it lands in, so
// that a post's text, title or alt text can never become markup.
//
//go:embed site
var siteFiles embed.FS

var siteTemplates = template.Must(template.ParseFS(siteFiles, "site/*.html"))

// siteMarker marks a folder as written by WriteSite: only such a folder is
// ever emptied before a new site is written into it.
const siteMarker = ".herald-preview"

// ErrNotSite is a folder WriteSite refuses to write into: it holds files,
// and no site that WriteSite wrote before.
var ErrNotSite = errors.New("the folder is not empty and holds no site of herald preview: give a new or empty folder")

// SiteOptions shapes the HTML site.
type SiteOptions struct {
	// LiveReload adds to every page the script that reloads it when Serve
	// has rebuilt the site.
	LiveReload bool
	Workers    int // files written at once; 0: one per CPU
	// Printer writes the site's words, dates and numbers, and its pages'
	// lang; nil is English. The posts' own text keeps the charter's
	// locale as its lang.
	Printer *i18n.Printer
	// Reports are pages the site carries beside the calendar, one per
	// month of a calendar: herald report's, which cmd/herald makes.
	Reports []SiteReport
}

// SiteReport is a page made outside the preview (herald report's, for one
// month of one calendar) that the site writes under reports/MONTH/ and
// links from that month of its calendar.
type SiteReport struct {
	Root  string // the calendar's root, as in check.Calendar
	Month string // 2026-11, in the charter's time zone
	// Files makes the page's files, by name: dir is the absolute folder
	// they go in, home the calendar's index relative to it, and postPage
	// a post's page relative to it ("" when the site has no page for it).
	Files func(dir, home string, postPage func(postID string) string) (map[string][]byte, error)
}

// WriteSite writes the preview of the checked calendars as a static site
// into dir: index.html, a month-by-month calendar of the posts with filters
// by network, tag and campaign; posts/ID.html, a page per post with a card
// per account as the network will show it and what check found; the media
// the posts use, copied below media/; the pages of opts.Reports below
// reports/; and one style sheet and one script. The pages work from the
// file system as well as from a server.
//
// dir must be new, empty, or a site WriteSite wrote before, which is then
// replaced: files of the old site that the new one does not have are
// removed, and no other folder's files are ever touched.
//
// Each post is rendered as its page is written, in parallel, and what it
// was rendered to let go with its page.
func WriteSite(dir string, res *check.Result, opts SiteOptions) error {
	rewrite, err := checkDir(dir)
	if err != nil {
		return err
	}
	s, err := newSite(res, opts)
	if err != nil {
		return err
	}
	jobs := newSiteJobs()
	jobs.add("index.html", func(w *siteWorker) error {
		return w.write(dir, "index.html", rewrite, func(w io.Writer) error {
			return siteTemplates.ExecuteTemplate(w, "index.html", s.index())
		})
	})
	for _, name := range []string{"style.css", "site.js"} {
		jobs.add(name, func(w *siteWorker) error {
			return w.write(dir, name, rewrite, func(w io.Writer) error {
				b, err := siteFiles.ReadFile("site/" + name)
				if err == nil {
					_, err = w.Write(b)
				}
				return err
			})
		})
	}
	for _, p := range s.posts {
		jobs.add(p.page, func(w *siteWorker) error {
			return w.write(dir, p.page, rewrite, func(w io.Writer) error {
				return siteTemplates.ExecuteTemplate(w, "post.html", s.postPage(p))
			})
		})
	}
	reports, err := s.reportFiles(dir)
	if err != nil {
		return err
	}
	for rel, data := range reports {
		jobs.add(rel, func(w *siteWorker) error {
			return w.write(dir, rel, rewrite, func(w io.Writer) error {
				_, err := w.Write(data)
				return err
			})
		})
	}
	for _, m := range s.media.copies() {
		jobs.add(m.rel, func(*siteWorker) error { return copyFile(m.abs, filepath.Join(dir, filepath.FromSlash(m.rel))) })
	}
	for _, d := range jobs.dirs() {
		if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	if err := jobs.run(opts.Workers); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, siteMarker), []byte("written by herald preview --format html; the whole folder is replaced on each run\n"), 0o644); err != nil {
		return err
	}
	return removeStale(dir, jobs.files)
}

// site is what the pages are made of: every post in scope with the
// calendar it belongs to and its page.
type site struct {
	opts      SiteOptions
	title     string
	posts     []*sitePost
	campaigns map[string]campaignView // by key, across calendars
	media     *siteMedia
	other     []diag.Diagnostic // about no post with a page: the charter, posts that could not be read
	p         *i18n.Printer
	words     *siteWords
	reports   map[string][]reportLink         // by month (2026-11)
	assets    map[string]template.HTML        // by the path from a page to the site's root
	heads     map[*load.Account]template.HTML // of the cards
}

type sitePost struct {
	*check.Post
	cal  *check.Calendar
	page string // posts/ID.html
}

func newSite(res *check.Result, opts SiteOptions) (*site, error) {
	p := printerOr(opts.Printer)
	s := &site{
		opts: opts, campaigns: map[string]campaignView{}, media: newSiteMedia(len(res.Calendars) > 1),
		assets: map[string]template.HTML{}, heads: map[*load.Account]template.HTML{},
		p: p, words: newSiteWords(p),
	}
	var err error
	partial := func(name string, data any) template.HTML {
		var b strings.Builder
		if e := siteTemplates.ExecuteTemplate(&b, name, data); e != nil {
			err = cmpErr(err, e)
		}
		return template.HTML(b.String()) // escaped by html/template, for the context it goes in
	}
	type assets struct {
		Root       string
		LiveReload bool
	}
	s.assets[""] = partial("assets", assets{"", opts.LiveReload})
	var brands, campaigns []string
	pages := map[string]bool{}
	paths := map[string]bool{}
	for _, cal := range res.Calendars {
		if !slices.Contains(brands, cal.Charter.Brand) {
			brands = append(brands, cal.Charter.Brand)
		}
		for key, c := range cal.Charter.Campaigns {
			if _, ok := s.campaigns[key]; !ok {
				campaigns = append(campaigns, key)
				s.campaigns[key] = campaignView{Key: key, Title: cmp.Or(c.Title, key)}
			}
		}
		for _, a := range cal.Charter.Accounts {
			s.heads[a] = partial("cardhead", newCardHead(p, cal, a))
		}
		for _, p := range cal.Posts {
			sp := &sitePost{Post: p, cal: cal, page: uniquePage(pages, p.ID)}
			if root := strings.Repeat("../", strings.Count(sp.page, "/")); s.assets[root] == "" {
				s.assets[root] = partial("assets", assets{root, opts.LiveReload})
			}
			s.posts = append(s.posts, sp)
			paths[p.Path] = true
			s.media.add(cal, p)
		}
	}
	slices.Sort(campaigns)
	for i, key := range campaigns {
		c := s.campaigns[key]
		c.Class = fmt.Sprintf("camp-%d", i%12)
		s.campaigns[key] = c
	}
	for _, d := range res.Diagnostics {
		if !paths[d.Path] {
			s.other = append(s.other, d)
		}
	}
	s.title = strings.Join(brands, " · ")
	if s.title == "" {
		s.title = "Herald"
	}
	return s, err
}

// siteWords are the words of the site's pages in the printer's language,
// written once per site. Weekdays go from Monday, as the grid does.
type siteWords struct {
	Lang                                       string // the pages' lang: the printer's language
	Network, Tag, Campaign                     string
	AllNetworks, AllTags, AllCampaigns, NoCamp string
	Problems, Undated, Errors, Warnings        string
	Calendar, NoDate, Draft                    string
	NoAlt, NoAccount                           string
	Gap                                        string // a day of a silence longer than max_silence
	Weekdays                                   []string
}

func newSiteWords(p *i18n.Printer) *siteWords {
	t := func(id string) string { return p.T("preview.site."+id, nil) }
	w := &siteWords{
		Lang: p.Lang(), Network: t("filter.network"), Tag: t("filter.tag"), Campaign: t("filter.campaign"),
		AllNetworks: t("filter.all-networks"), AllTags: t("filter.all-tags"), AllCampaigns: t("filter.all-campaigns"),
		NoCamp: t("filter.no-campaign"), Problems: t("problems"), Undated: t("undated"), Errors: t("errors"),
		Warnings: t("warnings"), Calendar: t("calendar"), NoDate: t("no-date"), Draft: t("draft"),
		NoAlt: p.T("preview.no-alt", nil), NoAccount: t("no-account"),
		Gap: t("gap"),
	}
	for d := range 7 {
		w.Weekdays = append(w.Weekdays, p.WeekdayShort(time.Weekday((d+1)%7)))
	}
	return w
}

// uniquePage returns the page of a post: posts/ID.html, without the
// "posts/" most ids start with said twice, each segment of the id made
// safe as a file name, and a suffix when two posts share a page (check
// reports two posts with one id).
func uniquePage(taken map[string]bool, id string) string {
	return uniqueName(taken, "posts/"+safePath(strings.TrimPrefix(id, "posts/")), ".html")
}

// uniqueName returns base+ext, or base~N+ext when that is taken, as folders
// that do not tell case apart see it.
func uniqueName(taken map[string]bool, base, ext string) string {
	name := base + ext
	for n := 2; taken[strings.ToLower(name)]; n++ {
		name = fmt.Sprintf("%s~%d%s", base, n, ext)
	}
	taken[strings.ToLower(name)] = true
	return name
}

// safePath makes each segment of a slash-separated path a plain file name
// that needs no escaping in a URL: letters, digits, "-", "_" and ".", and
// never "." or "..".
func safePath(p string) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		seg = strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
				return r
			}
			return '_'
		}, seg)
		if seg == "" || seg == "." || seg == ".." {
			seg = "_"
		}
		segs[i] = seg
	}
	return strings.Join(segs, "/")
}
