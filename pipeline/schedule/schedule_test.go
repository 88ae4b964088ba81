package schedule

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// calendar is a calendar in Europe/Paris with a mastodon and a bluesky
// account, holding posts.
func calendar(maxLateness string, posts ...*check.Post) *check.Calendar {
	return &check.Calendar{
		Root: "/cal",
		Charter: &load.Charter{
			Brand:    "Maison Exemple",
			Timezone: "Europe/Paris",
			Location: paris,
			Accounts: map[string]*load.Account{
				"mastodon": {Key: "mastodon", Network: "mastodon"},
				"bluesky":  {Key: "bluesky", Network: "bluesky"},
			},
			Cadence: load.Cadence{MaxLateness: maxLateness},
		},
		Posts: posts,
	}
}

// post is a post due at when (RFC 3339) on the accounts.
func post(id, when string, accounts ...string) *check.Post {
	p := &check.Post{Post: &load.Post{ID: id, Rel: id + ".md"}, Path: id + ".md", When: at(when)}
	for _, a := range accounts {
		p.Networks = append(p.Networks, load.Text{Value: a})
	}
	return p
}

func draft(p *check.Post) *check.Post {
	p.Status = load.Text{Value: "draft"}
	return p
}

func withDiags(p *check.Post, ds ...diag.Diagnostic) *check.Post {
	p.Diagnostics = ds
	return p
}

// states is a StateReader from "post/account" to status; errs makes a
// post's state unreadable.
type states struct {
	status map[string]state.Status
	errs   map[string]error
	asked  []string
}

func (s *states) Status(postID, account string) (state.Status, error) {
	s.asked = append(s.asked, postID+"/"+account)
	if err := s.errs[postID]; err != nil {
		return "", err
	}
	return s.status[postID+"/"+account], nil
}

// item is an expected item; DueAt is compared as an instant.
func item(id, account string, due string, status Status, reason string) Item {
	return Item{PostID: id, Path: id + ".md", Account: account, Network: account, DueAt: at(due), Status: status, Reason: reason}
}

func late(it Item, d time.Duration) Item { it.LateBy = d; return it }

func withState(it Item, st state.Status) Item { it.State = st; return it }

func unreadable(it Item) Item { it.Unreadable = true; return it }

