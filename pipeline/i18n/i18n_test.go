package i18n

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Every language has exactly the messages English has, in the same area's
// file: a message added in one language and not in the others fails here,
// naming it.
func TestEveryLanguageHasEveryMessage(t *testing.T) {
	reference := messageIDs(t, Fallback)
	if len(reference) == 0 {
		t.Fatal("no English messages")
	}
	for _, lang := range Languages() {
		ids := messageIDs(t, lang)
		for area, want := range reference {
			file := strings.Replace(area, "."+Fallback+".", "."+lang+".", 1)
			for _, id := range want {
				if !slices.Contains(ids[file], id) {
					t.Errorf("locales/%s has no message %q (locales/%s has it)", file, id, area)
				}
			}
		}
		for file, got := range ids {
			area := strings.Replace(file, "."+lang+".", "."+Fallback+".", 1)
			for _, id := range got {
				if !slices.Contains(reference[area], id) {
					t.Errorf("locales/%s has message %q that locales/%s does not", file, id, area)
				}
			}
		}
	}
}

// French puts a no-break space before « : » and a narrow one before « ; ! ? »,
// and inside « guillemets »: an ordinary space there would break the line
// before the mark.
func TestFrenchTypography(t *testing.T) {
	byFile, err := messages("fr")
	if err != nil {
		t.Fatal(err)
	}
	spaceBefore := regexp.MustCompile(`[ \t][:;!?»]|«[ \t]`)
	for _, m := range slices.Concat(slices.Collect(maps.Values(byFile))...) {
		for _, text := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
			if loc := spaceBefore.FindStringIndex(text); loc != nil {
				t.Errorf("fr %q: an ordinary space in %q: use U+00A0 before « : » and U+202F before « ; ! ? » and inside guillemets", m.ID, text[max(0, loc[0]-10):loc[1]])
			}
		}
	}
}

func TestChoose(t *testing.T) {
	env := func(value string) func(string) string {
		return func(key string) string {
			if key == EnvVar {
				return value
			}
			return ""
		}
	}
	for _, c := range []struct {
		flag, charter, env string
		want               string
		warns              bool
	}{
		{charter: "fr-FR", want: "fr"},
		{charter: "en-US", want: "en"},
		{charter: "", want: "en"},
		{charter: "fr-FR", env: "en", want: "en"},
		{charter: "en-US", env: "fr", want: "fr"},
		{flag: "fr", charter: "en-US", env: "en", want: "fr"},
		{flag: "en_GB", charter: "fr-FR", want: "en"},
		{charter: "de-DE", want: "en", warns: true},
		{charter: "not a locale", want: "en", warns: true},
	} {
		p, warning := Choose(c.flag, c.charter, env(c.env))
		if p.Lang() != c.want || (warning != "") != c.warns {
			t.Errorf("Choose(%q, %q, HERALD_LANG=%q) = %s, warning %q; want %s, warns %v", c.flag, c.charter, c.env, p.Lang(), warning, c.want, c.warns)
		}
	}
}

func TestFormats(t *testing.T) {
	en, fr := English(), must(New("fr-FR"))
	paris, _ := time.LoadLocation("Europe/Paris")
	at := time.Date(2027, 3, 23, 11, 0, 0, 0, paris)
	first := time.Date(2026, 12, 1, 9, 5, 0, 0, paris)
	for _, c := range []struct{ got, want string }{
		{en.DateTime(at), "Tuesday 23 March 2027, 11:00"},
		{fr.DateTime(at), "mardi 23 mars 2027, 11:00"},
		{fr.Date(first), "mardi 1er décembre 2026"},
		{en.Date(first), "Tuesday 1 December 2026"},
		{fr.MonthYear(first), "décembre 2026"},
		{fr.WeekdayShort(time.Monday), "lun."},
		{en.Percent(0.045, 1), "4.5%"},
		{fr.Percent(0.045, 1), "4,5\u00a0%"},
		{fr.Int(1200), "1\u00a0200"},
		{en.Int(1200), "1,200"},
		{fr.Money(1200, "€"), "1\u00a0200\u00a0€"},
		{en.Money(1200, "€"), "€1,200"},
		{fr.Money(0.5, "€"), "0,50\u00a0€"},
		{fr.Number(2.25, 1), "2,2"},
		{fr.N("posts", 1, nil), "1 publication"},
		{fr.N("posts", 1200, nil), "1\u00a0200 publications"},
		{en.N("posts", 0, nil), "0 posts"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestMissingMessagePanicsInTests(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "no.such.message") {
			t.Errorf("recover() = %v, want a panic naming the message", r)
		}
	}()
	English().T("no.such.message", nil)
}

// messageIDs returns one language's message ids by file name.
func messageIDs(t *testing.T, lang string) map[string][]string {
	t.Helper()
	byFile, err := messages(lang)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string][]string{}
	for file, all := range byFile {
		for _, m := range all {
			ids[file] = append(ids[file], m.ID)
		}
	}
	return ids
}

func must(p *Printer, ok bool) *Printer {
	if !ok {
		panic("unknown language")
	}
	return p
}

func TestQuoteAndDuration(t *testing.T) {
	en, fr := English(), must(New("fr-FR"))
	for _, c := range []struct{ got, want string }{
		{en.Quote(`pas "cher"`), `"pas \"cher\""`},
		{en.Quote("a\nb"), `"a\nb"`},
		{fr.Quote("produit"), "«\u202fproduit\u202f»"},
		{fr.Quote(`pas "cher"`), "«\u202fpas \"cher\"\u202f»"},
		{en.Duration(2*time.Hour + 30*time.Minute), "2h30m"},
		{en.Duration(26 * time.Hour), "1d2h"},
		{en.Duration(0), "0s"},
		{fr.Duration(2*time.Hour + 30*time.Minute), "2\u00a0h 30\u00a0min"},
		{fr.Duration(-26 * time.Hour), "1\u00a0j 2\u00a0h"},
		{fr.Duration(45 * time.Second), "45\u00a0s"},
		{en.Fixed(2, 1), "2.0"},
		{fr.Fixed(2.25, 1), "2,2"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
