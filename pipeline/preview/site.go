package preview

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
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
}

// WriteSite writes the preview of the checked calendars as a static site
// into dir: index.html, a month-by-month calendar of the posts with filters
// by network, tag and campaign; posts/ID.html, a page per post with a card
// per account as the network will show it and what check found; the media
// the posts use, copied below media/; and one style sheet and one script.
// The pages work from the file system as well as from a server.
//
// dir must be new, empty, or a site WriteSite wrote before, which is then
// replaced: files of the old site that the new one does not have are
// removed, and no other folder's files are ever touched.
func WriteSite(dir string, res *check.Result, entries []Entry, opts SiteOptions) error {
	rewrite, err := checkDir(dir)
	if err != nil {
		return err
	}
	s, err := newSite(res, entries, opts)
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

// checkDir makes dir, unless it exists already and is empty or a site
// written before (rewrite): WriteSite replaces no other folder's files.
func checkDir(dir string) (rewrite bool, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("creating the site folder: %w", err)
	}
	if _, err := os.Stat(filepath.Join(dir, siteMarker)); err == nil {
		return true, nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, fmt.Errorf("reading the site folder: %w", err)
	}
	defer f.Close()
	if names, _ := f.Readdirnames(1); len(names) > 0 {
		return false, fmt.Errorf("%s: %w", dir, ErrNotSite)
	}
	return false, nil
}

// removeStale removes the files of a previous site that this one did not
// write, and the folders left empty. Writing over the files that stay,
// rather than emptying the folder first, keeps the site whole for a browser
// while it is rebuilt, and spares the file system thousands of inodes.
func removeStale(dir string, written map[string]bool) error {
	var empty []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if rel != "." {
				empty = append(empty, path)
			}
		case rel != siteMarker && !written[rel]:
			return os.Remove(path)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("removing the old site's files: %w", err)
	}
	for _, d := range slices.Backward(empty) {
		os.Remove(d) // only succeeds when empty
	}
	return nil
}

// siteWorker writes files of the site, one at a time: it renders each
// into a buffer it reuses, then writes it in one go.
type siteWorker struct {
	out bytes.Buffer
	old []byte
}

// write renders one file of the site and writes it, unless, when the site
// is rewritten, the file already holds exactly that: a rebuild then
// touches only the pages that changed.
func (w *siteWorker) write(dir, rel string, rewrite bool, render func(io.Writer) error) error {
	w.out.Reset()
	if err := render(&w.out); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	file := filepath.Join(dir, filepath.FromSlash(rel))
	if rewrite && w.holds(file, w.out.Bytes()) {
		return nil
	}
	if err := os.WriteFile(file, w.out.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	return nil
}

// holds reports whether file holds exactly b.
func (w *siteWorker) holds(file string, b []byte) bool {
	f, err := os.Open(file)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || fi.Size() != int64(len(b)) {
		return false
	}
	w.old = slices.Grow(w.old[:0], len(b))[:len(b)]
	_, err = io.ReadFull(f, w.old)
	return err == nil && bytes.Equal(w.old, b)
}

// copyFile puts a medium into the site: a hard link to it when the site is
// on the same file system (a calendar's media are many and large), else a
// copy. A copy or link a previous run made is kept while it is the same
// size and age. An old file is removed before its replacement is made, so
// that writing the site never writes through a link into the calendar.
func copyFile(from, to string) error {
	fi, err := os.Stat(from)
	if err != nil {
		return err
	}
	if old, err := os.Lstat(to); err == nil {
		if old.Mode().IsRegular() && old.Size() == fi.Size() && old.ModTime().Equal(fi.ModTime()) {
			return nil
		}
		if err := os.Remove(to); err != nil {
			return err
		}
	}
	if os.Link(from, to) == nil {
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copying %s: %w", from, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Chtimes(to, fi.ModTime(), fi.ModTime())
}

// siteJobs are the files to write, by folder: a worker writes a whole
// folder at a time, as two processes creating files in the same folder
// wait on each other in the kernel.
type siteJobs struct {
	byDir map[string][]func(*siteWorker) error
	files map[string]bool
}

func newSiteJobs() *siteJobs {
	return &siteJobs{byDir: map[string][]func(*siteWorker) error{}, files: map[string]bool{}}
}

func (j *siteJobs) add(file string, job func(*siteWorker) error) {
	d := path.Dir(file)
	j.byDir[d] = append(j.byDir[d], job)
	j.files[file] = true
}

// dirs returns the folders the files go in.
func (j *siteJobs) dirs() []string {
	return sortedKeys(j.byDir)
}

// run runs the jobs on a few workers, the largest folders first, and
// returns the first error.
func (j *siteJobs) run(workers int) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	groups := make([][]func(*siteWorker) error, 0, len(j.byDir))
	for _, d := range j.dirs() {
		groups = append(groups, j.byDir[d])
	}
	slices.SortStableFunc(groups, func(a, b []func(*siteWorker) error) int { return len(b) - len(a) })
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	for range min(workers, len(groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := &siteWorker{}
			for {
				i := int(next.Add(1)) - 1
				if i >= len(groups) {
					return
				}
				for _, job := range groups[i] {
					if err := job(w); err != nil {
						mu.Lock()
						first = cmpErr(first, err)
						mu.Unlock()
						next.Store(int64(len(groups))) // stop the others
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// site is what the pages are made of: every post in scope with the
// calendar it belongs to, its entries and its page.
type site struct {
	opts      SiteOptions
	title     string
	posts     []*sitePost
	campaigns map[string]campaignView // by key, across calendars
	media     *siteMedia
	other     []diag.Diagnostic // about no post with a page: the charter, posts that could not be read
	lang      string
	assets    map[string]template.HTML        // by the path from a page to the site's root
	heads     map[*load.Account]template.HTML // of the cards
}

type sitePost struct {
	*check.Post
	cal     *check.Calendar
	entries []Entry
	page    string // posts/ID.html
}

func newSite(res *check.Result, entries []Entry, opts SiteOptions) (*site, error) {
	s := &site{
		opts: opts, campaigns: map[string]campaignView{}, media: newSiteMedia(len(res.Calendars) > 1),
		assets: map[string]template.HTML{}, heads: map[*load.Account]template.HTML{},
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
	byPost := map[*check.Post][]Entry{}
	for _, e := range entries {
		byPost[e.Post] = append(byPost[e.Post], e)
	}
	var brands, campaigns []string
	pages := map[string]bool{}
	paths := map[string]bool{}
	for _, cal := range res.Calendars {
		if !slices.Contains(brands, cal.Charter.Brand) {
			brands = append(brands, cal.Charter.Brand)
		}
		if s.lang == "" {
			s.lang = cal.Charter.Locale
		}
		for key, c := range cal.Charter.Campaigns {
			if _, ok := s.campaigns[key]; !ok {
				campaigns = append(campaigns, key)
				s.campaigns[key] = campaignView{Key: key, Title: cmpStr(c.Title, key)}
			}
		}
		for _, a := range cal.Charter.Accounts {
			s.heads[a] = partial("cardhead", newCardHead(cal, a))
		}
		for _, p := range cal.Posts {
			sp := &sitePost{Post: p, cal: cal, entries: byPost[p], page: uniquePage(pages, p.ID)}
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

// uniquePage returns the page of a post: posts/ID.html, each segment of the
// id made safe as a file name, and a suffix when two posts share an id
// (check reports that).
func uniquePage(taken map[string]bool, id string) string {
	return uniqueName(taken, "posts/"+safePath(id), ".html")
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

func cmpStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
