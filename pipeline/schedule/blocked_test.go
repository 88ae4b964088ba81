package schedule

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/state"
)

// TestBlocked: a post that would be due if it could be read is in the
// plan, skipped with why, and Blocked, so that plan and publish fail; what
// is not due yet, a draft, or an account without credentials is not.
func TestBlocked(t *testing.T) {
	const nine, ten, tomorrow = "2026-12-01T09:00:00+01:00", "2026-12-01T10:00:00+01:00", "2026-12-02T09:00:00+01:00"
	schemaErr := diag.Diagnostic{Line: 3, Column: 11, Severity: diag.Error, Rule: "post.schema", Message: "networks: expected array, but got string"}
	cal := calendar("6h",
		withDiags(post("type-error", nine), schemaErr),           // networks: feed
		withDiags(post("type-error-later", tomorrow), schemaErr), // not due yet: check's business
		withDiags(draft(post("draft-error", nine)), schemaErr),   // a draft
		post("corrupt-state", nine, "mastodon"),                  // its state cannot be read
		post("unknown-status", nine, "mastodon"),                 // its state says "sent"
		post("not-configured", nine, "bluesky"),                  // no credentials
		post("ok", nine, "mastodon"),
	)
	binary := diag.Diagnostic{Line: 1, Column: 1, Severity: diag.Error, Rule: "post.binary", Message: "binary file: a post must be UTF-8 Markdown text"}
	unreadable := func(id, when string) *check.Post {
		p := withDiags(&check.Post{Post: &load.Post{ID: id, Rel: id + ".md"}, Path: id + ".md"}, binary)
		if when != "" {
			p.When = at(when)
		}
		return p
	}
	cal.Unreadable = []*check.Post{
		unreadable("posts/nul", ""),                // no date to tell: it may be due
		unreadable("posts/nul-dated", nine),        // its front matter still says when: due
		unreadable("posts/nul-tomorrow", tomorrow), // not due yet
	}
	st := &states{
		status: map[string]state.Status{"unknown-status/mastodon": "sent"},
		errs:   map[string]error{"corrupt-state": errString("state file unreadable: state/corrupt-state.json:1:5: cut short")},
	}
	configured := func(a *load.Account) error {
		if a.Key == "bluesky" {
			return errors.New("bluesky is not a network this build supports")
		}
		return nil
	}
	res := Plan(cal, at(ten), st, Options{Configured: configured})

	var got []string
	for _, it := range res.Blocked() {
		got = append(got, it.PostID+" "+it.Account+": "+it.Reason)
	}
	want := []string{
		"posts/nul : cannot be read (1:1: binary file: a post must be UTF-8 Markdown text [post.binary]): cannot tell whether it is due",
		"posts/nul-dated : cannot be read (1:1: binary file: a post must be UTF-8 Markdown text [post.binary]): it cannot go out",
		"corrupt-state mastodon: state file unreadable: state/corrupt-state.json:1:5: cut short: whether it was published cannot be told, so it is not published again",
		`type-error : check: 3:11: networks: expected array, but got string [post.schema]`,
		`unknown-status mastodon: the state records an unknown status "sent": only herald writes state files`,
	}
	if diff := cmp.Diff(want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("Blocked() (-want +got):\n%s", diff)
	}
	for _, it := range res.Items {
		if it.Status == Due && it.PostID != "ok" {
			t.Errorf("%s on %s is due: %s", it.PostID, it.Account, it.Reason)
		}
	}
}

type errString string

func (e errString) Error() string { return string(e) }
