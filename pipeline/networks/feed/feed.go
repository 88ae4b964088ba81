// Package feed is the feed channel: an Atom 1.0 feed (RFC 4287), a file of
// the calendar at the account's path, with an entry per published post,
// newest first. It needs no credentials; the engine commits the file with
// the post's state, and any static host serves it.
//
// The feed keeps its newest entries, up to the account's max_entries
// (DefaultMaxEntries, 100, when the charter does not say): feed readers
// poll the file and want it small, and a calendar's whole history would
// grow it without end. An older entry is dropped from the file, not from
// the journal, which keeps the post published.
//
// A run's publications to a feed cost one read and one write of its file:
// the engine gives them all to PublishAll (networks.Batcher), which
// decodes the feed once, adds every entry and encodes it once.
package feed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/state"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
)

// DefaultMaxEntries is how many entries a feed keeps when its account
// sets no max_entries: what feed readers expect of a feed they poll.
const DefaultMaxEntries = 100

// Options are what a feed needs beyond its account.
type Options struct {
	Store networks.Store // the calendar, where the feed file is
	// Brand is the charter's brand: the feed's author, and its title when
	// the account has none.
	Brand string
	// Self is the address the feed is served at, for its rel="self" link;
	// "" leaves the link out (the charter does not say it).
	Self string
}

// Feed publishes to the Atom feed of one feed account.
type Feed struct {
	account string
	name    string // the feed file, slash-separated, below the calendar root
	title   string
	link    *url.URL // the account's link: the site; nil when it has none
	id      string   // the feed's id
	max     int      // the most entries the file keeps, newest first
	opts    Options
	mu      sync.Mutex
}

var (
	_ networks.Publisher = (*Feed)(nil)
	_ networks.Batcher   = (*Feed)(nil)
)

// New returns the channel of a feed account.
func New(a *load.Account, o Options) (*Feed, error) {
	if a.Network != "feed" {
		return nil, fmt.Errorf("account %s is a %s account, not a feed", a.Key, a.Network)
	}
	if o.Store == nil {
		return nil, errors.New("feed: no Store to write the feed into")
	}
	name, err := networks.JoinName(a.Path, "")
	if err != nil || strings.HasSuffix(a.Path, "/") {
		return nil, fmt.Errorf("account %s: path %q must name a file inside the calendar, such as public/feed.xml", a.Key, a.Path)
	}
	if a.MaxEntries < 0 {
		return nil, fmt.Errorf("account %s: max_entries %d must be a number of entries, at least 1 (default %d)", a.Key, a.MaxEntries, DefaultMaxEntries)
	}
	f := &Feed{account: a.Key, name: name, title: cmp.Or(a.Title, o.Brand, a.Key), max: cmp.Or(a.MaxEntries, DefaultMaxEntries), opts: o}
	if a.Link != "" {
		u, err := url.Parse(a.Link)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
			return nil, fmt.Errorf("account %s: link %q must be the site's address, such as https://example.com", a.Key, a.Link)
		}
		f.link = u
	}
	// The feed's id must never change (RFC 4287 §4.2.6): the site's
	// address when there is one, else a UUID from where the feed is.
	f.id = uuidURN("herald feed " + a.Key + " " + name)
	if f.link != nil {
		f.id = f.link.String()
	}
	return f, nil
}

// entryID is an entry's id, the same on every run: a tag: URI (RFC 4151)
// on the site's host and the year of the post's date, in UTC so that the
// zone the date is given in does not matter; else a UUID.
func (f *Feed) entryID(postID string, when time.Time) string {
	if f.link == nil {
		return uuidURN(f.id + "\x00" + postID)
	}
	segments := strings.Split(postID, "/")
	for i, s := range segments {
		segments[i] = url.PathEscape(s)
	}
	return "tag:" + strings.ToLower(f.link.Hostname()) + "," + strconv.Itoa(when.UTC().Year()) + ":" + strings.Join(segments, "/")
}

// MaxEntries is how many entries the feed keeps, newest first.
func (f *Feed) MaxEntries() int { return f.max }

// Publish adds the post's entry to the feed, or replaces it when its
// content changed, and writes the feed as one step (through the Store).
// Publishing the same content again writes nothing.
func (f *Feed) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	results, errs := f.PublishAll(ctx, []networks.Publication{p})
	return results[0], errs[0]
}