func TestPlan(t *testing.T) {
	const nine = "2026-12-01T09:00:00+01:00"
	for _, tc := range []struct {
		name        string
		maxLateness string
		posts       []*check.Post
		now         string
		state       map[string]state.Status
		stateErrs   map[string]error
		opts        Options
		want        []Item
	}{
		{
			name:  "due exactly now",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   nine,
			want:  []Item{item("a", "mastodon", nine, Due, "")},
		},
		{
			name:  "one second before is upcoming",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T08:59:59+01:00",
			want:  []Item{item("a", "mastodon", nine, Upcoming, "in 1s")},
		},
		{
			name:  "a cron run 47 minutes late publishes it late",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T09:47:00+01:00",
			want:  []Item{late(item("a", "mastodon", nine, Due, "late by 47m"), 47*time.Minute)},
		},
		{
			name:  "exactly max_lateness late is still due",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T15:00:00+01:00",
			want:  []Item{late(item("a", "mastodon", nine, Due, "late by 6h"), 6*time.Hour)},
		},
		{
			name:  "a second more is missed",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T15:00:01+01:00",
			want: []Item{late(item("a", "mastodon", nine, Missed,
				"due at 2026-12-01 09:00 CET, found at 2026-12-01 15:00:01 CET, 6h1s late: more than max_lateness 6h"), 6*time.Hour+time.Second)},
		},
		{
			name:        "the charter's max_lateness",
			maxLateness: "30m",
			posts:       []*check.Post{post("a", nine, "mastodon"), post("b", "2026-12-01T09:20:00+01:00", "mastodon")},
			now:         "2026-12-01T09:50:00+01:00",
			want: []Item{
				late(item("a", "mastodon", nine, Missed,
					"due at 2026-12-01 09:00 CET, found at 2026-12-01 09:50 CET, 50m late: more than max_lateness 30m"), 50*time.Minute),
				late(item("b", "mastodon", "2026-12-01T09:20:00+01:00", Due, "late by 30m"), 30*time.Minute),
			},
		},
		{
			name:  "missed long ago",
			posts: []*check.Post{post("a", "2026-11-02T09:30:00+01:00", "mastodon")},
			now:   "2026-12-01T10:00:00+01:00",
			want: []Item{late(item("a", "mastodon", "2026-11-02T09:30:00+01:00", Missed,
				"due at 2026-11-02 09:30 CET, found at 2026-12-01 10:00 CET, 29d30m late: more than max_lateness 6h"), 29*24*time.Hour+30*time.Minute)},
		},
		{
			name: "upcoming up to seven days ahead, not beyond",
			posts: []*check.Post{
				post("in-7d", "2026-12-08T09:00:00+01:00", "mastodon"),
				post("in-7d1m", "2026-12-08T09:01:00+01:00", "mastodon"),
			},
			now:  nine,
			want: []Item{item("in-7d", "mastodon", "2026-12-08T09:00:00+01:00", Upcoming, "in 7d")},
		},
		{
			name:  "a longer horizon",
			posts: []*check.Post{post("a", "2026-12-31T09:00:00+01:00", "mastodon")},
			now:   nine,
			opts:  Options{Horizon: 31 * 24 * time.Hour},
			want:  []Item{item("a", "mastodon", "2026-12-31T09:00:00+01:00", Upcoming, "in 30d")},
		},
		{
			name: "drafts are skipped, and listed only up to the horizon",
			posts: []*check.Post{
				draft(post("past", "2026-11-30T09:00:00+01:00", "mastodon")),
				draft(post("soon", "2026-12-02T09:00:00+01:00", "mastodon")),
				draft(post("later", "2027-01-02T09:00:00+01:00", "mastodon")),
			},
			now: nine,
			want: []Item{
				item("past", "mastodon", "2026-11-30T09:00:00+01:00", Skipped, "draft"),
				item("soon", "mastodon", "2026-12-02T09:00:00+01:00", Skipped, "draft"),
			},
		},
		{
			name: "a post with errors is skipped, naming its first error; warnings do not stop it",
			posts: []*check.Post{
				withDiags(post("bad", nine, "mastodon"),
					diag.Diagnostic{Path: "bad.md", Line: 2, Column: 1, Severity: diag.Warning, Rule: "voice.prefer", Message: "prefer courriel"},
					diag.Diagnostic{Path: "bad.md", Line: 3, Column: 7, Severity: diag.Error, Rule: "voice.banned", Message: `"pas cher" is banned`},
					diag.Diagnostic{Path: "bad.md", Line: 5, Column: 1, Severity: diag.Error, Rule: "media.missing", Message: "no such file"}),
				withDiags(post("warned", nine, "mastodon"),
					diag.Diagnostic{Path: "warned.md", Line: 2, Column: 1, Severity: diag.Warning, Rule: "voice.prefer", Message: "prefer courriel"}),
				withDiags(post("whole-file", nine, "mastodon"),
					diag.Diagnostic{Path: "whole-file.md", Severity: diag.Error, Rule: "cadence.max-per-day", Message: "three posts on Tuesday"}),
			},
			now: nine,
			want: []Item{
				item("bad", "mastodon", nine, Skipped, `check: 3:7: "pas cher" is banned [voice.banned]`),
				item("warned", "mastodon", nine, Due, ""),
				item("whole-file", "mastodon", nine, Skipped, "check: three posts on Tuesday [cadence.max-per-day]"),
			},
		},
		{
			name:  "published items are left out",
			posts: []*check.Post{post("a", nine, "mastodon", "bluesky")},
			now:   "2026-12-01T09:10:00+01:00",
			state: map[string]state.Status{"a/mastodon": state.Published},
			want:  []Item{late(item("a", "bluesky", nine, Due, "late by 10m"), 10*time.Minute)},
		},
		{
			name:  "published items are done with IncludeDone, even long after",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-20T09:00:00+01:00",
			state: map[string]state.Status{"a/mastodon": state.Published},
			opts:  Options{IncludeDone: true},
			want:  []Item{withState(item("a", "mastodon", nine, Done, "published"), state.Published)},
		},
		{
			name:  "an intent is in progress, even past max_lateness",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T18:00:00+01:00",
			state: map[string]state.Status{"a/mastodon": state.Publishing},
			want: []Item{withState(item("a", "mastodon", nine, InProgress,
				"publishing: a run started it; publish asks the network whether it went out before any retry"), state.Publishing)},
		},
		{
			name:  "a failed attempt is due again within max_lateness",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T09:15:00+01:00",
			state: map[string]state.Status{"a/mastodon": state.Failed},
			want: []Item{withState(late(item("a", "mastodon", nine, Due,
				"late by 15m; retry: the last attempt failed"), 15*time.Minute), state.Failed)},
		},
		{
			name:  "a failed attempt is missed past max_lateness",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T16:00:00+01:00",
			state: map[string]state.Status{"a/mastodon": state.Failed},
			want: []Item{withState(late(item("a", "mastodon", nine, Missed,
				"due at 2026-12-01 09:00 CET, found at 2026-12-01 16:00 CET, 7h late: more than max_lateness 6h; the last attempt failed"), 7*time.Hour), state.Failed)},
		},
		{
			name:  "recorded missed stays missed",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   "2026-12-01T10:00:00+01:00",
			state: map[string]state.Status{"a/mastodon": state.Missed},
			want: []Item{withState(late(item("a", "mastodon", nine, Missed,
				"due at 2026-12-01 09:00 CET: publish recorded it missed"), time.Hour), state.Missed)},
		},
		{
			name:      "an unreadable state skips the post, not the plan",
			posts:     []*check.Post{post("a", nine, "mastodon"), post("b", nine, "mastodon")},
			now:       nine,
			stateErrs: map[string]error{"a": errors.New("state file unreadable: state/a.json: unexpected end of JSON input")},
			want: []Item{
				unreadable(item("a", "mastodon", nine, Skipped, "state file unreadable: state/a.json: unexpected end of JSON input: whether it was published cannot be told, so it is not published again")),
				item("b", "mastodon", nine, Due, ""),
			},
		},
		{
			name:  "an unknown state status skips the post",
			posts: []*check.Post{post("a", nine, "mastodon")},
			now:   nine,
			state: map[string]state.Status{"a/mastodon": "sent"},
			want: []Item{unreadable(withState(item("a", "mastodon", nine, Skipped,
				`the state records an unknown status "sent": only herald writes state files`), "sent"))},
		},
		{
			name: "accounts the caller cannot publish to are skipped when due or upcoming",
			posts: []*check.Post{
				post("old", "2026-11-30T09:00:00+01:00", "bluesky"),
				post("now", nine, "mastodon", "bluesky"),
				post("soon", "2026-12-02T09:00:00+01:00", "bluesky"),
			},
			now: nine,
			opts: Options{Configured: func(a *load.Account) error {
				if a.Key == "bluesky" {
					return &networks.Error{Kind: networks.NotConfigured, Account: a.Key, Env: "HERALD_BLUESKY_PASSWORD",
						Err: errors.New("HERALD_BLUESKY_PASSWORD is not set: it holds the app password of bluesky account \"bluesky\"")}
				}
				return nil
			}},
			want: []Item{
				late(item("old", "bluesky", "2026-11-30T09:00:00+01:00", Missed,
					"due at 2026-11-30 09:00 CET, found at 2026-12-01 09:00 CET, 1d late: more than max_lateness 6h"), 24*time.Hour),
				item("now", "bluesky", nine, Skipped, "not configured: set HERALD_BLUESKY_PASSWORD (herald doctor says what it holds)"),
				item("now", "mastodon", nine, Due, ""),
				item("soon", "bluesky", "2026-12-02T09:00:00+01:00", Skipped, "not configured: set HERALD_BLUESKY_PASSWORD (herald doctor says what it holds)"),
			},
		},
		{
			name: "sorted by time, then post id, then account; an account named twice counts once",
			posts: []*check.Post{
				post("b", "2026-12-01T10:00:00+01:00", "mastodon"),
				post("z", nine, "mastodon", "bluesky", "mastodon"),
				post("a", "2026-12-01T08:00:00Z", "bluesky"), // 09:00 in Paris
			},
			now: "2026-12-01T09:30:00+01:00",
			want: []Item{
				late(item("a", "bluesky", nine, Due, "late by 30m"), 30*time.Minute),
				late(item("z", "bluesky", nine, Due, "late by 30m"), 30*time.Minute),
				late(item("z", "mastodon", nine, Due, "late by 30m"), 30*time.Minute),
				item("b", "mastodon", "2026-12-01T10:00:00+01:00", Upcoming, "in 30m"),
			},
		},
		{
			name:  "an account the charter lacks",
			posts: []*check.Post{post("a", nine, "tiktok")},
			now:   nine,
			want: []Item{func() Item {
				it := item("a", "tiktok", nine, Skipped, `account "tiktok" is not in the charter`)
				it.Network = ""
				return it
			}()},
		},
		{
			name:  "a post that names no account",
			posts: []*check.Post{post("a", nine)},
			now:   nine,
			want: []Item{func() Item {
				it := item("a", "", nine, Skipped, "the post names no account: herald check shows why")
				it.Network = ""
				return it
			}()},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cal := calendar(tc.maxLateness, tc.posts...)
			st := &states{status: tc.state, errs: tc.stateErrs}
			got := Plan(cal, at(tc.now), st, tc.opts)
			if diff := cmp.Diff(tc.want, got.Items, cmpopts.IgnoreFields(Item{}, "Post"), cmpopts.IgnoreUnexported(Item{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Plan() items (-want +got):\n%s", diff)
			}
			for _, it := range got.Items {
				if it.DueAt.Location() != paris || it.Post == nil {
					t.Errorf("item %s/%s: due at %v in %v with post %v: want the charter's zone and the post", it.PostID, it.Account, it.DueAt, it.DueAt.Location(), it.Post)
				}
			}
			if got.Now.Location() != paris || !got.Now.Equal(at(tc.now)) {
				t.Errorf("Plan().Now = %v, want %s in Europe/Paris", got.Now, tc.now)
			}
		})
	}
}

// TestPlanDST plans posts around the nights the clocks change in Paris.
// Post times are instants, so each is due once, at its instant, whatever
// its wall clock says.
func TestPlanDST(t *testing.T) {
	// 2026-10-25: at 03:00 CEST the clocks go back to 02:00 CET, so 02:30
	// happens twice: at 02:30+02:00 (00:30Z) and at 02:30+01:00 (01:30Z).
	const first, second = "2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"
	// 2027-03-28: at 02:00 CET the clocks jump to 03:00 CEST; 02:30 local
	// does not exist (check reports it: see TestPlanCheckedDST). 03:30
	// local is 01:30Z; 01:00Z, written as an instant, is 03:00 CEST.
	const spring, springUTC = "2027-03-28T03:30:00+02:00", "2027-03-28T01:00:00Z"
	for _, tc := range []struct {
		name  string
		posts []*check.Post
		now   string
		want  []Item
	}{
		{
			name:  "fall back: before the first 02:30",
			posts: []*check.Post{post("first", first, "mastodon"), post("second", second, "mastodon")},
			now:   "2026-10-25T02:29:00+02:00",
			want: []Item{
				item("first", "mastodon", first, Upcoming, "in 1m"),
				item("second", "mastodon", second, Upcoming, "in 1h1m"),
			},
		},
		{
			name:  "fall back: at the first 02:30",
			posts: []*check.Post{post("first", first, "mastodon"), post("second", second, "mastodon")},
			now:   first,
			want: []Item{
				item("first", "mastodon", first, Due, ""),
				item("second", "mastodon", second, Upcoming, "in 1h"),
			},
		},
		{
			name:  "fall back: between the two, the wall clock reads 02:15 again",
			posts: []*check.Post{post("first", first, "mastodon"), post("second", second, "mastodon")},
			now:   "2026-10-25T02:15:00+01:00",
			want: []Item{
				late(item("first", "mastodon", first, Due, "late by 45m"), 45*time.Minute),
				item("second", "mastodon", second, Upcoming, "in 15m"),
			},
		},
		{
			name:  "fall back: at the second 02:30",
			posts: []*check.Post{post("first", first, "mastodon"), post("second", second, "mastodon")},
			now:   second,
			want: []Item{
				late(item("first", "mastodon", first, Due, "late by 1h"), time.Hour),
				item("second", "mastodon", second, Due, ""),
			},
		},
		{
			name:  "fall back: after both, the first is past max_lateness",
			posts: []*check.Post{post("first", first, "mastodon"), post("second", second, "mastodon")},
			now:   "2026-10-25T08:30:00+01:00",
			want: []Item{
				late(item("first", "mastodon", first, Missed,
					"due at 2026-10-25 02:30 CEST, found at 2026-10-25 08:30 CET, 7h late: more than max_lateness 6h"), 7*time.Hour),
				late(item("second", "mastodon", second, Due, "late by 6h"), 6*time.Hour),
			},
		},
		{
			name:  "spring forward: before, the wall clock reads 01:59",
			posts: []*check.Post{post("local", spring, "mastodon"), post("instant", springUTC, "mastodon")},
			now:   "2027-03-28T01:59:00+01:00",
			want: []Item{
				item("instant", "mastodon", springUTC, Upcoming, "in 1m"),
				item("local", "mastodon", spring, Upcoming, "in 31m"),
			},
		},
		{
			name:  "spring forward: at 03:00 CEST",
			posts: []*check.Post{post("local", spring, "mastodon"), post("instant", springUTC, "mastodon")},
			now:   "2027-03-28T03:00:00+02:00",
			want: []Item{
				item("instant", "mastodon", springUTC, Due, ""),
				item("local", "mastodon", spring, Upcoming, "in 30m"),
			},
		},
		{
			name:  "spring forward: at 03:30 CEST",
			posts: []*check.Post{post("local", spring, "mastodon"), post("instant", springUTC, "mastodon")},
			now:   spring,
			want: []Item{
				late(item("instant", "mastodon", springUTC, Due, "late by 30m"), 30*time.Minute),
				item("local", "mastodon", spring, Due, ""),
			},
		},
		{
			name:  "spring forward: after, missed counts real hours, not wall-clock ones",
			posts: []*check.Post{post("local", spring, "mastodon"), post("instant", springUTC, "mastodon")},
			now:   "2027-03-28T09:00:30+02:00",
			want: []Item{
				late(item("instant", "mastodon", springUTC, Missed,
					"due at 2027-03-28 03:00 CEST, found at 2027-03-28 09:00:30 CEST, 6h30s late: more than max_lateness 6h"), 6*time.Hour+30*time.Second),
				late(item("local", "mastodon", spring, Due, "late by 5h30m30s"), 5*time.Hour+30*time.Minute+30*time.Second),
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Plan(calendar("", tc.posts...), at(tc.now), nil, Options{})
			if diff := cmp.Diff(tc.want, got.Items, cmpopts.IgnoreFields(Item{}, "Post"), cmpopts.IgnoreUnexported(Item{})); diff != "" {
				t.Errorf("Plan() items (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{400 * time.Millisecond, "0s"},
		{time.Second, "1s"},
		{47 * time.Minute, "47m"},
		{time.Hour + 5*time.Minute, "1h5m"},
		{6 * time.Hour, "6h"},
		{-90 * time.Minute, "1h30m"},
		{24 * time.Hour, "1d"},
		{29*24*time.Hour + 30*time.Minute + 20*time.Second, "29d30m"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			if got := FormatDuration(tc.d); got != tc.want {
				t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}
