package calendar_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/calendar"
)

// TestReadHootsuite reads a bulk composer file as Hootsuite's help
// describes it (date and time, message, optional link; no header, though
// a header line is tolerated), in both date orders.
func TestReadHootsuite(t *testing.T) {
	t.Parallel()
	file := "Date,Message,Link\n" +
		"01/12/2026 09:00,Le calendrier de l'Avent ouvre,https://example.com/avent\n" +
		"\"02/12/2026 18:05\",\"Deux lignes,\nune virgule\",\n"
	rows, err := calendar.ReadHootsuite(strings.NewReader(file), calendar.ForeignOptions{Accounts: []string{"mastodon", "x"}, Tags: []string{"produit"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, strings.Join([]string{r.Date, r.Account, r.Text, strings.Join(r.Tags, ",")}, " | ")+fmt.Sprintf(" @%d", r.Line))
	}
	want := []string{
		"2026-12-01 09:00 | mastodon | Le calendrier de l'Avent ouvre https://example.com/avent | produit @2",
		"2026-12-01 09:00 | x | Le calendrier de l'Avent ouvre https://example.com/avent | produit @2",
		"2026-12-02 18:05 | mastodon | Deux lignes,\nune virgule | produit @3",
		"2026-12-02 18:05 | x | Deux lignes,\nune virgule | produit @3",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	rows, err = calendar.ReadHootsuite(strings.NewReader("12/31/2026 09:00,US\n"), calendar.ForeignOptions{Accounts: []string{"x"}, MonthFirst: true})
	if err != nil || len(rows) != 1 || rows[0].Date != "2026-12-31 09:00" {
		t.Errorf("month first: %v %v", rows, err)
	}
	_, err = calendar.ReadHootsuite(strings.NewReader("31/12/2026 09:00,ok\n31/13/2026 09:00,no\nx\n"), calendar.ForeignOptions{Accounts: []string{"x"}})
	if err == nil || !strings.Contains(err.Error(), `2: date "31/13/2026 09:00": Hootsuite writes DD/MM/YYYY HH:MM`) || !strings.Contains(err.Error(), "3: a Hootsuite line has") {
		t.Errorf("bad lines: %v", err)
	}
}
