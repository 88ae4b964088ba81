package preview_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/internal/browsertest"
	"github.com/herald-social/herald/pipeline/preview"
)

// TestBrowser opens the site of the example calendar, plus a post whose
// body holds a <script> and an <img onerror>, in headless Chromium: the
// calendar shows each post on its day, the network filter hides posts, the
// hostile post runs nothing, and a screenshot is saved. The site is in the
// charter's language, French, as herald preview writes it: the pages say
// lang="fr", dates and counts read as in French.
func TestBrowser(t *testing.T) {
	t.Parallel()
	browsertest.Require(t)
	cal := filepath.Join(t.TempDir(), "calendar")
	if err := os.CopyFS(cal, os.DirFS("../../example-calendar")); err != nil {
		t.Fatal(err)
	}
	hostile, err := os.ReadFile("testdata/site/calendar/posts/2026/12/piege.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cal, "posts", "2026", "12", "piege.md"), hostile, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), check.Options{Dir: cal, KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	fr := printerOf(t, res)
	if fr.Lang() != "fr" {
		t.Fatalf("the example calendar speaks %s, want fr", fr.Lang())
	}
	site := filepath.Join(t.TempDir(), "site")
	if err := preview.WriteSite(site, res, preview.SiteOptions{Printer: fr}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()

	ctx := browsertest.New(t)
	var dialogs atomic.Int32
	err = chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventJavascriptDialogOpening); ok {
			dialogs.Add(1)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{}) //nolint:errcheck // counted above
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	// Before any page script: count alert calls and CSP violations.
	const hook = `window.__herald = {alerts: 0, violations: []};
window.alert = function () { window.__herald.alerts++; };
document.addEventListener('securitypolicyviolation', function (e) { window.__herald.violations.push(e.violatedDirective + ' ' + e.blockedURI); });`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hook}); err != nil {
		t.Fatal(err)
	}

	t.Run("calendar", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/index.html"),
			chromedp.WaitVisible(chromedp.ID("filters")), // site.js ran under the page's CSP
		)
		if err != nil {
			t.Fatal(err)
		}
		days, err := chromedp.Run(ctx, chromedp.Evaluate[map[string][]string](`(() => {
				const days = {};
				for (const a of document.querySelectorAll('.day[data-date] a.post')) {
					(days[a.closest('.day').dataset.date] ||= []).push(a.getAttribute('href'));
				}
				return days;
			})()`))
		if err != nil {
			t.Fatal(err)
		}
		for date, href := range map[string]string{
			"2026-12-01": "posts/noel-2026/avent-1.html",
			"2026-11-02": "posts/2026/11/movember-lancement.html",
			"2026-12-05": "posts/2026/12/piege.html",
		} {
			if !slices.Contains(days[date], href) {
				t.Errorf("%s shows %q, not %s", date, days[date], href)
			}
		}
		if diff := cmp.Diff(expectedDays(res), days); diff != "" {
			t.Errorf("posts by day (-want +got):\n%s", diff)
		}
		screenshot(t, ctx, "calendar.png")
	})

	t.Run("filter", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/index.html"),
			chromedp.WaitVisible(chromedp.ID("filters")),
			chromedp.SetValue(chromedp.CSS(`select[name="network"]`), "linkedin"),
		)
		if err != nil {
			t.Fatal(err)
		}
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			document.querySelector('select[name="network"]').dispatchEvent(new Event('change', {bubbles: true}));
			return [...document.querySelectorAll('a.post')].filter(a => a.offsetParent !== null).map(a => a.getAttribute('href'));
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		want := postsOn(res, "linkedin")
		if len(want) == 0 || len(want) == len(res.Calendars[0].Posts) {
			t.Fatalf("the example calendar should have some posts on LinkedIn and some not: %d of %d", len(want), len(res.Calendars[0].Posts))
		}
		slices.Sort(shown)
		if diff := cmp.Diff(want, shown); diff != "" {
			t.Errorf("posts shown with network=linkedin (-want +got):\n%s", diff)
		}
		screenshot(t, ctx, "calendar-linkedin.png")
	})

	t.Run("in French", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/posts/noel-2026/avent-1.html"),
			chromedp.WaitVisible(chromedp.CSS(".card")),
		)
		if err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`({
			page: document.documentElement.lang,
			cards: document.querySelector('.cards').lang,
			date: document.querySelector('.meta time').textContent,
			back: document.querySelector('nav a').textContent,
		})`))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"page": "fr", "cards": "fr-FR",
			"date": "mardi 1er décembre 2026, 09:00 CET", // the post's date: 2026-12-01 09:00, Europe/Paris
			"back": "← Calendrier",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("the French post page (-want +got):\n%s", diff)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/index.html"), chromedp.WaitVisible(chromedp.ID("filters"))); err != nil {
			t.Fatal(err)
		}
		months, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.month h2')].map(h => h.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(months, "Décembre 2026") {
			t.Errorf("the calendar's months are %q, want one of them Décembre 2026", months)
		}
	})

	t.Run("hostile post runs nothing", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate(srv.URL+"/posts/2026/12/piege.html"),
			chromedp.WaitVisible(chromedp.CSS(".card")),
			chromedp.Sleep(300*time.Millisecond), // let an image fail and a handler fire, were there one
		)
		if err != nil {
			t.Fatal(err)
		}
		state, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
			Alerts     int      `json:"alerts"`
			Violations []string `json:"violations"`
		}](`window.__herald`))
		if err != nil {
			t.Fatal(err)
		}
		inline, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script:not([src]), img[src="x"], [onerror]').length`))
		if err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".card.net-bluesky .text")))
		if err != nil {
			t.Fatal(err)
		}
		if state.Alerts != 0 || dialogs.Load() != 0 {
			t.Errorf("the post ran script: %d alert calls, %d dialogs", state.Alerts, dialogs.Load())
		}
		if len(state.Violations) > 0 {
			t.Errorf("the page tried what its CSP forbids: %q", state.Violations)
		}
		if inline != 0 {
			t.Errorf("the page has %d inline scripts, img src=x or onerror attributes", inline)
		}
		for _, s := range []string{"<script>alert(1)</script>", "<img src=x onerror=alert(1)>"} {
			if !strings.Contains(text, s) {
				t.Errorf("the post does not show %q as text: %q", s, text)
			}
		}
		screenshot(t, ctx, "hostile-post.png")
	})

	t.Run("live reload", func(t *testing.T) {
		live := filepath.Join(t.TempDir(), "calendar")
		if err := os.CopyFS(live, os.DirFS("testdata/site/calendar")); err != nil {
			t.Fatal(err)
		}
		site := filepath.Join(t.TempDir(), "site")
		build := func() error {
			res, err := check.Run(context.Background(), check.Options{Dir: live, KeepPosts: true})
			if err != nil {
				return err
			}
			return preview.WriteSite(site, res, preview.SiteOptions{LiveReload: true})
		}
		if err := build(); err != nil {
			t.Fatal(err)
		}
		base := serve(t, build, site, live)
		if err := chromedp.Do(ctx,
			chromedp.Navigate(base+"/posts/2026/11/lancement.html"),
			chromedp.WaitVisible(chromedp.CSS(".card")),
			chromedp.Sleep(200*time.Millisecond), // let the page open its event stream
		); err != nil {
			t.Fatal(err)
		}
		post := filepath.Join(live, "posts", "2026", "11", "lancement.md")
		content, err := os.ReadFile(post)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(post, []byte(strings.ReplaceAll(string(content), "la moustache", "la barbe")), 0o644); err != nil {
			t.Fatal(err)
		}
		// The page reloads itself: nothing here navigates again.
		deadline := time.Now().Add(20 * time.Second)
		for {
			reloaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body !== null && document.body.textContent.includes('la barbe')`))
			if err == nil && reloaded {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the page did not reload with the changed post (last error: %v)", err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("from the file system", func(t *testing.T) {
		err := chromedp.Do(ctx,
			chromedp.Navigate("file://"+filepath.ToSlash(site)+"/index.html"),
			chromedp.WaitVisible(chromedp.ID("filters")),
		)
		if err != nil {
			t.Fatal(err)
		}
		shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("shown")))
		if err != nil {
			t.Fatal(err)
		}
		n := len(res.Calendars[0].Posts)
		if want := fmt.Sprintf("%d sur %d publications", n, n); shown != want {
			t.Errorf("the filters say %q, want %q", shown, want)
		}
	})
}

// screenshot saves a screenshot of the whole page into $HERALD_SCREENSHOT_DIR,
// or a temporary folder, and logs where.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("HERALD_SCREENSHOT_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, name)
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", file)
}

// expectedDays is each post's page by its day in the charter's time zone.
func expectedDays(res *check.Result) map[string][]string {
	days := map[string][]string{}
	for _, cal := range res.Calendars {
		for _, p := range cal.Posts {
			if p.When.IsZero() {
				continue
			}
			day := p.When.In(cal.Charter.Location).Format("2006-01-02")
			days[day] = append(days[day], "posts/"+strings.TrimPrefix(p.ID, "posts/")+".html")
		}
	}
	for _, pages := range days {
		slices.Sort(pages)
	}
	return days
}

// postsOn is the page of each post that names an account of the network.
func postsOn(res *check.Result, network string) []string {
	var pages []string
	for _, cal := range res.Calendars {
		for _, p := range cal.Posts {
			for _, n := range p.Networks {
				if a := cal.Charter.Accounts[n.Value]; a != nil && a.Network == network {
					pages = append(pages, "posts/"+strings.TrimPrefix(p.ID, "posts/")+".html")
					break
				}
			}
		}
	}
	slices.Sort(pages)
	return pages
}

// serve runs preview.Serve on a free port of the loopback interface until
// the test ends, and returns its address.
func serve(t *testing.T, build func() error, site, calendar string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- preview.Serve(ctx, "127.0.0.1:0", build, site, []string{calendar}, w, nil)
		w.Close()
	}()
	logged := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		<-logged
	})
	addrs := make(chan string, 1)
	go func() {
		defer close(logged)
		defer close(addrs)
		lines := bufio.NewScanner(logs)
		for lines.Scan() {
			if addr := regexp.MustCompile(`http://\S+/`).FindString(lines.Text()); addr != "" {
				select {
				case addrs <- addr:
				default:
				}
			}
			t.Log(lines.Text())
		}
	}()
	addr, ok := <-addrs
	if !ok {
		t.Fatal("Serve ended before it said where it serves")
	}
	return strings.TrimSuffix(addr, "/")
}
