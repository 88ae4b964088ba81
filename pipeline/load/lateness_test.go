package load

import (
	"testing"
	"time"
)

func TestCadenceLateness(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  string
		want time.Duration
	}{
		{"unset", "", DefaultMaxLateness},
		{"hours", "6h", 6 * time.Hour},
		{"hours and minutes", "1h30m", 90 * time.Minute},
		{"zero publishes only on time", "0s", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Cadence{MaxLateness: tc.set}).Lateness(); got != tc.want {
				t.Errorf("Lateness() of %q = %v, want %v", tc.set, got, tc.want)
			}
		})
	}
}
