package publication

import (
	"errors"
	"io/fs"
	"regexp"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

func TestDigest(t *testing.T) {
	calendar := fstest.MapFS{
		"media/a.jpg":      {Data: []byte("image A")},
		"media/copy-a.jpg": {Data: []byte("image A")},
		"media/b.jpg":      {Data: []byte("image B")},
	}
	medium := func(path, alt string) []networks.Medium {
		return []networks.Medium{{Path: path, Alt: alt, MIME: "image/jpeg"}}
	}
	base := []networks.Part{{Text: "Jour 1 #NoelMaison", Media: medium("media/a.jpg", "Une boîte")}, {Text: "Suite"}}
	digest := func(t *testing.T, parts []networks.Part) string {
		t.Helper()
		d, err := Digest(parts, calendar)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	want := digest(t, base)
	if !regexp.MustCompile(`^sha256:[0-9a-f]{64}$`).MatchString(want) {
		t.Fatalf("Digest = %q, want sha256:<64 hex>", want)
	}
	// The digest is fixed by its definition: a change here changes every
	// idempotency key, and every published post would look edited. (Checked
	// against an independent computation of the definition in Python.)
	if want != "sha256:cf521127e9e0ca3fc768ec4813bab1e41e7a0137dd0841708914aa16586b3b3a" {
		t.Errorf("Digest(base) = %s: the digest of published content changed", want)
	}

	tests := []struct {
		name  string
		parts []networks.Part
		same  bool
	}{
		{"same content", []networks.Part{{Text: "Jour 1 #NoelMaison", Media: medium("media/a.jpg", "Une boîte")}, {Text: "Suite"}}, true},
		{"medium renamed, same bytes", []networks.Part{{Text: "Jour 1 #NoelMaison", Media: []networks.Medium{{Path: "media/copy-a.jpg", Alt: "Une boîte"}}}, {Text: "Suite"}}, true},
		{"text edited", []networks.Part{{Text: "Jour 1 #NoelMaison!", Media: medium("media/a.jpg", "Une boîte")}, {Text: "Suite"}}, false},
		{"alt edited", []networks.Part{{Text: "Jour 1 #NoelMaison", Media: medium("media/a.jpg", "Une boite")}, {Text: "Suite"}}, false},
		{"other image", []networks.Part{{Text: "Jour 1 #NoelMaison", Media: medium("media/b.jpg", "Une boîte")}, {Text: "Suite"}}, false},
		{"medium on another part", []networks.Part{{Text: "Jour 1 #NoelMaison"}, {Text: "Suite", Media: medium("media/a.jpg", "Une boîte")}}, false},
		{"parts joined", []networks.Part{{Text: "Jour 1 #NoelMaison\n\nSuite", Media: medium("media/a.jpg", "Une boîte")}}, false},
		{"boundary moved", []networks.Part{{Text: "Jour 1 #NoelMaisonS", Media: medium("media/a.jpg", "Une boîte")}, {Text: "uite"}}, false},
		{"trailing empty part", append(append([]networks.Part{}, base...), networks.Part{}), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := digest(t, tt.parts); (got == want) != tt.same {
				t.Errorf("Digest = %s, base %s; same = %v, want %v", got, want, got == want, tt.same)
			}
		})
	}

	_, err := Digest([]networks.Part{{Text: "x", Media: medium("media/missing.jpg", "")}}, calendar)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Digest with a missing medium = %v, want fs.ErrNotExist", err)
	}
}

const digestA = "sha256:6c1ba58d0a0a4c5b5e2d1f3e8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"

func TestIdempotencyKey(t *testing.T) {
	key := IdempotencyKey("posts/2026/12/avent-1", "mastodon", digestA)
	if key != "herald-96d39cf9320eb712a5d87f3204ebd1a6" {
		t.Errorf("IdempotencyKey = %q: keys of intents already journaled would no longer match", key)
	}
	others := []string{
		IdempotencyKey("posts/2026/12/avent-2", "mastodon", digestA),
		IdempotencyKey("posts/2026/12/avent-1", "mastodon-pro", digestA),
		IdempotencyKey("posts/2026/12/avent-1", "mastodon", "sha256:0"),
		// The separator keeps the fields apart.
		IdempotencyKey("posts/2026/12/avent-1\x00mastodon", "", digestA),
	}
	for _, o := range others {
		if o == key {
			t.Errorf("two publications share the key %s", key)
		}
	}
}

// A poll changes the digest, each of its fields does, and a nil poll
// leaves it as Digest has it.
func TestDigestWithPoll(t *testing.T) {
	calendar := fstest.MapFS{}
	parts := []networks.Part{{Text: "Quelle couleur ?"}}
	digest := func(poll *networks.Poll) string {
		t.Helper()
		d, err := DigestWithPoll(parts, poll, calendar)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	plain, _ := Digest(parts, calendar)
	if got := digest(nil); got != plain {
		t.Errorf("DigestWithPoll(nil) = %s, Digest = %s", got, plain)
	}
	base := networks.Poll{Options: []string{"Rouge", "Vert"}, ExpiresIn: 24 * time.Hour}
	seen := map[string]string{plain: "no poll"}
	for name, edit := range map[string]func(*networks.Poll){
		"base":        func(*networks.Poll) {},
		"option":      func(p *networks.Poll) { p.Options = []string{"Rouge", "Bleu"} },
		"more":        func(p *networks.Poll) { p.Options = []string{"Rouge", "Vert", "Bleu"} },
		"boundary":    func(p *networks.Poll) { p.Options = []string{"RougeV", "ert"} },
		"expiry":      func(p *networks.Poll) { p.ExpiresIn = 6 * time.Hour },
		"multiple":    func(p *networks.Poll) { p.Multiple = true },
		"hide totals": func(p *networks.Poll) { p.HideTotals = true },
	} {
		p := base
		p.Options = slices.Clone(base.Options)
		edit(&p)
		d := digest(&p)
		if other, ok := seen[d]; ok {
			t.Errorf("%s and %s have the same digest %s", name, other, d)
		}
		seen[d] = name
	}
}
