package publish_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// PNG is the start of a PNG file: enough for the MIME sniffer.
const png = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

// calendar is the fixture: at now, avent-1 (a thread with an image, a
// variant for bluesky, on two networks and both channels) and avent-2 are
// due, avent-3 is upcoming, veille is missed (a day late, max_lateness is
// 6h) and brouillon is a draft.
func calendar() map[string]string {
	return map[string]string{
		"charter.yaml": `brand: Maison Test
timezone: Europe/Paris
locale: fr-FR
accounts:
  mastodon: {network: mastodon, server: https://social.example}
  bluesky:  {network: bluesky, handle: maison.example.com}
  x:        {network: x}
  feed:     {network: feed, path: public/feed.xml, title: Maison Test, link: https://maison.example}
  outbox:   {network: outbox, dir: outbox}
editorial_line:
  produit: {description: Nos créations}
cadence:
  max_lateness: 6h
`,
		"media/avent-1.png": png,
		"posts/avent-1.md": `---
date: 2026-12-01 09:00
networks: [mastodon, bluesky, feed, outbox]
tags: [produit]
title: Avent, jour 1
media:
  - src: ../media/avent-1.png
    alt: Une boîte de l'Avent ouverte
variants:
  bluesky: Jour 1 sur Bluesky.
---
Jour 1 : la **première** case.

---

La suite demain.
`,
		"posts/avent-2.md": `---
date: 2026-12-01T09:30:00+01:00
networks: [mastodon, outbox]
tags: [produit]
---
Jour 2.
`,
		"posts/avent-3.md": `---
date: 2026-12-03 09:00
networks: [mastodon, outbox]
tags: [produit]
---
Jour 3.
`,
		"posts/veille.md": `---
date: 2026-11-30 09:00
networks: [mastodon]
tags: [produit]
---
Demain, l'Avent.
`,
		"posts/brouillon.md": `---
date: 2026-12-01 09:00
networks: [mastodon]
tags: [produit]
status: draft
---
À relire.
`,
	}
}

const now = "2026-12-01 10:00"

// published is the text each due post must reach the networks with: the
// preview's text (herald preview shows the same).
var published = map[string][]string{
	"posts/avent-1": {"Jour 1 : la première case.", "La suite demain."},
	"posts/avent-2": {"Jour 2."},
}

func newNetwork(t *testing.T) *fakeNetwork {
	n := newFakeNetwork(t.Errorf, published)
	n.wantFor["posts/avent-1 bluesky"] = []string{"Jour 1 sur Bluesky."}
	return n
}

// wall is the wall clock of the tests: the journal's times and the lease.
var wall = time.Date(2026, 12, 1, 9, 0, 30, 0, time.UTC)

func options(dir string, n *fakeNetwork) publish.Options {
	return publish.Options{
		Dir:        dir,
		NowText:    now,
		Wall:       func() time.Time { return wall },
		Publishers: n.publishers("x"),
		Getenv:     func(string) string { return "" },
	}
}

// newCalendar writes files into a new folder, outside git.
func newCalendar(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "calendar")
	gittest.WriteFiles(t, dir, files)
	return dir
}

// newRepository makes a git repository holding files, committed by a
// person, and returns its root.
func newRepository(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := newCalendar(t, files)
	gittest.Git(t, dir, "init", "-q", "-b", "main")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "the calendar")
	return dir
}

func run(t *testing.T, opts publish.Options) *publish.Report {
	t.Helper()
	rep, err := publish.Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("publish.Run: %v", err)
	}
	return rep
}

// outcomes lists a report's outcomes as "what post on account", sorted.
func outcomes(rep *publish.Report) []string {
	var out []string
	for _, o := range rep.Outcomes {
		out = append(out, fmt.Sprintf("%s %s on %s", o.What, o.PostID, o.Account))
	}
	slices.Sort(out)
	return out
}