// PublishAll publishes each of ps as Publish does, reading the feed once
// and writing it once (networks.Batcher): a run's backlog costs as much
// as one post. The feed then keeps its newest max_entries entries. A
// publication that cannot be rendered fails alone; a feed that cannot be
// read or written fails them all.
func (f *Feed) PublishAll(ctx context.Context, ps []networks.Publication) ([]networks.Result, []error) {
	results, errs := make([]networks.Result, len(ps)), make([]error, len(ps))
	failAll := func(err error, which []int) ([]networks.Result, []error) {
		for _, i := range which {
			results[i], errs[i] = networks.Result{}, err
		}
		return results, errs
	}
	all := make([]int, len(ps))
	for i := range all {
		all[i] = i
	}
	if err := ctx.Err(); err != nil {
		return failAll(err, all)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	doc, err := f.read()
	if err != nil {
		return failAll(err, all)
	}
	index := make(map[string]int, len(doc.Entries)+len(ps)) // entry id → its place in doc.Entries
	for i, e := range doc.Entries {
		if _, ok := index[e.ID]; !ok {
			index[e.ID] = i
		}
	}
	var written []int // the publications that change the file
	for i, p := range ps {
		if err := networks.CheckName(p.PostID); err != nil {
			errs[i] = f.permanent(fmt.Errorf("post id %w", err))
			continue
		}
		e, err := f.entry(p)
		if err != nil {
			errs[i] = err
			continue
		}
		results[i] = f.result(e.ID, p)
		j, ok := index[e.ID]
		switch {
		case !ok:
			index[e.ID] = len(doc.Entries)
			doc.Entries = append(doc.Entries, e)
		case sameEntry(doc.Entries[j], e):
			continue
		default:
			// Changed content is an update (RFC 4287 §4.2.15): now.
			if p.At.After(e.Updated) {
				e.Updated = p.At
			}
			doc.Entries[j] = e
		}
		written = append(written, i)
	}
	if len(written) == 0 {
		return results, errs
	}
	f.fill(doc)
	data, err := encodeFeed(doc)
	if err != nil {
		return failAll(f.permanent(err), written)
	}
	if err := f.opts.Store.WriteFile(f.name, data); err != nil {
		return failAll(f.permanent(err), written)
	}
	for _, i := range written {
		results[i].Files = []string{f.name}
	}
	return results, errs
}

// Lookup finds the post's entry in the feed by its id.
func (f *Feed) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if err := ctx.Err(); err != nil {
		return networks.Result{}, false, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	doc, err := f.read()
	if err != nil {
		return networks.Result{}, false, err
	}
	id := f.entryID(p.PostID, p.When)
	if !slices.ContainsFunc(doc.Entries, func(e *atomEntry) bool { return e.ID == id }) {
		return networks.Result{}, false, nil
	}
	return f.result(id, p), true, nil
}

// Stats is not something a feed has.
func (f *Feed) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	return nil, &networks.Error{Kind: networks.Unsupported, Account: f.account,
		Err: fmt.Errorf("a feed has no engagement: %w", networks.ErrUnsupported)}
}

func (f *Feed) result(id string, p networks.Publication) networks.Result {
	r := networks.Result{IDs: []string{id}}
	if p.Link != "" {
		r.URLs = []string{p.Link}
	}
	return r
}

func (f *Feed) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: f.account, Err: err}
}

// read returns the feed file as it is, or a new feed when there is none.
func (f *Feed) read() (*atomFeed, error) {
	data, err := f.opts.Store.ReadFile(f.name)
	if errors.Is(err, fs.ErrNotExist) {
		return &atomFeed{}, nil
	}
	if err != nil {
		return nil, f.permanent(err)
	}
	doc, err := decodeFeed(data)
	if err != nil {
		return nil, f.permanent(fmt.Errorf("%s is not an Atom feed herald can read (%v): restore it from git, or delete it to start the feed again", f.name, err))
	}
	return doc, nil
}

