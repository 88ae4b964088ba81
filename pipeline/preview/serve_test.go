package preview

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
)

// TestServe serves the site of a calendar, changes a post, adds a post in a
// new folder, and expects each time a reload event and the rebuilt page.
func TestServe(t *testing.T) {
	t.Parallel()
	cal := copyCalendar(t, "testdata/site/calendar")
	site := filepath.Join(t.TempDir(), "site")
	build := func() error {
		res, err := check.Run(context.Background(), check.Options{Dir: cal, KeepPosts: true})
		if err != nil {
			return err
		}
		return WriteSite(site, res, SiteOptions{LiveReload: true})
	}
	if err := build(); err != nil {
		t.Fatal(err)
	}
	logs := &lineWriter{lines: make(chan string, 100)}
	fr, _ := i18n.New("fr-FR") // what Serve logs is in the charter's language
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, "127.0.0.1:0", build, site, []string{cal}, logs, fr) }()
	defer func() {
		cancel()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not return after its context was cancelled")
		}
	}()
	var base string
	select {
	case line := <-logs.lines:
		m := regexp.MustCompile(`http://\S+/`).FindString(line)
		if m == "" || !strings.HasPrefix(line, "aperçu servi à http://") {
			t.Fatalf("Serve logged %q, not its address in French", line)
		}
		base = strings.TrimSuffix(m, "/")
	case err := <-served:
		t.Fatalf("Serve: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not start")
	}

	page := base + "/posts/2026/11/lancement.html"
	if body := get(t, page); !strings.Contains(body, "la moustache") || !strings.Contains(body, `src="/_herald/reload.js"`) {
		t.Fatalf("the served page lacks the post's text or the reload script:\n%s", body)
	}
	if body := get(t, base+"/_herald/reload.js"); !strings.Contains(body, "EventSource") {
		t.Errorf("reload.js is %q", body)
	}

	events := subscribe(t, ctx, base+"/_herald/events")

	post := filepath.Join(cal, "posts", "2026", "11", "lancement.md")
	content, err := os.ReadFile(post)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(post, []byte(strings.ReplaceAll(string(content), "la moustache", "la barbe")), 0o644); err != nil {
		t.Fatal(err)
	}
	expectReload(t, events)
	if body := get(t, page); !strings.Contains(body, "la barbe") {
		t.Errorf("the page was not rebuilt after the post changed:\n%s", body)
	}

	// A new folder is watched as soon as it appears.
	dir := filepath.Join(cal, "posts", "2027", "01")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * debounce) // let the watcher add the folder before the post lands in it
	expectReload(t, events)
	newPost := "---\ndate: 2027-01-04 10:00\nnetworks: [mastodon]\ntags: [produit]\ntitle: Bonne année\n---\nBonne année !\n"
	if err := os.WriteFile(filepath.Join(dir, "bonne-annee.md"), []byte(newPost), 0o644); err != nil {
		t.Fatal(err)
	}
	expectReload(t, events)
	if body := get(t, base+"/"); !strings.Contains(body, `data-date="2027-01-04"`) || !strings.Contains(body, "Bonne année") {
		t.Errorf("the calendar does not show the new post:\n%s", body)
	}
}

func expectReload(t *testing.T, events <-chan string) {
	t.Helper()
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				t.Fatal("the event stream ended")
			}
			if ev == "reload" {
				return
			}
		case <-time.After(20 * time.Second):
			t.Fatal("no reload event after the calendar changed")
		}
	}
}

// subscribe opens the event stream and sends the name of each event it
// receives, once the server has said it is listening.
func subscribe(t *testing.T, ctx context.Context, url string) <-chan string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("events: %s, Content-Type %q", resp.Status, ct)
	}
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), ":") {
		t.Fatalf("events: the stream does not start with a comment: %q", lines.Text())
	}
	events := make(chan string, 10)
	go func() {
		defer close(events)
		defer resp.Body.Close()
		for lines.Scan() {
			if name, ok := strings.CutPrefix(lines.Text(), "event: "); ok {
				events <- name
			}
		}
	}()
	return events
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s %v", url, resp.Status, err)
	}
	return string(b)
}

// lineWriter sends each line written to it.
type lineWriter struct{ lines chan string }

func (w *lineWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		select {
		case w.lines <- line:
		default:
		}
	}
	return len(p), nil
}

// copyCalendar copies a calendar into a new folder and returns its path.
func copyCalendar(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "calendar")
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	return to
}
