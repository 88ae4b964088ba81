package publish_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// noHistory is what a network that cannot look a publication up says
// (Telegram's bots, Discord's webhooks).
var noHistory = &networks.Error{Kind: networks.Unsupported, Err: errors.New("cannot read the history")}

// unconfirmed stops a run before its first network call, then runs again
// past the lease on a network whose Lookup is Unsupported: every network
// publication is reported unconfirmed, and stays publishing. It returns
// the options of a later run (wall clock past the lease).
func unconfirmed(t *testing.T, dir string, n *fakeNetwork) publish.Options {
	t.Helper()
	opts := options(dir, n)
	runStopped(t, opts, "publish", 1)
	n.lookupErr = noHistory
	opts.Wall = func() time.Time { return wall.Add(time.Hour) }
	rep := run(t, opts)
	want := []string{
		"published posts/avent-1 on feed", "published posts/avent-1 on outbox", "published posts/avent-2 on outbox",
		"skipped posts/brouillon on mastodon",
		"unconfirmed posts/avent-1 on bluesky", "unconfirmed posts/avent-1 on mastodon", "unconfirmed posts/avent-2 on mastodon",
	}
	if diff := cmp.Diff(want, outcomes(rep)); diff != "" {
		t.Fatalf("the run after the stop (-want +got):\n%s", diff)
	}
	for _, o := range rep.Outcomes {
		if o.What == "unconfirmed" && !strings.Contains(o.Remedy(), "herald publish --confirm "+o.PostID+"@"+o.Account+" --published") {
			t.Errorf("unconfirmed %s on %s: Remedy() = %q, want the command to run", o.PostID, o.Account, o.Remedy())
		}
	}
	if !rep.Failed() {
		t.Fatalf("an unconfirmed publication does not fail the run")
	}
	return opts
}

func confirmCalendar(t *testing.T) string {
	files := calendar()
	delete(files, "posts/veille.md")
	return newCalendar(t, files)
}

