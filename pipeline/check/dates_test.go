package check

import (
	"errors"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		in      string
		want    string // RFC 3339, when valid
		wantErr error  // errDSTGap, errDSTAmbiguous, or any error when set to errAny
	}{
		{name: "RFC 3339 with offset", in: "2026-12-01T09:00:00+01:00", want: "2026-12-01T09:00:00+01:00"},
		{name: "RFC 3339 UTC", in: "2026-12-01T08:00:00Z", want: "2026-12-01T08:00:00Z"},
		{name: "space instead of T", in: "2026-12-01 09:00:00+01:00", want: "2026-12-01T09:00:00+01:00"},
		{name: "local winter time", in: "2026-12-01 09:00", want: "2026-12-01T09:00:00+01:00"},
		{name: "local summer time", in: "2027-06-12 10:30", want: "2027-06-12T10:30:00+02:00"},
		{name: "local with seconds", in: "2027-06-12 10:30:15", want: "2027-06-12T10:30:15+02:00"},
		{name: "local with T", in: "2027-06-12T10:30", want: "2027-06-12T10:30:00+02:00"},
		{name: "spring forward gap", in: "2027-03-28 02:30", wantErr: errDSTGap},
		{name: "just before the gap", in: "2027-03-28 01:59", want: "2027-03-28T01:59:00+01:00"},
		{name: "just after the gap", in: "2027-03-28 03:00", want: "2027-03-28T03:00:00+02:00"},
		{name: "fall back twice", in: "2026-10-25 02:30", wantErr: errDSTAmbiguous},
		{name: "fall back with offset is fine", in: "2026-10-25T02:30:00+01:00", want: "2026-10-25T02:30:00+01:00"},
		{name: "date only", in: "2026-12-01", wantErr: errAny},
		{name: "31 February", in: "2027-02-31 10:00", wantErr: errAny},
		{name: "words", in: "next monday", wantErr: errAny},
		{name: "empty", in: "", wantErr: errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseDate(tt.in, paris)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %v, want an error", tt.in, got)
				}
				if tt.wantErr != errAny && !errors.Is(err, tt.wantErr) {
					t.Fatalf("ParseDate(%q) error = %v, want %v", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if s := got.Format(time.RFC3339); s != tt.want {
				t.Errorf("ParseDate(%q) = %s, want %s", tt.in, s, tt.want)
			}
		})
	}
}

var errAny = errors.New("any error")

// TestParseDateNamesBothInstants checks that an ambiguous local time's
// error offers the two times the writer can choose between.
func TestParseDateNamesBothInstants(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	_, err := ParseDate("2026-10-25 02:30", paris)
	want := "DST ambiguous: 2026-10-25 02:30 happens twice in Europe/Paris (DST change): write 2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
}
