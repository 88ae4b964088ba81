// Package i18n is how Herald speaks the brand's language: every text meant
// for the people who run a calendar (check's messages, the preview, the
// summaries, the report, the calendar) is a message in a catalog, with its
// plural forms, and every date, number, percentage and amount is written
// as the language writes it.
//
// The catalog is go-i18n (github.com/nicksnyder/go-i18n): its messages live
// in one TOML file per language under locales/, which a translator can edit
// without reading Go, and its plural forms are CLDR's. golang.org/x/text
// formats the numbers (its catalogs need generated Go code for every
// message, which is why it does not hold the messages themselves).
//
// Messages are grouped by area in locales/AREA.LANG.toml (base.en.toml,
// check.fr.toml, report.en.toml...). Adding a language is adding, for every
// AREA.en.toml, an AREA.LANG.toml with the same messages
// (TestEveryLanguageHasEveryMessage says which are missing). Command-line help (--help) stays English.
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed locales/*.toml
var locales embed.FS

// EnvVar overrides the charter's locale for every command, as --lang does.
const EnvVar = "HERALD_LANG"

// Fallback is the language of a locale Herald does not speak.
const Fallback = "en"

// Args are the named values a message's template uses, as {{.Name}}.
type Args map[string]any

// bundle holds every language's messages, parsed once.
var bundle = sync.OnceValue(func() *goi18n.Bundle {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(locales, "locales/*.toml")
	if err != nil {
		panic(err)
	}
	for _, name := range files {
		data, err := locales.ReadFile(name)
		if err != nil {
			panic(err)
		}
		// A broken catalog is a bug of this build, caught by the tests.
		b.MustParseMessageFileBytes(data, name)
	}
	return b
})

// Languages lists the languages Herald speaks (their base tags: "en",
// "fr"), sorted.
func Languages() []string {
	seen := map[string]bool{}
	for _, tag := range bundle().LanguageTags() {
		base, _ := tag.Base()
		seen[base.String()] = true
	}
	return slices.Sorted(maps.Keys(seen))
}

// Printer writes messages, dates and numbers in one language.
type Printer struct {
	lang      string // base language: "fr"
	localizer *goi18n.Localizer
	numbers   *message.Printer
}

// New returns the Printer of a locale ("fr-FR", "fr", "en-US"). A locale
// Herald does not speak gets English, and ok false so that the caller can
// warn once.
func New(locale string) (p *Printer, ok bool) {
	tag, err := language.Parse(strings.ReplaceAll(strings.TrimSpace(locale), "_", "-"))
	base, _ := tag.Base()
	lang := base.String()
	ok = err == nil && slices.Contains(Languages(), lang)
	if !ok {
		tag, lang = language.English, Fallback
	}
	return &Printer{
		lang:      lang,
		localizer: goi18n.NewLocalizer(bundle(), tag.String(), Fallback),
		numbers:   message.NewPrinter(tag),
	}, ok
}

// English is the Printer of tests and of output meant for machines.
func English() *Printer {
	p, _ := New(Fallback)
	return p
}

// Choose picks the language of a command: its --lang flag, else the
// HERALD_LANG environment variable, else the charter's locale, else
// English. The warning is empty, or says that the chosen locale is not one
// Herald speaks, once, for the command to print on stderr.
func Choose(flag, charterLocale string, getenv func(string) string) (p *Printer, warning string) {
	locale, from := charterLocale, "the charter's locale"
	if env := getenv(EnvVar); env != "" {
		locale, from = env, EnvVar
	}
	if flag != "" {
		locale, from = flag, "--lang"
	}
	if locale == "" {
		return English(), ""
	}
	p, ok := New(locale)
	if !ok {
		warning = fmt.Sprintf("Herald does not speak %q (%s) yet: writing English. It speaks %s; a translation is a file in pipeline/i18n/locales.",
			locale, from, strings.Join(Languages(), ", "))
	}
	return p, warning
}

// Lang is the printer's base language, as HTML's lang attribute takes it.
func (p *Printer) Lang() string { return p.lang }

// T returns message id with its arguments. An id missing from the catalog
// is a bug: tests panic on it, and a user sees the id rather than nothing.
func (p *Printer) T(id string, args Args) string {
	return p.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: map[string]any(args)})
}

// N returns the plural form of message id for count, with {{.Count}} written
// as the language writes numbers ("1 200").
func (p *Printer) N(id string, count int, args Args) string {
	data := map[string]any{}
	maps.Copy(data, args)
	data["Count"] = p.Int(int64(count))
	return p.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
}

func (p *Printer) localize(c *goi18n.LocalizeConfig) string {
	s, err := p.localizer.Localize(c)
	if err != nil {
		if testing.Testing() {
			panic(fmt.Sprintf("i18n: message %q: %v", c.MessageID, err))
		}
		if s == "" {
			return c.MessageID
		}
	}
	return s
}

// englishLocalizer is made once: Has is asked for every item of a plan.
var englishLocalizer = sync.OnceValue(func() *goi18n.Localizer {
	return goi18n.NewLocalizer(bundle(), Fallback)
})

// Has reports whether the catalog has message id (in English, which has
// them all).
func Has(id string) bool {
	_, err := englishLocalizer().Localize(&goi18n.LocalizeConfig{MessageID: id, PluralCount: 2})
	var missing *goi18n.MessageNotFoundErr
	return !errors.As(err, &missing)
}

// messages returns one language's messages as its files have them, by
// file name (base.fr.toml), for the tests of completeness and typography.
func messages(lang string) (map[string][]*goi18n.Message, error) {
	names, err := fs.Glob(locales, "locales/*."+lang+".toml")
	if err != nil {
		return nil, err
	}
	byFile := map[string][]*goi18n.Message{}
	for _, name := range names {
		data, err := locales.ReadFile(name)
		if err != nil {
			return nil, err
		}
		b := goi18n.NewBundle(language.English)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		file, err := b.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, err
		}
		byFile[path.Base(name)] = file.Messages
	}
	return byFile, nil
}