// TestConfirm: a person says what became of unconfirmed publications; the
// journal records it, and the next run publishes only what did not go out.
func TestConfirm(t *testing.T) {
	dir := confirmCalendar(t)
	n := newNetwork(t)
	opts := unconfirmed(t, dir, n)
	confirmedAt := wall.Add(2 * time.Hour)
	opts.Wall = func() time.Time { return confirmedAt }

	rep, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{
		{PostID: "posts/avent-1", Account: "mastodon", Published: true, IDs: []string{"m-1", "m-2"}, URLs: []string{"https://social.example/@maison/m-1"}},
		{PostID: "posts/avent-1", Account: "bluesky", Published: true},
		{PostID: "posts/avent-2", Account: "mastodon", Published: false},
	})
	if err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	var got []string
	for _, c := range rep.Confirmed {
		got = append(got, string(c.Was)+" "+c.Describe())
	}
	want := []string{
		"publishing posts/avent-1 on mastodon: published, ids m-1, m-2 (--confirm posts/avent-1@mastodon --published --id m-1 --id m-2 --url https://social.example/@maison/m-1)",
		"publishing posts/avent-1 on bluesky: published (--confirm posts/avent-1@bluesky --published)",
		"publishing posts/avent-2 on mastodon: not published: the next run publishes it again (--confirm posts/avent-2@mastodon --not-published)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Confirmed (-want +got):\n%s", diff)
	}

	file := readJSON(t, filepath.Join(dir, "state/posts/avent-1.json"))
	m := accountState(t, file, "mastodon")
	if diff := cmp.Diff(map[string]any{
		"status": "published", "ids": []any{"m-1", "m-2"}, "urls": []any{"https://social.example/@maison/m-1"},
		// when the interrupted run wrote its intent, just before it sent
		"published_at": wall.Format(time.RFC3339), "stats": []any{},
		"idempotency_key": m["idempotency_key"], "digest": m["digest"],
	}, m); diff != "" {
		t.Errorf("avent-1 on mastodon (-want +got):\n%s", diff)
	}
	if b := accountState(t, file, "bluesky"); b["status"] != "published" || len(b["ids"].([]any)) != 0 {
		t.Errorf("avent-1 on bluesky = %v, want published without ids", b)
	}
	a2 := accountState(t, readJSON(t, filepath.Join(dir, "state/posts/avent-2.json")), "mastodon")
	wantReason := "confirmed not published by a person on 2026-12-01"
	attempts, _ := a2["attempts"].([]any)
	if a2["status"] != "failed" || a2["reason"] != wantReason || len(attempts) != 1 ||
		attempts[0].(map[string]any)["error"] != wantReason || attempts[0].(map[string]any)["kind"] != nil {
		t.Errorf("avent-2 on mastodon = %v, want failed, %q, one attempt without a kind (not transient: never looked up again)", a2, wantReason)
	}

	// The next run publishes what did not go out, once, and sends nothing
	// of what went out (the fake fails on a second Publish of a key).
	rep = run(t, opts)
	if diff := cmp.Diff([]string{"published posts/avent-2 on mastodon", "skipped posts/brouillon on mastodon"}, outcomes(rep)); diff != "" {
		t.Errorf("the run after the confirmations (-want +got):\n%s", diff)
	}
	if rep.Failed() {
		t.Errorf("the run after the confirmations failed")
	}
	recs := n.records()
	if len(recs) != 1 {
		t.Errorf("the network received %d publications, want 1 (avent-2 on mastodon): %v", len(recs), recs)
	}
	for _, r := range recs {
		if r.Post != "posts/avent-2" || r.Account != "mastodon" || r.Publishes != 1 {
			t.Errorf("the network received %s on %s %d times", r.Post, r.Account, r.Publishes)
		}
	}
	if diff := cmp.Diff(allStatus("published"), accountStatuses(t, dir)); diff != "" {
		t.Errorf("journal (-want +got):\n%s", diff)
	}
}

// TestConfirmNotPublishedTooLate: confirmed not published after
// max_lateness, the publication is reported missed by the next run, once.
func TestConfirmNotPublishedTooLate(t *testing.T) {
	dir := confirmCalendar(t)
	n := newNetwork(t)
	opts := unconfirmed(t, dir, n)
	if _, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-2", Account: "mastodon"}}); err != nil {
		t.Fatal(err)
	}
	opts.NowText = "2026-12-01 17:00"
	rep := run(t, opts)
	got := outcomes(rep)
	if !cmp.Equal(got[0], "missed posts/avent-2 on mastodon") || !rep.Failed() {
		t.Errorf("outcomes %v, Failed() %v: want avent-2 on mastodon missed", got, rep.Failed())
	}
	if len(n.records()) != 0 {
		t.Errorf("the network received %v", n.records())
	}
}

// TestConfirmTransientFailure: a publication that failed with a transient
// error on a network that cannot look it up is unconfirmed too, and a
// person can confirm it.
func TestConfirmTransientFailure(t *testing.T) {
	dir := confirmCalendar(t)
	n := newNetwork(t)
	n.failAfter["bluesky"] = &networks.Error{Kind: networks.Transient, Account: "bluesky", Err: errors.New("timeout awaiting response headers")}
	opts := options(dir, n)
	run(t, opts)
	delete(n.failAfter, "bluesky")
	n.lookupErr = noHistory
	opts.Wall = func() time.Time { return wall.Add(5 * time.Minute) }
	rep := run(t, opts)
	if diff := cmp.Diff([]string{"skipped posts/brouillon on mastodon", "unconfirmed posts/avent-1 on bluesky"}, outcomes(rep)); diff != "" {
		t.Fatalf("the run after the failure (-want +got):\n%s", diff)
	}
	rep, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-1", Account: "bluesky", Published: true, IDs: []string{"at://1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Confirmed[0].Was != "failed" {
		t.Errorf("Was = %q, want failed", rep.Confirmed[0].Was)
	}
	b := accountState(t, readJSON(t, filepath.Join(dir, "state/posts/avent-1.json")), "bluesky")
	if b["status"] != "published" || !cmp.Equal(b["ids"], []any{"at://1"}) || b["published_at"] != "2026-12-01T10:00:00+01:00" {
		t.Errorf("avent-1 on bluesky = %v, want published at the failed attempt's time with its id", b)
	}
	rep = run(t, opts)
	if diff := cmp.Diff([]string{"skipped posts/brouillon on mastodon"}, outcomes(rep)); diff != "" {
		t.Errorf("the last run (-want +got):\n%s", diff)
	}
}

