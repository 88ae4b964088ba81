package check

import (
	"testing"
	"time"
)

func TestFormatGap(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                                 "0s",
		45 * time.Second:                  "45s",
		90 * time.Second:                  "1m30s",
		30 * time.Minute:                  "30m",
		90 * time.Minute:                  "1h30m",
		2 * time.Hour:                     "2h",
		2*time.Hour + 45*time.Second:      "2h0m45s",
		44*time.Second + time.Millisecond: "44s",
	} {
		if got := formatGap(d); got != want {
			t.Errorf("formatGap(%v) = %q, want %q", d, got, want)
		}
	}
}
