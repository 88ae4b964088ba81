package check

import (
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
)

// TestFormatGap: a gap reads as people write it, with seconds where there
// are some (a 45-second gap is not "0m"); check's messages write gaps with
// the Printer's Duration.
func TestFormatGap(t *testing.T) {
	formatGap := i18n.English().Duration
	for d, want := range map[time.Duration]string{
		0:                                 "0s",
		45 * time.Second:                  "45s",
		90 * time.Second:                  "1m30s",
		30 * time.Minute:                  "30m",
		90 * time.Minute:                  "1h30m",
		2 * time.Hour:                     "2h",
		2*time.Hour + 45*time.Second:      "2h45s",
		44*time.Second + time.Millisecond: "44s",
	} {
		if got := formatGap(d); got != want {
			t.Errorf("formatGap(%v) = %q, want %q", d, got, want)
		}
	}
}