// fill sets what the feed says of itself from the account, sorts the
// entries newest first and keeps the newest max of them.
func (f *Feed) fill(doc *atomFeed) {
	doc.ID = f.id
	doc.Title = f.title
	doc.Links = nil
	doc.Author = atomPerson{Name: cmp.Or(f.opts.Brand, f.title)}
	if f.link != nil {
		doc.Links = append(doc.Links, atomLink{Rel: "alternate", Type: "text/html", Href: f.link.String()})
		doc.Author.URI = f.link.String()
	}
	if f.opts.Self != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: f.opts.Self})
	}
	doc.Generator = &atomGenerator{URI: "https://github.com/herald-social/herald", Name: "Herald"}
	slices.SortStableFunc(doc.Entries, func(a, b *atomEntry) int {
		return cmp.Or(b.Published.Compare(a.Published), strings.Compare(a.ID, b.ID))
	})
	if len(doc.Entries) > f.max {
		clear(doc.Entries[f.max:])
		doc.Entries = doc.Entries[:f.max]
	}
	// The feed changed when its latest entry did: the same entries make
	// the same file, whenever it is written.
	doc.Updated = time.Time{}
	for _, e := range doc.Entries {
		if e.Updated.After(doc.Updated) {
			doc.Updated = e.Updated
		}
	}
}

// entry is the post's entry: its HTML parts, then its media, as the
// content; each medium also as an enclosure link.
func (f *Feed) entry(p networks.Publication) (*atomEntry, error) {
	e := &atomEntry{
		Lang:      p.Lang,
		ID:        f.entryID(p.PostID, p.When),
		Updated:   p.When,
		Published: p.When,
		Content:   atomContent{Type: "html"},
	}
	if p.Link != "" {
		e.Links = append(e.Links, atomLink{Rel: "alternate", Type: "text/html", Href: p.Link})
	}
	var body []string
	for _, part := range p.Parts {
		body = append(body, part.Text)
		for _, m := range part.Media {
			href, err := f.href(m.Path)
			if err != nil {
				return nil, err
			}
			var size int64
			if p.Files != nil {
				fi, err := fs.Stat(p.Files, m.Path)
				if err != nil {
					return nil, f.permanent(fmt.Errorf("medium %s: %w", m.Path, err))
				}
				size = fi.Size()
			}
			e.Links = append(e.Links, atomLink{Rel: "enclosure", Type: m.MIME, Href: href, Title: m.Alt, Length: size})
			body = append(body, mediumHTML(m, href))
		}
	}
	e.Content.Body = strings.Join(body, "\n")
	e.Title = cmp.Or(strings.TrimSpace(p.Title), firstLine(p.Parts), p.PostID)
	return e, nil
}

// href is a medium's address relative to the feed file: readers resolve
// it against the feed's own address, so the feed and the calendar's media
// must be served together, as they are in the repository.
func (f *Feed) href(medium string) (string, error) {
	rel, err := filepath.Rel(filepath.FromSlash(path.Dir(f.name)), filepath.FromSlash(medium))
	if err != nil {
		return "", f.permanent(err)
	}
	return (&url.URL{Path: filepath.ToSlash(rel)}).String(), nil
}

func mediumHTML(m networks.Medium, href string) string {
	if strings.HasPrefix(m.MIME, "image/") {
		return `<p><img src="` + attrEscaper.Replace(href) + `" alt="` + attrEscaper.Replace(m.Alt) + `"></p>`
	}
	label := cmp.Or(m.Alt, path.Base(m.Path))
	return `<p><a href="` + attrEscaper.Replace(href) + `">` + html.EscapeString(label) + `</a></p>`
}

// attrEscaper escapes a double-quoted attribute value with named entities:
// html.EscapeString's numeric &#34; is valid HTML, but feed readers'
// sanitizers (Python's feedparser) end the attribute at it.
var attrEscaper = strings.NewReplacer(`&`, "&amp;", `<`, "&lt;", `>`, "&gt;", `"`, "&quot;")

// sameEntry reports whether two entries say the same, whenever updated.
func sameEntry(a, b *atomEntry) bool {
	return a.Lang == b.Lang && a.Title == b.Title && a.Published.Equal(b.Published) &&
		slices.Equal(a.Links, b.Links) && a.Content == b.Content
}

// Open makes the feed of an account for the registry (networks.Open): it
// writes into env.Store.
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, Options{Store: env.Store, Brand: env.Brand})
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return c, nil
}
