// Package browsertest starts headless Chromium for the tests that look at
// Herald's HTML as a browser shows it (the preview site, the report).
package browsertest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Chromium is Debian's Chromium, which .ci/run installs.
const Chromium = "/usr/bin/chromium"

// Require skips the test when Chromium is not installed, and fails it
// under CI=true, where .ci/run must have installed it.
func Require(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: CI must install chromium (see .ci/run)", Chromium)
		}
		t.Skipf("%s is missing (apt-get install chromium): browser test skipped", Chromium)
	}
}

// New starts headless Chromium with the flags this machine needs (no
// sandbox, no GPU, no network of its own) and a profile of its own, for
// two minutes at most, stopped when the test ends.
func New(t *testing.T) context.Context {
	t.Helper()
	Require(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1024),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), 2*time.Minute)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", Chromium, err)
	}
	return ctx
}
