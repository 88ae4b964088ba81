package github

import (
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/i18n"
)

func TestCommentBody(t *testing.T) {
	t.Run("short", func(t *testing.T) {
		got, cut := commentBody(nil, Marker+"\nhello\n", "https://github.com/a/b/actions/runs/1")
		if cut || got != Marker+"\nhello\n" {
			t.Errorf("got %q (cut %v), want it unchanged", got, cut)
		}
	})
	t.Run("marker added", func(t *testing.T) {
		if got, _ := commentBody(nil, "hello\n", ""); got != Marker+"\nhello\n" {
			t.Errorf("got %q, want the marker line first", got)
		}
	})

	// A preview whose cut falls inside a post's code block, within its
	// <details>: the cut closes both, so the note reads as text.
	var b strings.Builder
	b.WriteString(Marker + "\n### Herald preview\n\n<details><summary>posts/long</summary>\n\n````text\n")
	for b.Len() < 3*MaxBody {
		b.WriteString("une ligne d'été, 🥸 et ``` dedans\n")
	}
	b.WriteString("````\n\n</details>\n")
	src := b.String()

	got, cut := commentBody(nil, src, "")
	if !cut {
		t.Fatal("not cut")
	}
	if n := units(got); n > MaxBody {
		t.Errorf("%d UTF-16 units, over %d", n, MaxBody)
	}
	head, note, ok := strings.Cut(got, "````\n\n</details>\n\n---\n\n✂️ **The preview is cut here**")
	if !ok {
		t.Fatalf("the cut does not close the fence and <details> before the note; it ends with %q", got[len(got)-400:])
	}
	if !strings.HasPrefix(src, head) || !strings.HasSuffix(head, "\n") {
		t.Errorf("the kept text is not whole lines of the preview: it ends with %q", head[len(head)-80:])
	}
	if !strings.HasSuffix(note, "run `herald preview --format markdown` on the pull request's branch to see all of it.\n") {
		t.Errorf("note %q: without a run, it should say how to see the whole preview", note)
	}
	if units(got) < MaxBody-500 {
		t.Errorf("%d units kept: the cut should keep as much as fits (%d)", units(got), MaxBody)
	}
}

func TestUnits(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "été": 3, "🥸": 2, "✂️": 2} {
		if got := units(s); got != want {
			t.Errorf("units(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestIsSticky(t *testing.T) {
	for body, want := range map[string]bool{
		Marker:                      true,
		Marker + "\nbody":           true,
		Marker + "\r\nbody":         true,
		"> " + Marker + "\n> quote": false,
		"text\n" + Marker:           false,
		"<!-- herald-preview -->\n": false,
	} {
		if got := isSticky(body); got != want {
			t.Errorf("isSticky(%q) = %v, want %v", body, got, want)
		}
	}
}

// The note of a cut comment is in the preview's language.
func TestCommentBodyInFrench(t *testing.T) {
	fr, _ := i18n.New("fr-FR")
	src := Marker + "\n" + strings.Repeat("une ligne de l'aperçu\n", MaxBody/10)
	got, cut := commentBody(fr, src, "https://github.com/a/b/actions/runs/1")
	if !cut {
		t.Fatal("not cut")
	}
	if n := units(got); n > MaxBody {
		t.Errorf("%d UTF-16 units, over %d", n, MaxBody)
	}
	const want = "\n---\n\n✂️ **L'aperçu est coupé ici**\u00a0: il est plus long qu'un commentaire GitHub ne peut l'être\u202f; l'aperçu entier est dans les artefacts de [l'exécution du workflow](https://github.com/a/b/actions/runs/1).\n"
	if !strings.HasSuffix(got, want) {
		t.Errorf("the note is %q, want %q", got[strings.LastIndex(got, "\n---\n"):], want)
	}
}
