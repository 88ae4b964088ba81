package check

import (
	"testing"
	"time"
)

// TestPartialDate: the date of a post that cannot be parsed is read from
// its front matter when a line says it plainly, so that plan and publish
// can tell whether it would be due.
func TestPartialDate(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	nine := time.Date(2026, 12, 1, 9, 0, 0, 0, paris)
	for _, tt := range []struct {
		name, content string
		want          time.Time
	}{
		{"YAML, invalid UTF-8 in the body", "---\ndate: 2026-12-01 09:00\nnetworks: [x]\n---\nCaf\xe9\n", nine},
		{"YAML, quoted", "---\ntitle: a\ndate: \"2026-12-01 09:00\"\n---\n", nine},
		{"TOML, broken", "+++\ndate = 2026-12-01 09:00\nnetworks = [x\n+++\n", nine},
		{"RFC 3339", "---\ndate: 2026-12-01T09:00:00+01:00\n---\n", nine},
		{"a date in the body only", "---\ntitle: a\n---\ndate: 2026-12-01 09:00\n", time.Time{}},
		{"no front matter", "date: 2026-12-01 09:00\n", time.Time{}},
		{"lone CR line endings", "---\rdate: 2026-12-01 09:00\r---\r", time.Time{}},
		{"not a date", "---\ndate: demain\n---\n", time.Time{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := partialDate([]byte(tt.content), paris); !got.Equal(tt.want) {
				t.Errorf("partialDate = %v, want %v", got, tt.want)
			}
		})
	}
}