// readJSON reads a JSON object from a file of the calendar.
func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decodeJSON(t, path, data)
}

func decodeJSON(t *testing.T, name string, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, data)
	}
	return m
}

// accountState is accounts.<key> of a state file, checked against SPEC's
// contract: status, ids and stats are always there.
func accountState(t *testing.T, file map[string]any, key string) map[string]any {
	t.Helper()
	accounts, ok := file["accounts"].(map[string]any)
	if !ok {
		t.Fatalf("state file without accounts: %v", file)
	}
	a, ok := accounts[key].(map[string]any)
	if !ok {
		t.Fatalf("state file without accounts.%s: %v", key, file)
	}
	for _, field := range []string{"status", "ids", "stats"} {
		if _, ok := a[field]; !ok {
			t.Errorf("accounts.%s has no %s: %v", key, field, a)
		}
	}
	if _, ok := a["ids"].([]any); !ok {
		t.Errorf("accounts.%s.ids is not an array: %v", key, a["ids"])
	}
	if _, ok := a["stats"].([]any); !ok {
		t.Errorf("accounts.%s.stats is not an array: %v", key, a["stats"])
	}
	return a
}

func strings_(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestNothingDue(t *testing.T) {
	for _, inGit := range []bool{false, true} {
		t.Run(map[bool]string{false: "outside git", true: "in git"}[inGit], func(t *testing.T) {
			var dir, head string
			if inGit {
				dir = newRepository(t, calendar())
				head = gittest.Git(t, dir, "rev-parse", "HEAD")
			} else {
				dir = newCalendar(t, calendar())
			}
			n := newNetwork(t)
			opts := options(dir, n)
			opts.NowText = "2026-11-10 10:00" // everything is more than 7 days ahead
			rep := run(t, opts)
			if len(rep.Outcomes) != 0 || rep.Failed() || len(rep.Commits) != 0 {
				t.Errorf("outcomes %v, failed %v, commits %v: want none", outcomes(rep), rep.Failed(), rep.Commits)
			}
			if len(n.records()) != 0 {
				t.Errorf("the network got %v", n.records())
			}
			if _, err := os.Stat(filepath.Join(dir, "state")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("state/ was written: %v", err)
			}
			if inGit {
				if got := gittest.Git(t, dir, "rev-parse", "HEAD"); got != head {
					t.Errorf("HEAD moved from %s to %s", head, got)
				}
				if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
					t.Errorf("git status:\n%s", got)
				}
			}
		})
	}
}

