package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/scaffold"
)

// On a terminal, init asks for what the flags did not give, the defaults
// shown; an empty answer keeps the default, a wrong one is asked again. It
// asks in the language of the default locale (or of --lang, HERALD_LANG).
func TestAskInit(t *testing.T) {
	for _, c := range []struct{ lang, questions string }{
		{"en", "Brand name [Cal]: Time zone of the post dates (IANA) [UTC]: " +
			"  --timezone \"Europe/Pariss\" is not an IANA time zone: use a name such as Europe/Paris, America/New_York or UTC\n" +
			"Time zone of the post dates (IANA) [UTC]: "},
		{"fr", "Nom de la marque [Cal]\u00a0: Fuseau horaire des dates de publication (IANA) [UTC]\u00a0: " +
			"  --timezone \"Europe/Pariss\" is not an IANA time zone: use a name such as Europe/Paris, America/New_York or UTC\n" +
			"Fuseau horaire des dates de publication (IANA) [UTC]\u00a0: "},
	} {
		t.Run(c.lang, func(t *testing.T) {
			pr, _ := i18n.New(c.lang)
			o := initOptions{brand: "Cal", timezone: "UTC", locale: "en-US"}
			var out strings.Builder
			p := scaffold.NewPrompter(strings.NewReader("Maison Exemple\nEurope/Pariss\nEurope/Paris\n"), &out, pr)
			changed := func(flag string) bool { return flag == "locale" } // --locale was given
			if err := askInit(context.Background(), pr, p, &o, changed); err != nil {
				t.Fatal(err)
			}
			want := initOptions{brand: "Maison Exemple", timezone: "Europe/Paris", locale: "en-US"}
			if diff := cmp.Diff(want, o, cmp.AllowUnexported(initOptions{})); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(c.questions, out.String()); diff != "" {
				t.Errorf("questions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInitDefaults(t *testing.T) {
	for dir, want := range map[string]string{"/x/maison-exemple": "Maison Exemple", "/x/cal": "Cal", "/x/la_fabrique.v2": "La Fabrique V2", "/": "My Brand"} {
		if got := brandFromDir(dir); got != want {
			t.Errorf("brandFromDir(%q) = %q, want %q", dir, got, want)
		}
	}
	for env, want := range map[string]string{"fr_FR.UTF-8": "fr-FR", "de_DE@euro": "de-DE", "C.UTF-8": "en-US", "POSIX": "en-US", "": "en-US", "pt_BR": "pt-BR"} {
		getenv := func(name string) string {
			if name == "LANG" {
				return env
			}
			return ""
		}
		if got := systemLocale(getenv); got != want {
			t.Errorf("LANG=%s: locale %q, want %q", env, got, want)
		}
	}
	for tz, want := range map[string]string{"Europe/Paris": "Europe/Paris", ":America/New_York": "America/New_York"} {
		got := systemTimezone(func(name string) string {
			if name == "TZ" {
				return tz
			}
			return ""
		})
		if got != want {
			t.Errorf("TZ=%s: time zone %q, want %q", tz, got, want)
		}
	}
}

// A person who presses Ctrl+C at a question (SIGINT cancels the context)
// is not left waiting for the read of the terminal: init stops at once,
// interrupted, and writes nothing.
func TestAskInitInterrupted(t *testing.T) {
	answers, typing := io.Pipe() // a terminal where nobody types
	defer typing.Close()
	var out strings.Builder
	p := scaffold.NewPrompter(answers, &out, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- askInit(ctx, i18n.English(), p, &initOptions{brand: "Cal", timezone: "UTC", locale: "en-US"}, func(string) bool { return false })
	}()
	time.Sleep(20 * time.Millisecond) // at the first question
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("askInit interrupted: %v, want context.Canceled (herald: interrupted)", err)
		}
	case <-time.After(time.Second):
		t.Fatal("askInit still waits for an answer 1 s after the interruption")
	}
}
