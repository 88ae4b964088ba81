package stats_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
	"github.com/herald-social/herald/pipeline/stats"
)

const charter = `brand: Maison Exemple
timezone: Europe/Paris
locale: fr-FR
accounts:
  mastodon: {network: mastodon, server: https://social.example}
  bluesky:  {network: bluesky, handle: maison.example.com}
  short:    {network: mastodon, server: https://social.example, stats_window: 2d}
  blog:     {network: feed, path: public/feed.xml, title: Maison Exemple}
  archive:  {network: outbox, dir: outbox}
editorial_line:
  produit: {description: Nos créations}
`

// day0 is when the fixture's first post was published.
var day0 = mustTime("2026-12-01T09:00:00+01:00")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// post is a post file published on accounts.
func post(date time.Time, accounts ...string) string {
	return fmt.Sprintf("---\ndate: %s\nnetworks: [%s]\ntags: [produit]\n---\nJour.\n", date.Format(time.RFC3339), strings.Join(accounts, ", "))
}

// published is a publication journaled at at with the network's ids and
// earlier samples.
func published(at time.Time, ids []string, samples ...state.Sample) *state.Account {
	return &state.Account{Status: state.Published, PublishedAt: at, IDs: ids, Stats: samples}
}

func encode(t *testing.T, accounts map[string]*state.Account) string {
	t.Helper()
	data, err := state.Encode(&state.File{Accounts: accounts})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// calendar is a calendar with one post published on every account, a
// thread of two parts on mastodon.
func calendar(t *testing.T) map[string]string {
	return map[string]string{
		"charter.yaml":     charter,
		"posts/avent-1.md": post(day0, "mastodon", "bluesky", "blog", "archive"),
		"state/posts/avent-1.json": encode(t, map[string]*state.Account{
			"mastodon": published(day0, []string{"m1", "m2"}),
			"bluesky":  published(day0, []string{"at://did:plc:abc/app.bsky.feed.post/b1"}),
			"blog":     published(day0, []string{"tag:maison.example,2026:posts/avent-1"}),
			"archive":  published(day0, []string{"posts/avent-1"}),
		}),
	}
}

func newCalendar(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "calendar")
	gittest.WriteFiles(t, dir, files)
	return dir
}

func options(dir string, n *fakeNetwork, now time.Time) stats.Options {
	return stats.Options{Dir: dir, Now: now, Publishers: n.publishers, Getenv: func(string) string { return "" },
		Wall: func() time.Time { return now }}
}

