package schedule

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/state"
)

// TestPlanChecked plans testdata/dst as check reads it, with its state
// files: local times the clocks skip or repeat are check errors, so those
// posts are skipped; the two instants of 02:30 on the night the clocks go
// back are each due once; a corrupt state file skips its post alone.
func TestPlanChecked(t *testing.T) {
	res, err := check.Run(context.Background(), check.Options{Dir: "testdata/dst", KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Calendars) != 1 {
		t.Fatalf("check found %d usable calendars, want 1: %v", len(res.Calendars), res.Diagnostics)
	}
	cal := res.Calendars[0]
	got := Plan(cal, at("2026-10-25T02:30:00+01:00"), StateFiles(cal.Root), Options{Horizon: 200 * 24 * time.Hour, IncludeDone: true})

	const first, second, spring = "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00", "2027-03-28T03:30:00+02:00"
	undated := func(id, reason string) Item {
		return Item{PostID: id, Path: id + ".md", Account: "mastodon", Network: "mastodon", Status: Skipped, Reason: reason}
	}
	blog := func(it Item) Item { it.Network = "feed"; return it }
	corrupt := "state file unreadable: state/posts/fall-second.json:1:43: the file ends in the middle of the JSON: it was cut short " +
		"(herald writes this file: restore it from git: git log -- state/posts/fall-second.json lists its versions, " +
		"and git checkout <commit> -- state/posts/fall-second.json brings one back): " +
		"whether it was published cannot be told, so it is not published again"
	want := []Item{
		undated("posts/fall-ambiguous", "check: 2:7: DST ambiguous: 2026-10-25 02:30 happens twice in Europe/Paris (DST change): "+
			"write 2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00 [date.dst-ambiguous]"),
		undated("posts/spring-gap", "check: 2:7: DST gap: 2027-03-28 02:30 does not exist in Europe/Paris: "+
			"the clocks skip it at the DST change; pick another time or write it with an offset [date.dst-gap]"),
		blog(late(item("posts/fall-first", "blog", first, Due, "late by 1h"), time.Hour)),
		withState(item("posts/fall-first", "mastodon", first, Done, "published"), state.Published),
		unreadable(blog(item("posts/fall-second", "blog", second, Skipped, corrupt))),
		unreadable(item("posts/fall-second", "mastodon", second, Skipped, corrupt)),
		blog(item("posts/spring-local", "blog", spring, Upcoming, "in 154d")),
		item("posts/spring-local", "mastodon", spring, Upcoming, "in 154d"),
	}
	if diff := cmp.Diff(want, got.Items, cmpopts.IgnoreFields(Item{}, "Post"), cmpopts.IgnoreUnexported(Item{})); diff != "" {
		t.Errorf("Plan() items (-want +got):\n%s", diff)
	}
	// The corrupt state's items are due: the plan fails for them. The DST
	// errors are not due yet (fall-ambiguous has no date to tell: it fails
	// too).
	var blocked []string
	for _, it := range got.Blocked() {
		blocked = append(blocked, it.PostID+" "+it.Account)
	}
	wantBlocked := []string{"posts/fall-ambiguous mastodon", "posts/spring-gap mastodon", "posts/fall-second blog", "posts/fall-second mastodon"}
	if diff := cmp.Diff(wantBlocked, blocked); diff != "" {
		t.Errorf("Blocked() (-want +got):\n%s", diff)
	}
}
