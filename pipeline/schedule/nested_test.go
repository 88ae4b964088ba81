package schedule

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/check"
)

// TestPlanNestedCalendar plans testdata/nested, whose posts/maison-b is a
// calendar of its own with an account of the same key: the outer plan
// names maison-b's post, skipped with the reason, and only maison-b's
// plan has it due. Before, both had it due: published twice.
func TestPlanNestedCalendar(t *testing.T) {
	now := at("2026-11-02T09:30:00+01:00")
	plan := func(dir string) []Item {
		t.Helper()
		res, err := check.Run(context.Background(), check.Options{Dir: dir, KeepPosts: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Calendars) != 1 {
			t.Fatalf("%s: check found %d usable calendars, want 1: %v", dir, len(res.Calendars), res.Diagnostics)
		}
		return Plan(res.Calendars[0], now, nil, Options{}).Items
	}
	due := now.In(paris)
	reason := "check: 1:1: this charter makes posts/maison-b a calendar inside the posts/ folder of another calendar, " +
		"and both would publish its posts: move posts/maison-b out of posts/ (until then, the outer calendar leaves its posts to it) [calendar.nested]"
	// The outer calendar does not read the nested post's date (in the
	// nested charter's time zone): skipped undated, as posts whose date
	// check refuses are.
	wantOuter := []Item{
		{PostID: "posts/maison-b/posts/b", Path: "posts/maison-b/posts/b.md", Account: "mastodon", Network: "mastodon", Status: Skipped, Reason: reason},
		{PostID: "posts/a", Path: "posts/a.md", Account: "mastodon", Network: "mastodon", DueAt: due, Status: Due},
	}
	if diff := cmp.Diff(wantOuter, plan("testdata/nested"), cmpopts.IgnoreFields(Item{}, "Post"), cmpopts.IgnoreUnexported(Item{})); diff != "" {
		t.Errorf("outer Plan() items (-want +got):\n%s", diff)
	}
	wantInner := []Item{
		{PostID: "posts/b", Path: "posts/b.md", Account: "mastodon", Network: "mastodon", DueAt: due, Status: Due},
	}
	if diff := cmp.Diff(wantInner, plan(filepath.Join("testdata", "nested", "posts", "maison-b")), cmpopts.IgnoreFields(Item{}, "Post"), cmpopts.IgnoreUnexported(Item{})); diff != "" {
		t.Errorf("inner Plan() items (-want +got):\n%s", diff)
	}
}