func TestPublishDue(t *testing.T) {
	dir := newCalendar(t, calendar())
	n := newNetwork(t)
	var log bytes.Buffer
	opts := options(dir, n)
	opts.Log = &log
	rep := run(t, opts)

	want := []string{
		"missed posts/veille on mastodon",
		"published posts/avent-1 on bluesky",
		"published posts/avent-1 on feed",
		"published posts/avent-1 on mastodon",
		"published posts/avent-1 on outbox",
		"published posts/avent-2 on mastodon",
		"published posts/avent-2 on outbox",
		"skipped posts/brouillon on mastodon",
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if !rep.Failed() {
		t.Error("Failed() = false with a missed post")
	}
	// Outside git, the journal is in state/ and nothing is committed.
	if rep.Repository != "" || len(rep.Commits) != 0 || rep.Pushed {
		t.Errorf("outside git: repository %q, commits %v, pushed %v", rep.Repository, rep.Commits, rep.Pushed)
	}
	if !strings.Contains(log.String(), "not in a git repository") {
		t.Errorf("the log does not say that nothing is committed:\n%s", log.String())
	}

	recs := n.records()
	if len(recs) != 3 {
		t.Fatalf("the network has %d publications, want 3: %v", len(recs), recs)
	}
	byPost := map[string]*fakeRecord{}
	for key, r := range recs {
		byPost[r.Post+" "+r.Account] = r
		if r.Publishes != 1 {
			t.Errorf("%s published %d times", key, r.Publishes)
		}
	}

	// The state files, as SPEC's contract has them.
	avent1 := readJSON(t, filepath.Join(dir, "state/posts/avent-1.json"))
	for _, key := range []string{"mastodon", "bluesky"} {
		a := accountState(t, avent1, key)
		r := byPost["posts/avent-1 "+key]
		if a["status"] != "published" || !slices.Equal(strings_(a["ids"]), r.IDs) || len(a["stats"].([]any)) != 0 {
			t.Errorf("accounts.%s = %v, want published with ids %v and no stats", key, a, r.IDs)
		}
		if a["digest"] != r.Digest || !keyPattern.MatchString(a["idempotency_key"].(string)) {
			t.Errorf("accounts.%s: digest %v, key %v", key, a["digest"], a["idempotency_key"])
		}
		if a["published_at"] != "2026-12-01T10:00:00+01:00" {
			t.Errorf("accounts.%s.published_at = %v, want --now", key, a["published_at"])
		}
		if _, ok := a["run"]; ok {
			t.Errorf("accounts.%s keeps its intent's run: %v", key, a)
		}
	}
	if a := accountState(t, avent1, "outbox"); a["status"] != "published" || !slices.Equal(strings_(a["ids"]), []string{"outbox/posts/avent-1.json"}) {
		t.Errorf("accounts.outbox = %v", a)
	}
	if a := accountState(t, avent1, "feed"); a["status"] != "published" {
		t.Errorf("accounts.feed = %v", a)
	}
	veille := accountState(t, readJSON(t, filepath.Join(dir, "state/posts/veille.json")), "mastodon")
	if veille["status"] != "missed" || !strings.Contains(veille["reason"].(string), "max_lateness") {
		t.Errorf("veille: %v, want missed with the reason", veille)
	}
	for _, id := range []string{"avent-3", "brouillon"} {
		if _, err := os.Stat(filepath.Join(dir, "state/posts", id+".json")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s has a state file: %v", id, err)
		}
	}

	// The outbox file, as SPEC's contract has it.
	out := readJSON(t, filepath.Join(dir, "outbox/posts/avent-1.json"))
	for _, field := range []string{"post", "account", "parts", "media", "published_at"} {
		if _, ok := out[field]; !ok {
			t.Errorf("the outbox file has no %s: %v", field, out)
		}
	}
	if out["post"] != "posts/avent-1" || out["account"] != "outbox" || out["published_at"] != "2026-12-01T10:00:00+01:00" {
		t.Errorf("outbox file: %v", out)
	}
	if got := strings_(out["parts"]); !slices.Equal(got, []string{"Jour 1 : la première case.\n\nLa suite demain."}) {
		t.Errorf("outbox parts = %q", got)
	}
	media := out["media"].([]any)
	if len(media) != 1 || media[0].(map[string]any)["path"] != "media/avent-1.png" || media[0].(map[string]any)["alt"] != "Une boîte de l'Avent ouverte" {
		t.Errorf("outbox media = %v", media)
	}
	feed, err := os.ReadFile(filepath.Join(dir, "public/feed.xml"))
	if err != nil || !bytes.Contains(feed, []byte("&lt;strong&gt;première")) {
		t.Errorf("feed: %v\n%s", err, feed)
	}

	// A second run finds nothing to do: nothing is published twice, the
	// missed post is not journaled again.
	before := snapshot(t, dir)
	rep = run(t, opts)
	if got := outcomes(rep); !slices.Equal(got, []string{"skipped posts/brouillon on mastodon"}) {
		t.Errorf("second run: %v", got)
	}
	if rep.Failed() {
		t.Error("second run: Failed() = true: the missed post was reported by the first run")
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("the second run changed files (-before +after):\n%s", diff)
	}
	if len(n.records()) != 3 {
		t.Errorf("second run: the network has %d publications", len(n.records()))
	}
}

// snapshot reads every file below dir, but .git.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)] = string(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestFailingAccountDoesNotStopOthers(t *testing.T) {
	dir := newCalendar(t, calendar())
	n := newNetwork(t)
	refusal := &networks.Error{Kind: networks.Permanent, Account: "bluesky", Status: 400, Err: errors.New("InvalidRequest: record is invalid")}
	n.fail["bluesky"] = refusal
	rep := run(t, options(dir, n))

	if !rep.Failed() {
		t.Error("Failed() = false with a failed account")
	}
	var failed []publish.Outcome
	for _, o := range rep.Outcomes {
		if o.What == "failed" {
			failed = append(failed, o)
		}
	}
	if len(failed) != 1 || failed[0].Account != "bluesky" || !errors.Is(failed[0].Err, refusal) {
		t.Fatalf("failed outcomes: %+v", failed)
	}
	if got := len(n.records()); got != 2 {
		t.Errorf("the network has %d publications, want mastodon's 2", got)
	}
	file := readJSON(t, filepath.Join(dir, "state/posts/avent-1.json"))
	b := accountState(t, file, "bluesky")
	if b["status"] != "failed" || b["reason"] != refusal.Error() {
		t.Errorf("accounts.bluesky = %v, want failed with %q", b, refusal.Error())
	}
	attempts, _ := b["attempts"].([]any)
	if len(attempts) != 1 || attempts[0].(map[string]any)["kind"] != "permanent" || attempts[0].(map[string]any)["error"] != refusal.Error() {
		t.Errorf("accounts.bluesky.attempts = %v", attempts)
	}
	for _, key := range []string{"mastodon", "feed", "outbox"} {
		if a := accountState(t, file, key); a["status"] != "published" {
			t.Errorf("accounts.%s = %v, want published", key, a)
		}
	}
}

