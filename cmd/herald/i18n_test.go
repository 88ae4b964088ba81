package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestLanguageOverrides runs check, in every format, and plan on the
// calendar of pipeline/i18n's TestLanguages, whose golden files hold what
// it says in French and in English: --lang, then HERALD_LANG, win over
// the charter's locale, and a locale Herald does not speak falls back to
// English with one warning.
func TestLanguageOverrides(t *testing.T) {
	t.Parallel()
	french, english := languageCalendar(t, "fr-FR"), languageCalendar(t, "en-US")
	commands := [][]string{
		{"check"}, {"check", "--format", "json"}, {"check", "--format", "github"}, {"check", "--format", "sarif"},
		{"check", "--list-rules"}, {"plan", "--now", "2026-12-01 10:00"},
	}
	for _, args := range commands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			inFrench := runLanguage(t, french, nil, args)
			inEnglish := runLanguage(t, english, nil, args)
			if inFrench == inEnglish || !strings.Contains(inFrench, "publication") {
				t.Fatalf("herald %s says the same on a fr-FR and an en-US calendar:\n%s", strings.Join(args, " "), inFrench)
			}
			for _, c := range []struct {
				name string
				dir  string
				env  map[string]string
				lang string
				want string
			}{
				{"--lang en on a fr-FR calendar", french, nil, "en", inEnglish},
				{"HERALD_LANG=en on a fr-FR calendar", french, map[string]string{"HERALD_LANG": "en"}, "", inEnglish},
				{"HERALD_LANG=fr on an en-US calendar", english, map[string]string{"HERALD_LANG": "fr"}, "", inFrench},
				{"--lang fr_FR over HERALD_LANG=en", english, map[string]string{"HERALD_LANG": "en"}, "fr_FR", inFrench},
			} {
				args := args
				if c.lang != "" {
					args = append([]string{"--lang", c.lang}, args...)
				}
				if got := runLanguage(t, c.dir, c.env, args); got != c.want {
					t.Errorf("%s: herald %s wrote\n%s\nwant\n%s", c.name, strings.Join(args, " "), got, c.want)
				}
			}
		})
	}

	t.Run("a locale Herald does not speak", func(t *testing.T) {
		t.Parallel()
		got := runLanguage(t, languageCalendar(t, "de-DE"), nil, []string{"check"})
		want := strings.Replace(runLanguage(t, english, nil, []string{"check"}), "--- stderr\n",
			"--- stderr\nherald: warning: Herald does not speak \"de-DE\" (the charter's locale) yet: writing English. "+
				"It speaks en, fr; a translation is a file in pipeline/i18n/locales.\n", 1)
		if got != want {
			t.Errorf("herald check on a de-DE calendar wrote\n%s\nwant English, with one warning:\n%s", got, want)
		}
	})
}

// languageCalendar writes pipeline/i18n's test calendar with its charter's
// locale set, in a temporary folder.
func languageCalendar(t *testing.T, locale string) string {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("..", "..", "pipeline", "i18n", "testdata", "calendar.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range ar.Files {
		name := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, bytes.ReplaceAll(f.Data, []byte("LOCALE"), []byte(locale)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// runLanguage runs herald -C dir args with env as its whole environment,
// and returns its stdout, stderr and exit code as one text.
func runLanguage(t *testing.T, dir string, env map[string]string, args []string) string {
	t.Helper()
	vars := map[string]string{"NO_COLOR": "1"}
	for k, v := range env {
		vars[k] = v
	}
	var stdout, stderr bytes.Buffer
	code := runEnv(context.Background(), append([]string{"herald", "-C", dir}, args...), strings.NewReader(""), &stdout, &stderr,
		func(k string) string { return vars[k] })
	return fmt.Sprintf("%s--- stderr\n%s--- exit %d\n", stdout.String(), stderr.String(), code)
}
