package check

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/i18n"
)

// randomFrontMatter makes front matters as ToValue gives them, valid or
// not in every way the post schema can tell: wrong types, empty and long
// strings, undeclared accounts, tags and keys, duplicates, numbers.
func randomFrontMatter(rng *rand.Rand) map[string]any {
	pick := func(values ...any) any { return values[rng.IntN(len(values))] }
	list := func(values ...any) any {
		out := []any{}
		for range rng.IntN(4) {
			out = append(out, pick(values...))
		}
		return out
	}
	str := func() any { return pick("", "a", "une phrase", "é", json.Number("3"), true, nil) }
	fields := map[string]func() any{
		"id":       func() any { return pick("avent-1", "bad id", "", "x/y", json.Number("2")) },
		"date":     str,
		"title":    str,
		"status":   func() any { return pick("draft", "ready", "other", json.Number("1")) },
		"campaign": func() any { return pick("noel-2026", "nope", "", nil) },
		"networks": func() any {
			return pick(list("mastodon", "bluesky", "x", "nope", "", json.Number("1")), "mastodon", nil)
		},
		"tags": func() any { return pick(list("produit", "coulisses", "promo", ""), "produit") },
		"media": func() any {
			var items []any
			for range rng.IntN(3) {
				item := map[string]any{}
				for _, k := range []string{"src", "alt", "part", "extra"} {
					if rng.IntN(3) > 0 {
						item[k] = pick("", "a.png", "alt text", json.Number("0"), json.Number("1"), json.Number("2.5"), nil)
					}
				}
				items = append(items, pick(item, "a.png"))
			}
			return pick(items, "a.png")
		},
		"variants": func() any {
			v := map[string]any{}
			for _, k := range []string{"x", "mastodon", "nope", "bluesky"} {
				if rng.IntN(2) == 0 {
					v[k] = str()
				}
			}
			return pick(v, "text")
		},
		"unknown": str,
	}
	// Mostly valid values, so that valid shapes are common too.
	good := map[string]func() any{
		"id":       func() any { return pick("avent-1", "x/y-2") },
		"date":     func() any { return pick("2026-12-01 09:00", "") },
		"title":    func() any { return pick("Un titre", "") },
		"status":   func() any { return "draft" },
		"campaign": func() any { return "noel-2026" },
		"networks": func() any { return pick([]any{"mastodon"}, []any{"x", "bluesky"}) },
		"tags":     func() any { return pick([]any{"produit"}, []any{"coulisses", "produit"}) },
		"media": func() any {
			return []any{map[string]any{"src": pick("a.png", "b.jpg"), "alt": pick("", "Une photo")}, map[string]any{"src": "c.png", "part": json.Number("2")}}
		},
		"variants": func() any { return map[string]any{"x": pick("Pour X", "Court"), "mastodon": "Pour Mastodon"} },
	}
	out := map[string]any{}
	for k, f := range fields {
		switch n := rng.IntN(10); {
		case good[k] != nil && n < 6:
			out[k] = good[k]()
		case n < 7 || k == "unknown" && n < 9:
		default:
			out[k] = f()
		}
	}
	for _, k := range []string{"date", "networks", "tags"} {
		if _, ok := out[k]; !ok && rng.IntN(4) > 0 {
			out[k] = good[k]()
		}
	}
	return out
}

// TestValidity checks that validity says what the post schema says of
// front matters, from what it remembers of those before.
func TestValidity(t *testing.T) {
	root, err := filepath.Abs("testdata/base")
	if err != nil {
		t.Fatal(err)
	}
	cr, ds := loadCharter(i18n.English(), "charter.yaml", filepath.Join(root, "charter.yaml"), root)
	if cr == nil {
		t.Fatal(ds)
	}
	if cr.validity == nil {
		t.Fatal("the post schema has no validity")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	valid := 0
	for range 50_000 {
		fm := randomFrontMatter(rng)
		want := cr.postSchema.Validate(fm) == nil
		if got := cr.validity.valid(fm); got != want {
			t.Fatalf("validity says %v, the schema %v, of %v", got, want, fm)
		}
		if want {
			valid++
		}
	}
	t.Logf("%d front matters valid, %d things remembered", valid, len(cr.validity.known))
	if valid < 1_000 {
		t.Errorf("only %d valid front matters in 50,000: the generator rarely makes valid ones", valid)
	}
}

// TestValidityNeedsForms checks that a schema whose root is not of the
// form validity needs, such as one with the charter's post_schema, has
// none.
func TestValidityNeedsForms(t *testing.T) {
	dir := t.TempDir()
	charter, err := os.ReadFile("testdata/base/charter.yaml")
	if err != nil {
		t.Fatal(err)
	}
	charter = append(charter, "\npost_schema: extra.json\n"...)
	if err := os.WriteFile(filepath.Join(dir, "charter.yaml"), charter, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.json"), []byte(`{"properties": {"title": {"maxLength": 3}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cr, ds := loadCharter(i18n.English(), "charter.yaml", filepath.Join(dir, "charter.yaml"), dir)
	if cr == nil {
		t.Fatal(ds)
	}
	if cr.validity != nil {
		t.Error("a post schema with the charter's post_schema has a validity")
	}
}