func TestNotConfiguredAccountIsSkipped(t *testing.T) {
	files := calendar()
	delete(files, "posts/veille.md")
	files["posts/avent-2.md"] = strings.Replace(files["posts/avent-2.md"], "[mastodon, outbox]", "[mastodon, x, outbox]", 1)
	dir := newCalendar(t, files)
	n := newNetwork(t)
	rep := run(t, options(dir, n))
	var skipped []publish.Outcome
	for _, o := range rep.Outcomes {
		if o.Account == "x" {
			skipped = append(skipped, o)
		}
	}
	if len(skipped) != 1 || skipped[0].What != "skipped" || !strings.Contains(skipped[0].Reason, "not configured") || !strings.Contains(skipped[0].Reason, "HERALD_X_TOKEN") {
		t.Errorf("x: %+v, want skipped as not configured, naming HERALD_X_TOKEN", skipped)
	}
	if rep.Failed() {
		t.Errorf("Failed() = true: %v", outcomes(rep))
	}
	file := readJSON(t, filepath.Join(dir, "state/posts/avent-2.json"))
	if _, ok := file["accounts"].(map[string]any)["x"]; ok {
		t.Errorf("x is journaled: %v", file)
	}
	if a := accountState(t, file, "mastodon"); a["status"] != "published" {
		t.Errorf("mastodon: %v", a)
	}
}

func TestDryRunChangesNothing(t *testing.T) {
	dir := newRepository(t, calendar())
	head := gittest.Git(t, dir, "rev-parse", "HEAD")
	before := snapshot(t, dir)
	n := newNetwork(t)
	opts := options(dir, n)
	opts.DryRun = true
	rep := run(t, opts)
	want := []string{
		"missed posts/veille on mastodon",
		"skipped posts/brouillon on mastodon",
		"would-publish posts/avent-1 on bluesky",
		"would-publish posts/avent-1 on feed",
		"would-publish posts/avent-1 on mastodon",
		"would-publish posts/avent-1 on outbox",
		"would-publish posts/avent-2 on mastodon",
		"would-publish posts/avent-2 on outbox",
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Errorf("outcomes (-want +got):\n%s", diff)
	}
	if len(n.records()) != 0 || len(rep.Commits) != 0 {
		t.Errorf("dry run: the network got %v, commits %v", n.records(), rep.Commits)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("dry run changed files (-before +after):\n%s", diff)
	}
	if got := gittest.Git(t, dir, "rev-parse", "HEAD"); got != head {
		t.Errorf("dry run moved HEAD")
	}
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("git status:\n%s", got)
	}
}

