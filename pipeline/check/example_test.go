package check_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/check"
)

// TestExampleCalendar keeps the example calendar shipped with Herald clean:
// every post of example-calendar must pass check with no error and no
// warning, since users copy it to start their own.
func TestExampleCalendar(t *testing.T) {
	res, err := check.Run(context.Background(), check.Options{
		Paths: []string{filepath.Join("..", "..", "example-calendar")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Found != 1 || len(res.Calendars) != 1 || res.ConfigError {
		t.Fatalf("found %d calendars, %d usable (config error: %v); want the example calendar",
			res.Found, len(res.Calendars), res.ConfigError)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("%s:%d:%d: %s: %s [%s]", d.Path, d.Line, d.Column, d.Severity, d.Message, d.Rule)
	}
	if res.Checked < 35 {
		t.Errorf("checked %d posts (%d read); the example calendar should have at least 35", res.Checked, res.Posts)
	}
}
