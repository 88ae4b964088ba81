package preview_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
)

// locales are the charter locales every golden preview is written in:
// the same calendar, read by a French and an American team.
var locales = []struct{ lang, locale string }{{"en", "en-US"}, {"fr", "fr-FR"}}

// withLocale copies the folder tree (a calendar, and what lies beside it)
// into a new folder and sets the charter of its calendar (a path below
// tree) to locale. It returns the copied calendar's root.
func withLocale(t testing.TB, tree, calendar, locale string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "tree")
	if err := os.CopyFS(dst, os.DirFS(tree)); err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(dst, calendar)
	charter := filepath.Join(root, "charter.yaml")
	b, err := os.ReadFile(charter)
	if err != nil {
		t.Fatal(err)
	}
	const line = "\nlocale: fr-FR\n"
	if !strings.Contains(string(b), line) {
		t.Fatalf("%s has no line %q to change", charter, strings.TrimSpace(line))
	}
	if err := os.WriteFile(charter, []byte(strings.Replace(string(b), line, "\nlocale: "+locale+"\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

// printerOf is the printer herald preview uses for a result: its first
// calendar's locale, as cmd/herald's e.printer(cal.Charter.Locale) without
// --lang or HERALD_LANG.
func printerOf(t testing.TB, res *check.Result) *i18n.Printer {
	t.Helper()
	if len(res.Calendars) == 0 {
		t.Fatal("no calendar")
	}
	p, ok := i18n.New(res.Calendars[0].Charter.Locale)
	if !ok {
		t.Fatalf("Herald does not speak %q", res.Calendars[0].Charter.Locale)
	}
	return p
}
