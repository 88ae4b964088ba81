package netspec

import (
	"testing"
	"time"
)

func TestEveryCharterNetworkHasASpec(t *testing.T) {
	// The networks SPEC.md lets an account name.
	for _, n := range []string{"mastodon", "bluesky", "x", "linkedin", "facebook", "instagram",
		"threads", "discord", "slack", "telegram", "webhook", "feed", "outbox"} {
		if _, ok := Lookup(n); !ok {
			t.Errorf("no spec for network %q", n)
		}
	}
	if len(Names()) != 13 {
		t.Errorf("Names() = %v, want the 13 networks of SPEC.md", Names())
	}
}

func TestAccepts(t *testing.T) {
	tests := []struct {
		network, mime string
		ok            bool
		max           int64
	}{
		{"bluesky", "image/png", true, 1_000_000},
		{"bluesky", "video/mp4", true, 100_000_000},
		{"bluesky", "image/heic", false, 0},
		{"instagram", "image/png", false, 0}, // JPEG only
		{"instagram", "image/jpeg", true, 8 << 20},
		{"x", "image/gif", true, 5_000_000},
		{"mastodon", "image/heic", true, 16 << 20},
		{"outbox", "application/pdf", true, 0}, // anything, no limit
		{"linkedin", "video/mp4", true, 500_000_000},
		{"linkedin", "video/quicktime", false, 0}, // MP4 only
		{"facebook", "video/quicktime", true, 10_000_000_000},
	}
	for _, tt := range tests {
		s, _ := Lookup(tt.network)
		ok, max := s.Accepts(tt.mime)
		if ok != tt.ok || max != tt.max {
			t.Errorf("%s.Accepts(%s) = %v, %d; want %v, %d", tt.network, tt.mime, ok, max, tt.ok, tt.max)
		}
	}
}

func TestPollDuration(t *testing.T) {
	tests := []struct {
		name, network string
		in            time.Duration
		want          time.Duration
		ok            bool
	}{
		{"mastodon takes seconds", "mastodon", 90 * time.Minute, 90 * time.Minute, true},
		{"discord rounds up to hours", "discord", 90 * time.Minute, 2 * time.Hour, true},
		{"discord's shortest is an hour", "discord", 30 * time.Minute, time.Hour, true},
		{"x rounds up to minutes", "x", 5*time.Minute + time.Second, 6 * time.Minute, true},
		{"telegram within open_period", "telegram", 5 * time.Minute, 5 * time.Minute, true},
		{"telegram over 600 s goes without one", "telegram", 24 * time.Hour, 0, false},
		{"telegram under 5 s goes without one", "telegram", time.Second, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := Lookup(tt.network)
			got, ok := s.Poll.Duration(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Duration(%v) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPollsWhereDocumented(t *testing.T) {
	with := map[string]bool{"mastodon": true, "x": true, "threads": true, "discord": true, "telegram": true, "outbox": true}
	for _, n := range Names() {
		s, _ := Lookup(n)
		if (s.Poll != nil) != with[n] {
			t.Errorf("%s: Poll = %+v, want polls %v", n, s.Poll, with[n])
		}
		if p := s.Poll; p != nil && p.MaxOptions > 0 && p.MinOptions > p.MaxOptions {
			t.Errorf("%s: MinOptions %d > MaxOptions %d", n, p.MinOptions, p.MaxOptions)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * 24 * time.Hour: "30d", 5 * time.Minute: "5m", 90 * time.Minute: "1h30m",
		time.Hour: "1h", 10 * time.Second: "10s", 768 * time.Hour: "32d", 25 * time.Hour: "25h",
		90 * time.Second: "1m30s",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("FormatDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestVideoAloneWhereDocumented: LinkedIn and Facebook post a video
// alone; LinkedIn's videos have a floor in size and duration.
func TestVideoAloneWhereDocumented(t *testing.T) {
	for _, n := range Names() {
		s, _ := Lookup(n)
		if want := n == "linkedin" || n == "facebook"; s.VideoAlone != want {
			t.Errorf("%s: VideoAlone %v, want %v", n, s.VideoAlone, want)
		}
	}
	li, _ := Lookup("linkedin")
	if l, _ := li.Limit("video/mp4"); l.MinBytes != 75_000 || li.MinVideoDuration != 3*time.Second || li.MaxVideoDuration != 30*time.Minute {
		t.Errorf("linkedin video limits %+v, %v to %v", l, li.MinVideoDuration, li.MaxVideoDuration)
	}
}
