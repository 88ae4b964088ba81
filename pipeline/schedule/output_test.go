package schedule

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/check"
)

func samplePlan() []*Result {
	posts := []*check.Post{
		post("posts/late", "2026-12-01T09:00:00+01:00", "mastodon"),
		post("posts/soon", "2026-12-02T09:00:00+01:00", "mastodon", "bluesky"),
		post("posts/old", "2026-11-30T09:00:00+01:00", "bluesky"),
		draft(post("posts/draft", "2026-12-01T12:00:00+01:00", "bluesky")),
	}
	return []*Result{Plan(calendar("", posts...), at("2026-12-01T09:47:00+01:00"), nil, Options{})}
}

func TestWriteJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, samplePlan()); err != nil {
		t.Fatal(err)
	}
	want := `[
  {
    "post": "posts/old",
    "path": "posts/old.md",
    "account": "bluesky",
    "network": "bluesky",
    "due_at": "2026-11-30T09:00:00+01:00",
    "status": "missed",
    "reason": "due at 2026-11-30 09:00 CET, found at 2026-12-01 09:47 CET, 1d47m late: more than max_lateness 6h",
    "late_by_seconds": 89220
  },
  {
    "post": "posts/late",
    "path": "posts/late.md",
    "account": "mastodon",
    "network": "mastodon",
    "due_at": "2026-12-01T09:00:00+01:00",
    "status": "due",
    "reason": "late by 47m",
    "late_by_seconds": 2820
  },
  {
    "post": "posts/draft",
    "path": "posts/draft.md",
    "account": "bluesky",
    "network": "bluesky",
    "due_at": "2026-12-01T12:00:00+01:00",
    "status": "skipped",
    "reason": "draft"
  },
  {
    "post": "posts/soon",
    "path": "posts/soon.md",
    "account": "bluesky",
    "network": "bluesky",
    "due_at": "2026-12-02T09:00:00+01:00",
    "status": "upcoming",
    "reason": "in 23h13m"
  },
  {
    "post": "posts/soon",
    "path": "posts/soon.md",
    "account": "mastodon",
    "network": "mastodon",
    "due_at": "2026-12-02T09:00:00+01:00",
    "status": "upcoming",
    "reason": "in 23h13m"
  }
]
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteJSON (-want +got):\n%s", diff)
	}

	buf.Reset()
	if err := WriteJSON(&buf, []*Result{Plan(calendar(""), time.Now(), nil, Options{})}); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "[]\n" {
		t.Errorf("WriteJSON of an empty plan = %q, want an empty array", buf.String())
	}
}

func TestWriteText(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, samplePlan(), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `Maison Exemple: plan at 2026-12-01 09:47 CET (Europe/Paris); max lateness 6h, upcoming for 7d

bluesky: 1 upcoming, 1 missed, 1 skipped
  upcoming
    2026-12-02 09:00 CET  posts/soon.md  in 23h13m
  missed
    2026-11-30 09:00 CET  posts/old.md  1d47m late: more than max_lateness 6h
  skipped
    2026-12-01 12:00 CET  posts/draft.md  draft

mastodon: 1 due, 1 upcoming
  due now
    2026-12-01 09:00 CET  posts/late.md  late by 47m
  upcoming
    2026-12-02 09:00 CET  posts/soon.md  in 23h13m

total: 1 due, 2 upcoming, 1 missed, 1 skipped
`
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("WriteText (-want +got):\n%s", diff)
	}

	buf.Reset()
	if err := WriteText(&buf, samplePlan(), TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "  \x1b[1;31mmissed\x1b[0m\n") {
		t.Errorf("WriteText with Color does not paint the missed header:\n%q", buf.String())
	}
}