func collect(t *testing.T, opts stats.Options) *stats.Report {
	t.Helper()
	rep, err := stats.Collect(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func loadState(t *testing.T, dir, postID string) *state.File {
	t.Helper()
	f, err := state.Load(os.DirFS(dir), postID)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sample(at time.Time, c state.Counts) state.Sample { return state.Sample{At: at, Counts: c} }

// TestTwoRunsAppend: two runs an hour apart each append a sample to every
// publication on a network with engagement, the thread's parts summed,
// and a follower count; the state files hold both, oldest first.
func TestTwoRunsAppend(t *testing.T) {
	dir := newCalendar(t, calendar(t))
	n := newNetwork(t)
	n.want = map[string][]string{"mastodon": {"m1", "m2"}, "bluesky": {"at://did:plc:abc/app.bsky.feed.post/b1"}}
	n.counts = map[string]state.Counts{
		"m1": counts(3, 1, 0, -1, -1), "m2": counts(1, 0, 2, -1, -1),
		"at://did:plc:abc/app.bsky.feed.post/b1": counts(5, 2, 1, 1, -1),
	}
	n.followers = map[string]int64{"mastodon": 1200}

	first := day0.Add(2 * time.Hour)
	rep := collect(t, options(dir, n, first))
	n.checkAsked()
	if rep.Failed() || len(rep.Problems) != 0 {
		t.Errorf("problems: %v", rep.Problems)
	}
	if rep.Unsupported != 2 {
		t.Errorf("Unsupported = %d, want 2 (the feed and the outbox)", rep.Unsupported)
	}

	n.reset()
	n.counts["m1"] = counts(7, 2, 0, -1, -1)
	n.followers["mastodon"] = 1210
	second := first.Add(time.Hour)
	rep = collect(t, options(dir, n, second))
	n.checkAsked()
	if len(rep.Samples) != 2 || rep.Samples[0].Previous == nil {
		t.Fatalf("second run's samples = %+v, want two with a previous sample", rep.Samples)
	}

	f := loadState(t, dir, "posts/avent-1")
	want := map[string][]state.Sample{
		"mastodon": {sample(first, counts(4, 1, 2, -1, -1)), sample(second, counts(8, 2, 2, -1, -1))},
		"bluesky":  {sample(first, counts(5, 2, 1, 1, -1)), sample(second, counts(5, 2, 1, 1, -1))},
		"blog":     {},
		"archive":  {},
	}
	for key, w := range want {
		if diff := cmp.Diff(w, f.Accounts[key].Stats, cmp.Comparer(time.Time.Equal)); diff != "" {
			t.Errorf("accounts.%s.stats (-want +got):\n%s", key, diff)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "state/accounts/mastodon.json"))
	if err != nil {
		t.Fatal(err)
	}
	wantFollowers := `[
  {"at":"2026-12-01T11:00:00+01:00","followers":1200},
  {"at":"2026-12-01T12:00:00+01:00","followers":1210}
]
`
	if diff := cmp.Diff(wantFollowers, string(data)); diff != "" {
		t.Errorf("state/accounts/mastodon.json (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "state/accounts/bluesky.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("bluesky does not count followers here, but its file: %v", err)
	}

	// A third run at the same --now takes nothing: every publication was
	// sampled at that time, and so were the followers.
	n.reset()
	n.want = map[string][]string{}
	rep = collect(t, options(dir, n, second))
	n.checkAsked()
	if len(rep.Samples)+len(rep.Followers) != 0 || rep.Recent != 2 {
		t.Errorf("a run at the same --now took %d samples and %d follower counts, %d recent; want none, 2 recent", len(rep.Samples), len(rep.Followers), rep.Recent)
	}
}

// TestAgingSchedule: a publication is sampled hourly on its first day,
// every 6 hours in its first week, daily after, and never again after its
// account's window; each account is asked once for all its due ids.
func TestAgingSchedule(t *testing.T) {
	now := day0.Add(21 * 24 * time.Hour) // three weeks after day0
	files := map[string]string{"charter.yaml": charter}
	type pub struct {
		account   string
		published time.Duration // before now
		last      time.Duration // before now; 0: never sampled
		due       bool
	}
	pubs := map[string]pub{
		"three-weeks-daily-due":     {"mastodon", 21 * 24 * time.Hour, 23 * time.Hour, true},
		"three-weeks-sampled-today": {"mastodon", 21 * 24 * time.Hour, 20 * time.Hour, false},
		"past-the-window":           {"mastodon", 31 * 24 * time.Hour, 25 * time.Hour, false},
		"two-days-6h-due":           {"mastodon", 48 * time.Hour, 6 * time.Hour, true},
		"two-days-sampled-2h-ago":   {"mastodon", 48 * time.Hour, 2 * time.Hour, false},
		"first-hour-never-sampled":  {"mastodon", 10 * time.Minute, 0, true},
		"first-day-hourly-due":      {"bluesky", 5 * time.Hour, 57 * time.Minute, true},
		"first-day-sampled-50m-ago": {"bluesky", 5 * time.Hour, 50 * time.Minute, false},
		"short-window-expired":      {"short", 3 * 24 * time.Hour, 30 * time.Hour, false},
		"short-window-due":          {"short", 36 * time.Hour, 7 * time.Hour, true},
		"published-after-now":       {"bluesky", -time.Hour, 0, false},
	}
	n := newNetwork(t)
	for name, p := range pubs {
		at := now.Add(-p.published)
		files["posts/"+name+".md"] = post(at, p.account)
		var samples []state.Sample
		if p.last > 0 {
			samples = append(samples, sample(now.Add(-p.last), counts(1, 0, 0, 0, -1)))
		}
		files["state/posts/"+name+".json"] = encode(t, map[string]*state.Account{p.account: published(at, []string{name}, samples...)})
		n.counts[name] = counts(2, 1, 0, 0, -1)
	}
	// In post path order, as the calendar lists them.
	n.want = map[string][]string{
		"mastodon": {"first-hour-never-sampled", "three-weeks-daily-due", "two-days-6h-due"},
		"bluesky":  {"first-day-hourly-due"},
		"short":    {"short-window-due"},
	}
	dir := newCalendar(t, files)
	rep := collect(t, options(dir, n, now))
	n.checkAsked()
	if rep.Recent != 3 || rep.Expired != 2 {
		t.Errorf("Recent %d, Expired %d; want 3 sampled recently, 2 past their window", rep.Recent, rep.Expired)
	}
	for name, p := range pubs {
		f := loadState(t, dir, "posts/"+name)
		got := f.Accounts[p.account].Stats
		wantLen := 0
		if p.last > 0 {
			wantLen = 1
		}
		if p.due {
			wantLen++
			if last := got[len(got)-1]; !last.At.Equal(now) || *last.Likes != 2 {
				t.Errorf("%s: last sample %+v, want 2 likes at %s", name, last, now)
			}
		}
		if len(got) != wantLen {
			t.Errorf("%s: %d samples, want %d", name, len(got), wantLen)
		}
	}
}

// TestFailingAccount: one account's network failing, or its followers,
// never stops the others; the run fails (exit 1) at the end. An account
// without credentials is said to be so, and does not fail the run.
func TestFailingAccount(t *testing.T) {
	files := calendar(t)
	files["posts/avent-2.md"] = post(day0.Add(24*time.Hour), "short")
	files["state/posts/avent-2.json"] = encode(t, map[string]*state.Account{"short": published(day0.Add(24*time.Hour), []string{"s1"})})
	dir := newCalendar(t, files)
	n := newNetwork(t)
	n.want = map[string][]string{"mastodon": {"m1", "m2"}, "bluesky": {"at://did:plc:abc/app.bsky.feed.post/b1"}}
	n.counts = map[string]state.Counts{"at://did:plc:abc/app.bsky.feed.post/b1": counts(5, 2, 1, 1, -1)}
	n.fail["mastodon"] = &networks.Error{Kind: networks.Transient, Account: "mastodon", Status: 502, Err: errors.New("bad gateway")}
	n.followers = map[string]int64{"mastodon": 10, "bluesky": 20}
	n.failFollowers["bluesky"] = &networks.Error{Kind: networks.Transient, Account: "bluesky", Status: 500, Err: errors.New("internal error")}
	n.notConfigured = []string{"short"}

	now := day0.Add(26 * time.Hour)
	rep := collect(t, options(dir, n, now))
	n.checkAsked()
	if !rep.Failed() {
		t.Error("Failed() = false, want true: mastodon failed")
	}
	var problems []string
	for _, p := range rep.Problems {
		problems = append(problems, p.What+" "+p.Account+": "+p.Err.Error())
	}
	wantProblems := []string{
		"failed bluesky: account bluesky: HTTP 500: internal error",
		"failed mastodon: account mastodon: HTTP 502: bad gateway",
		"not-configured short: account short: not configured: set HERALD_SHORT_TOKEN (HERALD_SHORT_TOKEN is not set)",
	}
	if diff := cmp.Diff(wantProblems, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	f := loadState(t, dir, "posts/avent-1")
	if got := f.Accounts["bluesky"].Stats; len(got) != 1 || *got[0].Likes != 5 {
		t.Errorf("bluesky samples %+v, want one with 5 likes", got)
	}
	if got := f.Accounts["mastodon"].Stats; len(got) != 0 {
		t.Errorf("mastodon samples %+v, want none", got)
	}
	got, err := stats.ReadFollowers(os.DirFS(dir), "mastodon")
	if err != nil || len(got) != 1 || got[0].Followers != 10 {
		t.Errorf("mastodon followers %+v, %v: want one count of 10", got, err)
	}
}

// TestRejectedPush: a person pushes between the run's fetch and its push,
// and the person's commit holds a sample at this --now for one
// publication (as a run that pushed it would). The run's push is
// rejected; it fetches and appends its samples again on the new head,
// once each, leaving the person's sample and files as they were.
func TestRejectedPush(t *testing.T) {
	t.Parallel()
	const token = "ghs_t0kenThatMustNeverBeSeen"
	gs := gittest.NewServer(t, token)
	files := calendar(t)
	files["posts/avent-2.md"] = post(day0, "mastodon")
	files["state/posts/avent-2.json"] = encode(t, map[string]*state.Account{"mastodon": published(day0, []string{"m3"})})
	gs.Seed(t, files)
	dir := gs.Clone(t)

	n := newNetwork(t)
	n.want = map[string][]string{"mastodon": {"m1", "m2", "m3"}, "bluesky": {"at://did:plc:abc/app.bsky.feed.post/b1"}}
	n.counts = map[string]state.Counts{"m1": counts(1, 0, 0, -1, -1), "m2": counts(1, 0, 0, -1, -1),
		"m3": counts(9, 9, 9, -1, -1), "at://did:plc:abc/app.bsky.feed.post/b1": counts(5, 2, 1, 1, -1)}
	n.followers = map[string]int64{"mastodon": 1200}
	now := day0.Add(3 * time.Hour)

	theirs := counts(4, 4, 4, -1, -1)
	human := map[string]string{
		"notes/relecture.md": "Relu par Léa.\n",
		"state/posts/avent-2.json": encode(t, map[string]*state.Account{
			"mastodon": published(day0, []string{"m3"}, sample(now, theirs))}),
	}
	opts := options(dir, n, now)
	opts.Getenv = gs.Getenv()
	var log bytes.Buffer
	opts.Log = &log
	var humanCommit string
	opts.Hook = func(step string) {
		if step == "commit" && humanCommit == "" {
			humanCommit = gs.HumanCommit(t, human, "Relecture")
		}
	}
	rep := collect(t, opts)
	n.checkAsked()
	if humanCommit == "" {
		t.Fatal("the hook never ran")
	}
	if !strings.Contains(log.String(), "fetching and trying again") {
		t.Errorf("no push was rejected:\n%s", log.String())
	}
	if !rep.Pushed || len(rep.Commits) != 1 {
		t.Fatalf("pushed %v, commits %v: want one commit pushed", rep.Pushed, rep.Commits)
	}
	gittest.Git(t, gs.Bare, "merge-base", "--is-ancestor", humanCommit, "main")
	subjects := gittest.Git(t, gs.Bare, "log", "--format=%s", humanCommit+"..main")
	if want := "herald: stats of 3 publications on 2 accounts\n"; subjects != want {
		t.Errorf("commits after the person's = %q, want %q", subjects, want)
	}
	if got := gittest.Git(t, gs.Bare, "show", "main:notes/relecture.md"); got != human["notes/relecture.md"] {
		t.Errorf("notes/relecture.md = %q, want the person's", got)
	}
	read := func(name string) *state.File {
		f, err := state.Decode(name, []byte(gittest.Git(t, gs.Bare, "show", "main:"+name)))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	if diff := cmp.Diff([]state.Sample{sample(now, theirs)}, read("state/posts/avent-2.json").Accounts["mastodon"].Stats,
		cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("avent-2 on mastodon: the sample at --now was there already (-want +got):\n%s", diff)
	}
	a1 := read("state/posts/avent-1.json")
	if diff := cmp.Diff([]state.Sample{sample(now, counts(2, 0, 0, -1, -1))}, a1.Accounts["mastodon"].Stats, cmp.Comparer(time.Time.Equal)); diff != "" {
		t.Errorf("avent-1 on mastodon (-want +got):\n%s", diff)
	}
	if got := a1.Accounts["bluesky"].Stats; len(got) != 1 {
		t.Errorf("avent-1 on bluesky: %d samples, want 1", len(got))
	}
	if got := gittest.Git(t, gs.Bare, "show", "main:state/accounts/mastodon.json"); got != "[\n  {\"at\":\"2026-12-01T12:00:00+01:00\",\"followers\":1200}\n]\n" {
		t.Errorf("state/accounts/mastodon.json = %q", got)
	}
	if len(rep.Samples) != 2 {
		t.Errorf("the report has %d samples, want the 2 written", len(rep.Samples))
	}
	if got := gittest.Git(t, dir, "status", "--porcelain"); got != "" {
		t.Errorf("the checkout is not clean:\n%s", got)
	}
	if strings.Contains(log.String()+gittest.Git(t, gs.Bare, "log", "-p", "main"), token) {
		t.Error("the token leaked")
	}
}

// TestNotConfiguredWhenCalled: a client that finds its credentials
// missing only when called makes the account not configured, not failed,
// and is asked nothing more.
func TestNotConfiguredWhenCalled(t *testing.T) {
	dir := newCalendar(t, map[string]string{
		"charter.yaml":             charter,
		"posts/avent-1.md":         post(day0, "short"),
		"state/posts/avent-1.json": encode(t, map[string]*state.Account{"short": published(day0, []string{"s1"})}),
	})
	n := newNetwork(t)
	n.want = map[string][]string{"short": {"s1"}}
	n.fail["short"] = &networks.Error{Kind: networks.NotConfigured, Account: "short", Env: "HERALD_SHORT_TOKEN", Err: errors.New("HERALD_SHORT_TOKEN is not set")}
	n.followers = map[string]int64{"short": 5}
	rep := collect(t, options(dir, n, day0.Add(time.Hour)))
	n.checkAsked()
	if rep.Failed() || len(rep.Problems) != 1 || rep.Problems[0].What != "not-configured" {
		t.Errorf("problems %+v, want short not configured", rep.Problems)
	}
	if n.followerCalls["short"] != 0 {
		t.Errorf("followers of short asked %d times, want none", n.followerCalls["short"])
	}
}
