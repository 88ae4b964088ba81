package load

import (
	"testing"
	"time"
)

func TestAccountWindow(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  string
		want time.Duration
	}{
		{"unset", "", DefaultStatsWindow},
		{"days", "14d", 14 * 24 * time.Hour},
		{"hours", "72h", 72 * time.Hour},
		{"zero samples nothing", "0d", 0},
		{"unreadable is the default", "3 days", DefaultStatsWindow},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (&Account{StatsWindow: tc.set}).Window(); got != tc.want {
				t.Errorf("Window() of %q = %v, want %v", tc.set, got, tc.want)
			}
		})
	}
}
