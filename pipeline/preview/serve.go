package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/herald-social/herald/pipeline/i18n"
)

// debounce is how long the calendar must stay still after a change before
// the site is rebuilt: an editor's save is often several writes and renames.
const debounce = 100 * time.Millisecond

// Serve serves the site in dir over HTTP on addr, and rebuilds it with
// build each time a file changes below one of the watch folders (the
// calendars), telling every open page to reload. The caller builds the site
// once before. Pages reload through Server-Sent Events at /_herald/events,
// which the script /_herald/reload.js listens to (WriteSite adds it with
// SiteOptions.LiveReload). A failed rebuild is logged and leaves the pages
// as they were. Serve returns when ctx is done. What it logs is in p's
// language (nil: English).
func Serve(ctx context.Context, addr string, build func() error, dir string, watch []string, log io.Writer, p *i18n.Printer) error {
	p = printerOr(p)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serving the preview: %w", err)
	}
	s := newLiveSite(dir, build, log)
	s.p = p
	watcher, err := s.watch(watch)
	if err != nil {
		ln.Close()
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.run(ctx, watcher)
		// Close, not Shutdown: a page's live-reload stream never ends by
		// itself, and a preview stops at once on Ctrl+C or SIGTERM.
		srv.Close() //nolint:errcheck // the server is going away either way
	}()
	fmt.Fprintln(log, p.T("preview.serve.serving", i18n.Args{"URL": "http://" + ln.Addr().String() + "/"}))
	err = srv.Serve(ln)
	cancel()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// liveSite serves a site folder and tells the open pages when it has been
// rebuilt.
type liveSite struct {
	dir   string
	build func() error
	log   io.Writer
	p     *i18n.Printer
	files http.Handler

	mu      sync.Mutex
	clients map[chan struct{}]bool
}

func newLiveSite(dir string, build func() error, log io.Writer) *liveSite {
	return &liveSite{dir: dir, build: build, log: log, files: http.FileServer(http.Dir(dir)), clients: map[chan struct{}]bool{}}
}

func (s *liveSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_herald/events":
		s.events(w, r)
	case "/_herald/reload.js":
		b, _ := siteFiles.ReadFile("site/reload.js")
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b) //nolint:errcheck // the client went away
	default:
		w.Header().Set("Cache-Control", "no-store") // a reload shows the rebuilt file
		w.Header().Set("X-Content-Type-Options", "nosniff")
		s.files.ServeHTTP(w, r)
	}
}

// events streams a "reload" event each time the site is rebuilt.
func (s *liveSite) events(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming is not supported", http.StatusInternalServerError)
		return
	}
	ch := make(chan struct{}, 1)
	s.mu.Lock()
	s.clients[ch] = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, ch)
		s.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	io.WriteString(w, ": herald preview\n\n") //nolint:errcheck // seen on the next write
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ch:
			if _, err := io.WriteString(w, "event: reload\ndata: rebuilt\n\n"); err != nil {
				return
			}
			flusher.Flush()
		}
	}
}

// reload tells every open page to reload.
func (s *liveSite) reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.clients {
		select {
		case ch <- struct{}{}:
		default: // a reload is already pending for that page
		}
	}
}

// watch starts watching every folder below the roots, but the site's own
// folder and hidden folders (.git).
func (s *liveSite) watch(roots []string) (*fsnotify.Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watching the calendar: %w", err)
	}
	for _, root := range roots {
		if err := s.addTree(w, root); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

func (s *liveSite) addTree(w *fsnotify.Watcher, root string) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path != root && errors.Is(err, fs.ErrNotExist) {
				return nil // gone meanwhile
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if path != root && s.ignored(path) {
			return filepath.SkipDir
		}
		if err := w.Add(path); err != nil {
			return fmt.Errorf("watching %s: %w", path, err)
		}
		return nil
	})
}

// ignored reports whether a change at path says nothing about the
// calendar: the site itself, hidden files (.git, editors' swap files) and
// backups.
func (s *liveSite) ignored(path string) bool {
	if within(s.dir, path) {
		return true
	}
	base := filepath.Base(path)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~")
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	dir, err1 := filepath.Abs(dir)
	path, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// run rebuilds the site after changes, debounced, until ctx is done.
func (s *liveSite) run(ctx context.Context, w *fsnotify.Watcher) {
	defer w.Close()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-w.Errors:
			fmt.Fprintln(s.log, s.p.T("preview.serve.watch-error", i18n.Args{"Error": err}))
		case ev := <-w.Events:
			if s.ignored(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if fi, err := os.Stat(ev.Name); err == nil && fi.IsDir() {
					if err := s.addTree(w, ev.Name); err != nil {
						fmt.Fprintf(s.log, "%v\n", err)
					}
				}
			}
			timer.Reset(debounce)
		case <-timer.C:
			start := time.Now()
			if err := s.build(); err != nil {
				fmt.Fprintln(s.log, s.p.T("preview.serve.rebuild-error", i18n.Args{"Error": err}))
				continue
			}
			ms := time.Since(start).Milliseconds()
			fmt.Fprintln(s.log, s.p.T("preview.serve.rebuilt", i18n.Args{"Milliseconds": s.p.Int(ms)}))
			s.reload()
		}
	}
}