// TestConfirmRefused: only a publishing intent whose lease ran out, or a
// transient failure, can be confirmed; anything else is a usage error
// that writes nothing.
func TestConfirmRefused(t *testing.T) {
	tests := []struct {
		name  string
		wall  time.Duration // after the stopped run's intents
		confs []publish.Confirmation
		want  string
	}{{
		name:  "already published",
		confs: []publish.Confirmation{{PostID: "posts/avent-1", Account: "outbox", Published: true}},
		want:  "--confirm posts/avent-1@outbox: outbox is a outbox account, which herald publish checks itself: nothing to confirm",
	}, {
		name:  "published",
		confs: []publish.Confirmation{{PostID: "posts/avent-1", Account: "mastodon", Published: true}, {PostID: "posts/avent-2", Account: "mastodon", Published: true}},
		want:  "--confirm posts/avent-2@mastodon: it is already published (ids m-9): nothing to confirm",
	}, {
		name:  "nothing recorded",
		confs: []publish.Confirmation{{PostID: "posts/avent-3", Account: "mastodon", Published: true}},
		want:  "--confirm posts/avent-3@mastodon: nothing is recorded for it: herald publish never started it (herald plan says when it is due)",
	}, {
		name:  "unknown post",
		confs: []publish.Confirmation{{PostID: "posts/avent-9", Account: "mastodon", Published: true}},
		want:  `--confirm posts/avent-9@mastodon: there is no post "posts/avent-9" here`,
	}, {
		name:  "unknown account",
		confs: []publish.Confirmation{{PostID: "posts/avent-1", Account: "mastodn", Published: true}},
		want:  `--confirm posts/avent-1@mastodn: the charter has no account "mastodn"`,
	}, {
		name:  "not on this post",
		confs: []publish.Confirmation{{PostID: "posts/avent-2", Account: "bluesky", Published: true}},
		want:  "--confirm posts/avent-2@bluesky: nothing is recorded for it",
	}, {
		name:  "given twice",
		confs: []publish.Confirmation{{PostID: "posts/avent-1", Account: "mastodon", Published: true}, {PostID: "posts/avent-1", Account: "mastodon"}},
		want:  "--confirm posts/avent-1@mastodon: it is given twice",
	}, {
		name:  "lease running",
		wall:  time.Minute,
		confs: []publish.Confirmation{{PostID: "posts/avent-1", Account: "mastodon", Published: true}},
		want:  "--confirm posts/avent-1@mastodon: a run started publishing it at 2026-12-01T09:00:30Z and may still be at it: wait until its lease runs out at 2026-12-01T09:10:30Z (the intent's lease, 10m0s), then confirm",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := confirmCalendar(t)
			n := newNetwork(t)
			opts := options(dir, n)
			runStopped(t, opts, "publish", 1)
			// avent-2 on mastodon was published (a person said so earlier).
			opts.Wall = func() time.Time { return wall.Add(time.Hour) }
			if _, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-2", Account: "mastodon", Published: true, IDs: []string{"m-9"}}}); err != nil {
				t.Fatal(err)
			}
			before := readStates(t, dir)

			opts.Wall = func() time.Time { return wall.Add(cmpOr(tt.wall, time.Hour)) }
			rep, err := publish.Confirm(t.Context(), opts, tt.confs)
			var usage *load.UsageError
			if !errors.As(err, &usage) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("Confirm: %v, want a usage error %q", err, tt.want)
			}
			if rep != nil && len(rep.Confirmed) > 0 {
				t.Errorf("Confirmed = %v, want nothing", rep.Confirmed)
			}
			if diff := cmp.Diff(before, readStates(t, dir)); diff != "" {
				t.Errorf("the journal changed (-before +after):\n%s", diff)
			}
		})
	}
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// readStates reads every state file of a calendar, by path.
func readStates(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(filepath.Join(dir, "state"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		out[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConfirmDryRun checks and says what it would record, and writes
// nothing.
func TestConfirmDryRun(t *testing.T) {
	dir := confirmCalendar(t)
	n := newNetwork(t)
	opts := unconfirmed(t, dir, n)
	before := readStates(t, dir)
	opts.DryRun = true
	rep, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-1", Account: "mastodon", Published: true}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Confirmed) != 1 || rep.Confirmed[0].Was != "publishing" {
		t.Errorf("Confirmed = %v, want what it would record", rep.Confirmed)
	}
	if diff := cmp.Diff(before, readStates(t, dir)); diff != "" {
		t.Errorf("a dry run changed the journal (-before +after):\n%s", diff)
	}
	if _, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-3", Account: "mastodon", Published: true}}); err == nil {
		t.Errorf("a dry run does not refuse what it could not record")
	}
}

// TestConfirmPushed: confirmations are one commit, pushed as a run's
// journal is, named after what was confirmed and by which flag.
func TestConfirmPushed(t *testing.T) {
	gs := gittest.NewServer(t, token)
	files := calendar()
	delete(files, "posts/veille.md")
	gs.Seed(t, files)
	dir := gs.Clone(t)
	n := newNetwork(t)
	opts := options(dir, n)
	opts.Getenv = gs.Getenv()
	runStopped(t, opts, "publish", 1)
	opts.Wall = func() time.Time { return wall.Add(time.Hour) }

	rep, err := publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-1", Account: "mastodon", Published: true, IDs: []string{"m-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Pushed || len(rep.Commits) != 1 {
		t.Fatalf("pushed %v, commits %v: want 1 commit pushed", rep.Pushed, rep.Commits)
	}
	rep, err = publish.Confirm(t.Context(), opts, []publish.Confirmation{{PostID: "posts/avent-1", Account: "bluesky"}, {PostID: "posts/avent-2", Account: "mastodon", Published: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Pushed || len(rep.Commits) != 1 {
		t.Fatalf("second confirm: pushed %v, commits %v: want 1 commit pushed", rep.Pushed, rep.Commits)
	}
	got := gittest.Git(t, gs.Bare, "log", "-2", "--format=%an|%B", "main")
	want := "herald|herald: 2 publications confirmed by a person: 1 published, 1 not published\n\n" +
		"- posts/avent-1 on bluesky: not published: the next run publishes it again (--confirm posts/avent-1@bluesky --not-published)\n" +
		"- posts/avent-2 on mastodon: published (--confirm posts/avent-2@mastodon --published)\n\n" +
		"herald|herald: posts/avent-1 on mastodon confirmed published by a person (--published)\n\n" +
		"- posts/avent-1 on mastodon: published, ids m-1 (--confirm posts/avent-1@mastodon --published --id m-1)\n\n"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("remote history (-want +got):\n%s", diff)
	}
	head := decodeJSON(t, "remote state", []byte(gittest.Git(t, gs.Bare, "show", "main:state/posts/avent-1.json")))
	if a := accountState(t, head, "bluesky"); a["status"] != "failed" {
		t.Errorf("remote accounts.bluesky = %v", a)
	}
}
