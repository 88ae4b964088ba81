package schedule

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/check"
)

// TestPlanNetworksOfAnotherType plans testdata/networks-type, whose post
// names networks: [mastodon, true, 12]: check reports each value that is
// not a string once, and the plan lists the post on mastodon alone,
// skipped for that error, never on accounts "true" or "12".
func TestPlanNetworksOfAnotherType(t *testing.T) {
	res, err := check.Run(context.Background(), check.Options{Dir: "testdata/networks-type", KeepPosts: true})
	if err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, d := range res.Diagnostics {
		rules = append(rules, d.Rule+" "+d.Message)
	}
	wantRules := []string{
		"post.schema networks[1]: expected string, but got boolean",
		"post.schema networks[2]: expected string, but got number",
	}
	if diff := cmp.Diff(wantRules, rules); diff != "" {
		t.Errorf("check diagnostics (-want +got):\n%s", diff)
	}
	if len(res.Calendars) != 1 {
		t.Fatalf("check found %d usable calendars, want 1: %v", len(res.Calendars), res.Diagnostics)
	}
	got := Plan(res.Calendars[0], at("2026-11-02T09:30:00+01:00"), nil, Options{})
	want := []Item{{
		PostID: "posts/typed", Path: "posts/typed.md", Account: "mastodon", Network: "mastodon",
		DueAt: at("2026-11-02T09:30:00+01:00").In(paris), Status: Skipped,
		Reason: "check: 3:22: networks[1]: expected string, but got boolean [post.schema]",
	}}
	if diff := cmp.Diff(want, got.Items, cmpopts.IgnoreFields(Item{}, "Post"), cmpopts.IgnoreUnexported(Item{})); diff != "" {
		t.Errorf("Plan() items (-want +got):\n%s", diff)
	}
}
