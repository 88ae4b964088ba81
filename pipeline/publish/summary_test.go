package publish_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish"
)

// TestWriteMarkdown runs publish on the fixture in the situations a step
// summary must tell apart, and compares its Markdown with
// testdata/summary/<case>.md (-update rewrites them).
func TestWriteMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		now     string
		drop    []string          // posts of the fixture left out
		files   map[string]string // added to the fixture
		fail    error             // what the mastodon account's Publish returns
		lookup  error             // what the network's Lookup returns
		dryRun  bool
		event   string
		failed  bool // Report.Failed
		nothing bool // no outcome
	}{
		// avent-1 is due 5 minutes ago: published, not late.
		{name: "published", now: "2026-12-01 09:05", drop: []string{"posts/veille.md"}, event: "schedule"},
		// avent-1 and avent-2 went out 1h and 30m late, from a scheduled
		// run; avent-2 had failed on mastodon in an earlier run.
		{name: "late", drop: []string{"posts/veille.md"}, event: "schedule", files: map[string]string{
			"state/posts/avent-2.json": `{"accounts": {"mastodon": {"status": "failed", "reason": "HTTP 503: Service Unavailable", "ids": [], "stats": []}}}`,
		}},
		// veille is a day late: past max_lateness.
		{name: "missed", event: "workflow_dispatch", failed: true},
		// Mastodon refuses the posts; the message holds what would break
		// the table.
		{name: "failed", drop: []string{"posts/veille.md"}, failed: true,
			fail: &networks.Error{Kind: networks.Permanent, Account: "mastodon", Status: 422,
				Err: errors.New("POST /api/v1/statuses: Validation failed: Text | is <too long>\nsee the limit")}},
		// An earlier run's intent on mastodon, abandoned long ago, and a
		// network that can never tell whether it went out (Telegram's
		// bots): a person must look.
		{name: "unconfirmed", drop: []string{"posts/veille.md", "posts/avent-2.md"}, failed: true, files: map[string]string{
			"state/posts/avent-1.json": `{"accounts": {"mastodon": {"status": "publishing", "run": "20261201T080000Z-gone", "publishing_since": "2026-12-01T08:00:00Z", "ids": [], "stats": []}}}`,
		}, lookup: &networks.Error{Kind: networks.Unsupported, Account: "mastodon",
			Err: errors.New("the network cannot read its history, so Herald cannot tell whether it went out")}},
		{name: "nothing-due", now: "2026-11-29 08:00", nothing: true},
		{name: "dry-run", dryRun: true, failed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := calendar()
			for _, name := range tc.drop {
				delete(files, name)
			}
			for name, content := range tc.files {
				files[name] = content
			}
			n := newNetwork(t)
			if tc.fail != nil {
				n.fail["mastodon"] = tc.fail
			}
			n.lookupErr = tc.lookup
			opts := options(newCalendar(t, files), n)
			if tc.now != "" {
				opts.NowText = tc.now
			}
			opts.DryRun = tc.dryRun
			rep := run(t, opts)
			if rep.Failed() != tc.failed || (len(rep.Outcomes) == 0) != tc.nothing {
				t.Errorf("Failed() = %v with %d outcomes: %v", rep.Failed(), len(rep.Outcomes), outcomes(rep))
			}
			var b bytes.Buffer
			if err := publish.WriteMarkdown(&b, rep, publish.MarkdownOptions{DryRun: tc.dryRun, Event: tc.event}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join("testdata", "summary", tc.name+".md"), b.Bytes())
		})
	}

	t.Run("could-not-start", func(t *testing.T) {
		var b bytes.Buffer
		err := &load.UsageError{Err: errors.New("the charter has errors: fix them first (herald check shows them)")}
		if err := publish.WriteMarkdown(&b, nil, publish.MarkdownOptions{Err: err}); err != nil {
			t.Fatal(err)
		}
		checkGolden(t, filepath.Join("testdata", "summary", "could-not-start.md"), b.Bytes())
	})
}

// golden compares got with the file, or writes it with -update.
func checkGolden(t *testing.T, file string, got []byte) {
	t.Helper()
	golden.Check(t, file, got)
}