// TestLocalCommits runs publish with --no-push in a repository whose
// calendar is a folder of it: the journal is committed on the local
// branch, by herald, with messages that say what happened, and the
// checkout stays clean.
func TestLocalCommits(t *testing.T) {
	files := map[string]string{"README.md": "Nos marques.\n"}
	for name, content := range calendar() {
		files["brands/maison/"+name] = content
	}
	root := newRepository(t, files)
	dir := filepath.Join(root, "brands/maison")
	gittest.WriteFiles(t, root, map[string]string{"notes.txt": "an untracked file of someone's\n"})
	n := newNetwork(t)
	opts := options(dir, n)
	opts.NoPush = true
	rep := run(t, opts)

	if len(rep.Commits) != 2 || rep.Pushed || !strings.HasSuffix(rep.Repository, "(main)") {
		t.Fatalf("commits %v, pushed %v, repository %q: want 2 local commits on main", rep.Commits, rep.Pushed, rep.Repository)
	}
	log := gittest.Git(t, root, "log", "--format=%h|%an <%ae>|%cn <%ce>|%B%x00")
	entries := strings.Split(strings.TrimRight(log, "\x00\n"), "\x00")
	if len(entries) != 3 {
		t.Fatalf("git log:\n%s", log)
	}
	wantMessages := []string{
		// newest first
		"herald: published 2 posts on 4 accounts\n\n" +
			"- posts/avent-1 on bluesky: https://social.example/@maison/bluesky-1-1\n" +
			"- posts/avent-1 on feed\n" +
			"- posts/avent-1 on mastodon: https://social.example/@maison/mastodon-2-1\n" +
			"- posts/avent-1 on outbox\n" +
			"- posts/avent-2 on mastodon: https://social.example/@maison/mastodon-3-1\n" +
			"- posts/avent-2 on outbox",
		"herald: publishing 2 posts on 4 accounts, 1 missed\n\n" +
			"- posts/avent-1 on bluesky\n" +
			"- posts/avent-1 on feed\n" +
			"- posts/avent-1 on mastodon\n" +
			"- posts/avent-1 on outbox\n" +
			"- posts/avent-2 on mastodon\n" +
			"- posts/avent-2 on outbox\n" +
			"- posts/veille on mastodon: missed: due at 2026-11-30 09:00 CET, found at 2026-12-01 10:00 CET, 1d1h late: more than max_lateness 6h",
	}
	for i, want := range wantMessages {
		fields := strings.SplitN(strings.TrimSpace(entries[i]), "|", 4)
		if fields[0] != rep.Commits[1-i] {
			t.Errorf("commit %d is %s, the report says %s", i, fields[0], rep.Commits[1-i])
		}
		if fields[1] != "herald <herald@users.noreply.github.com>" || fields[2] != fields[1] {
			t.Errorf("commit %s: author %q, committer %q", fields[0], fields[1], fields[2])
		}
		if diff := cmp.Diff(want, strings.TrimSpace(fields[3])); diff != "" {
			t.Errorf("commit %s message (-want +got):\n%s", fields[0], diff)
		}
	}
	changed := gittest.Git(t, root, "diff", "--name-only", "HEAD~2", "HEAD")
	wantChanged := "brands/maison/outbox/posts/avent-1.json\nbrands/maison/outbox/posts/avent-1.txt\n" +
		"brands/maison/outbox/posts/avent-2.json\nbrands/maison/outbox/posts/avent-2.txt\n" +
		"brands/maison/public/feed.xml\n" +
		"brands/maison/state/posts/avent-1.json\nbrands/maison/state/posts/avent-2.json\nbrands/maison/state/posts/veille.json\n"
	if diff := cmp.Diff(wantChanged, changed); diff != "" {
		t.Errorf("files herald committed (-want +got):\n%s", diff)
	}
	// The intents commit holds intents only: nothing was published yet.
	intent := decodeJSON(t, "intent", []byte(gittest.Git(t, root, "show", "HEAD~1:brands/maison/state/posts/avent-1.json")))
	if a := accountState(t, intent, "mastodon"); a["status"] != "publishing" || a["run"] == nil || a["publishing_since"] != "2026-12-01T09:00:30Z" {
		t.Errorf("intent: %v", a)
	}
	if out, err := gittest.GitErr(t, root, "cat-file", "-e", "HEAD~1:brands/maison/outbox/posts/avent-1.json"); err == nil {
		t.Errorf("the outbox was written with the intents: %s", out)
	}
	// The checkout follows the branch: herald's files are committed, the
	// person's untracked file is left alone.
	if got := gittest.Git(t, root, "status", "--porcelain"); got != "?? notes.txt\n" {
		t.Errorf("git status:\n%s", got)
	}
	head := decodeJSON(t, "head", []byte(gittest.Git(t, root, "show", "HEAD:brands/maison/state/posts/avent-1.json")))
	disk := readJSON(t, filepath.Join(dir, "state/posts/avent-1.json"))
	if diff := cmp.Diff(head, disk); diff != "" {
		t.Errorf("the worktree's state file differs from HEAD's:\n%s", diff)
	}

	// Again: nothing to commit.
	rep = run(t, opts)
	if len(rep.Commits) != 0 {
		t.Errorf("a run with nothing due committed %v", rep.Commits)
	}
	if got := strings.Count(gittest.Git(t, root, "log", "--format=%h"), "\n"); got != 3 {
		t.Errorf("%d commits after a run with nothing due, want 3", got)
	}
}

