package netspec

import "testing"

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
	}
	for _, tt := range tests {
		s, _ := Lookup(tt.network)
		ok, max := s.Accepts(tt.mime)
		if ok != tt.ok || max != tt.max {
			t.Errorf("%s.Accepts(%s) = %v, %d; want %v, %d", tt.network, tt.mime, ok, max, tt.ok, tt.max)
		}
	}
}
