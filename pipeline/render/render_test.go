package render

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
)

// TestGolden renders each testdata/<case>.md in every dialect and compares
// with testdata/<case>.<dialect>.out, parts separated by a "== part N" line.
func TestGolden(t *testing.T) {
	cases, _ := filepath.Glob("testdata/*.md")
	for _, md := range cases {
		src, err := os.ReadFile(md)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []Dialect{Plain, Discord, Slack, Telegram, HTML} {
			name := strings.TrimSuffix(filepath.Base(md), ".md") + "." + d.String()
			t.Run(name, func(t *testing.T) {
				var got strings.Builder
				for i, p := range Parts(string(src), d) {
					got.WriteString("== part " + string(rune('1'+i)) + "\n" + p.Text + "\n")
				}
				goldenFile := filepath.Join("testdata", name+".out")
				golden.Check(t, goldenFile, []byte(got.String()))
			})
		}
	}
}

func TestPlain(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // parts
	}{
		{"emphasis removed", "*un* **deux** _trois_ __quatre__", []string{"un deux trois quatre"}},
		{"writer's text unchanged", "l'atelier — #2026 #Noël https://ex.fr/a_b*c 50 % @moi@ex.social", []string{"l'atelier — #2026 #Noël https://ex.fr/a_b*c 50 % @moi@ex.social"}},
		{"link with other text", "[la boutique](https://ex.fr)", []string{"la boutique (https://ex.fr)"}},
		{"link whose text is the URL", "[https://ex.fr](https://ex.fr) [ex.fr](https://ex.fr)", []string{"https://ex.fr https://ex.fr"}},
		{"lists", "- a\n- b\n\n1. un\n2. deux", []string{"• a\n• b\n\n1. un\n2. deux"}},
		{"paragraphs one blank line apart", "un\n\n\n\ndeux", []string{"un\n\ndeux"}},
		{"line breaks kept", "un\ndeux\\\ntrois", []string{"un\ndeux\ntrois"}},
		{"heading marker removed", "# Titre\n\ntexte", []string{"Titre\n\ntexte"}},
		{"thread", "un\n\n---\n\ndeux\n\n---\n\ntrois", []string{"un", "deux", "trois"}},
		{"setext underline is not a break", "titre\n---\n\ntexte", []string{"titre\n\ntexte"}},
		{"breaks at the edges make no empty part", "---\n\nun\n\n---\n\n---\n", []string{"un"}},
		{"empty", "", []string{""}},
		{"autolinks as typed", "<https://ex.fr/a> <contact@ex.fr>", []string{"https://ex.fr/a contact@ex.fr"}},
		{"escapes resolved", `\# pas un titre \*`, []string{"# pas un titre *"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range Parts(tt.in, Plain) {
				got = append(got, p.Text)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parts(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestRenderThreadsAndMedia(t *testing.T) {
	post, err := load.ParsePost("posts/t.md", []byte(`---
date: 2026-12-01 09:00
networks: [bluesky, linkedin]
tags: [a]
media:
  - {src: a.png, alt: A}
  - {src: b.png, alt: B, part: 2}
variants:
  linkedin: "Un seul texte pour LinkedIn"
---
Un

---

Deux
`))
	if err != nil {
		t.Fatal(err)
	}
	bsky := Render(post, &load.Account{Key: "bluesky", Network: "bluesky"})
	if len(bsky.Parts) != 2 || bsky.Parts[0].Text != "Un" || bsky.Parts[1].Text != "Deux" {
		t.Fatalf("bluesky parts = %+v", bsky.Parts)
	}
	if len(bsky.Parts[0].Media) != 1 || bsky.Parts[1].Media[0].Src.Value != "b.png" {
		t.Errorf("media not on their parts: %+v", bsky.Parts)
	}
	// LinkedIn has no threads: one part, every medium.
	out := Render(post, &load.Account{Key: "outbox", Network: "outbox"})
	if len(out.Parts) != 1 || out.Text() != "Un\n\nDeux" || len(out.Parts[0].Media) != 2 {
		t.Errorf("outbox rendering = %+v", out)
	}
	li := Render(post, &load.Account{Key: "linkedin", Network: "linkedin"})
	if li.Text() != "Un seul texte pour LinkedIn" {
		t.Errorf("linkedin variant = %q", li.Text())
	}
}

func TestPartLines(t *testing.T) {
	source := "Un.\n\n---\n\n- deux\n- encore\n\n---\n\n> trois\n"
	var got []int
	for _, p := range Parts(source, Plain) {
		got = append(got, p.Line)
	}
	if diff := cmp.Diff([]int{1, 5, 10}, got); diff != "" {
		t.Errorf("part lines (-want +got):\n%s", diff)
	}
}