// TestEditedAfterPublish: a post edited after publish published it is not
// published again, and check, which renders it as publish does, warns for
// each account at the text that changed.
func TestEditedAfterPublish(t *testing.T) {
	files := calendar()
	delete(files, "posts/veille.md")
	dir := newCalendar(t, files)
	n := newNetwork(t)
	opts := options(dir, n)
	run(t, opts)

	res, err := check.Run(context.Background(), check.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "post.edited-after-publish" {
			t.Errorf("before any edit: %v", d)
		}
	}

	gittest.WriteFiles(t, dir, map[string]string{"posts/avent-2.md": strings.Replace(files["posts/avent-2.md"], "Jour 2.", "Jour 2, corrigé.", 1)})
	n.want["posts/avent-2"] = []string{"Jour 2, corrigé."}
	rep := run(t, opts)
	if got := outcomes(rep); !slices.Equal(got, []string{"skipped posts/brouillon on mastodon"}) {
		t.Errorf("after the edit, publish: %v", got)
	}
	if len(n.records()) != 3 {
		t.Errorf("the edited post was published again: %v", n.records())
	}

	res, err = check.Run(context.Background(), check.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range res.Diagnostics {
		if d.Rule == "post.edited-after-publish" {
			got = append(got, fmt.Sprintf("%s:%d:%d: %s: %s", d.Path, d.Line, d.Column, d.Severity, d.Message))
		}
	}
	tail := " with other content: herald will not publish it again; revert the edit, or give the post a new id to publish it as a new post"
	want := []string{
		"posts/avent-2.md:6:1: warning: published on mastodon on 2026-12-01" + tail,
		"posts/avent-2.md:6:1: warning: published on outbox on 2026-12-01" + tail,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("check (-want +got):\n%s", diff)
	}
}
