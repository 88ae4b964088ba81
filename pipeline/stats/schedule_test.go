package stats

import (
	"testing"
	"time"
)

func TestTimingOf(t *testing.T) {
	const h = time.Hour
	window := 30 * 24 * h
	now := time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		published time.Duration // before now
		last      time.Duration // before now; 0: no sample yet
		want      timing
	}{
		{"never sampled", 5 * time.Minute, 0, due},
		{"first day, an hour since", 3 * h, h, due},
		{"first day, a cron run a little early", 3 * h, 55 * time.Minute, due},
		{"first day, too soon", 3 * h, 50 * time.Minute, recent},
		{"first week, 6h since", 3 * 24 * h, 6 * h, due},
		{"first week, 2h since", 3 * 24 * h, 2 * h, recent},
		{"a day old switches to 6h", 24 * h, 2 * h, recent},
		{"after a week, daily", 8 * 24 * h, 22 * h, due},
		{"after a week, 12h since", 8 * 24 * h, 12 * h, recent},
		{"at the window, never again", 30 * 24 * h, 48 * h, expired},
		{"past the window, never sampled", 40 * 24 * h, 0, expired},
		{"published after --now", -h, 0, notYet},
		{"last sample after --now (a replay)", 3 * h, -h, recent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var last time.Time
			if tc.last != 0 {
				last = now.Add(-tc.last)
			}
			if got := timingOf(now.Add(-tc.published), last, now, window); got != tc.want {
				t.Errorf("timingOf(published %v ago, last %v ago) = %d, want %d", tc.published, tc.last, got, tc.want)
			}
		})
	}
}

func TestFollowersRoundTrip(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	var samples []FollowerSample
	for i, n := range []int64{10, 12} {
		var added bool
		samples, added = addFollowers(samples, FollowerSample{At: at.Add(time.Duration(i) * time.Hour), Followers: n})
		if !added {
			t.Fatalf("sample %d not added", i)
		}
	}
	if _, added := addFollowers(samples, FollowerSample{At: at, Followers: 99}); added {
		t.Error("a second sample at the same time was added")
	}
	data, err := encodeFollowers(samples)
	if err != nil {
		t.Fatal(err)
	}
	want := "[\n  {\"at\":\"2026-12-01T09:00:00+01:00\",\"followers\":10},\n  {\"at\":\"2026-12-01T10:00:00+01:00\",\"followers\":12}\n]\n"
	if string(data) != want {
		t.Errorf("encoded\n%s\nwant\n%s", data, want)
	}
	back, err := decodeFollowers("state/accounts/m.json", data)
	if err != nil || len(back) != 2 || !back[1].At.Equal(samples[1].At) || back[1].Followers != 12 {
		t.Errorf("decoded %+v, %v", back, err)
	}
	if empty, _ := encodeFollowers(nil); string(empty) != "[]\n" {
		t.Errorf("no samples encode as %q", empty)
	}
	for name, bad := range map[string]string{
		"a state file":     `{"accounts": {}}`,
		"out of order":     `[{"at":"2026-12-02T00:00:00Z","followers":1},{"at":"2026-12-01T00:00:00Z","followers":2}]`,
		"an unknown field": `[{"at":"2026-12-01T00:00:00Z","followers":1,"likes":2}]`,
		"no time":          `[{"followers":1}]`,
	} {
		if _, err := decodeFollowers("state/accounts/m.json", []byte(bad)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

func TestPublishedTimes(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tc := range []struct {
		name string
		data string
		want []time.Time
		ok   bool
	}{
		{"as herald writes it", "{\n  \"accounts\": {\n    \"a\": {\n      \"status\": \"published\",\n      \"published_at\": \"2026-12-01T09:00:00+01:00\",\n      \"ids\": []\n    },\n    \"b\": {\n      \"published_at\": \"2026-12-02T09:00:00Z\"\n    }\n  }\n}\n",
			[]time.Time{at("2026-12-01T09:00:00+01:00"), at("2026-12-02T09:00:00Z")}, true},
		{"compact, last in its object", `{"accounts":{"a":{"status":"published","published_at":"2026-12-01T09:00:00Z"}}}`,
			[]time.Time{at("2026-12-01T09:00:00Z")}, true},
		{"none", `{"accounts":{"a":{"status":"missed"}}}`, nil, true},
		{"the key's text in a string", `{"accounts":{"a":{"status":"failed","reason":"no \"published_at\" here"}}}`, nil, true},
		{"not a time", `{"accounts":{"a":{"published_at":"yesterday"}}}`, nil, false},
		{"cut short", `{"accounts":{"a":{"published_at":"2026-12-01T09:00:00Z"`, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := publishedTimes([]byte(tc.data))
			if ok != tc.ok || len(got) != len(tc.want) {
				t.Fatalf("publishedTimes = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
			for i := range got {
				if !got[i].Equal(tc.want[i]) {
					t.Errorf("time %d = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
