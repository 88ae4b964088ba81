package report

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/browsertest"
)

// TestBrowser opens the French HTML report in headless Chromium: the page
// is in French (lang="fr"), every chart loads and renders at its size
// under the page's Content-Security-Policy, which nothing violates.
func TestBrowser(t *testing.T) {
	t.Parallel()
	browsertest.Require(t)
	r := fixture(t, Options{NowText: "2026-12-02 09:00"})
	p, _ := i18n.New("fr")
	dir := filepath.Join(t.TempDir(), "reports", "2026-11")
	if _, err := WriteFiles(r, p, "html", dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	ctx := browsertest.New(t)
	const hook = `window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });`
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hook}); err != nil {
		t.Fatal(err)
	}
	type page struct {
		Lang       string   `json:"lang"`
		Title      string   `json:"title"`
		Images     []string `json:"images"` // every image's src
		Broken     []string `json:"broken"` // those not loaded or drawn with no width
		Violations []string `json:"violations"`
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/index.html"),
		chromedp.WaitVisible(chromedp.CSS("h1")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`)); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({
  lang: document.documentElement.lang,
  title: document.querySelector('h1').textContent,
  images: Array.from(document.images).map(i => i.getAttribute('src')),
  broken: Array.from(document.images).filter(i => i.naturalWidth === 0 || i.getBoundingClientRect().width === 0).map(i => i.getAttribute('src')),
  violations: window.__violations,
})`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Lang != "fr" || !strings.Contains(got.Title, "bilan de novembre 2026") {
		t.Errorf("lang %q, title %q: want fr and « bilan de novembre 2026 »", got.Lang, got.Title)
	}
	if len(got.Images) != 4 || len(got.Broken) > 0 {
		t.Errorf("images %v, of which not rendered %v: want 4, all rendered", got.Images, got.Broken)
	}
	if len(got.Violations) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", got.Violations)
	}
}
