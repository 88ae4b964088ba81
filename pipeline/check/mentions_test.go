package check_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/load"
)

// mentionsCalendar holds mentions in a body, in a thread's second part,
// in a Bluesky variant, and in a post that doesn't go to Bluesky (never
// asked about).
var mentionsCalendar = txtar.Parse([]byte(`
-- posts/a.md --
---
date: 2026-11-02 09:30
networks: [bluesky, mastodon]
tags: [produit]
campaign: movember-2026
---
Merci @atelier.bsky.social et @Inconnu.bsky.social ! #Movember

---

Et encore merci à @inconnu.bsky.social.
-- posts/b.md --
---
date: 2026-11-03 09:30
networks: [bluesky]
tags: [produit]
campaign: movember-2026
variants:
  bluesky: "Avec @fantome.bsky.social #Movember"
---
Le texte des autres réseaux.
-- posts/c.md --
---
date: 2026-11-04 09:30
networks: [mastodon]
tags: [produit]
campaign: movember-2026
---
Bonjour @personne@piaille.fr et @mastodon.bsky.social #Movember
`))

// fakeResolver knows the handles in known, and records what it is asked.
type fakeResolver struct {
	mu    sync.Mutex
	known map[string]bool
	asked map[string][]string // account → handles, as asked
	err   error
}

func (f *fakeResolver) resolve(ctx context.Context, a *load.Account, handles []string) (map[string]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.asked == nil {
		f.asked = map[string][]string{}
	}
	f.asked[a.Key] = append(f.asked[a.Key], handles...)
	if f.err != nil {
		return nil, f.err
	}
	out := map[string]bool{}
	for _, h := range handles {
		out[h] = f.known[h]
	}
	return out, nil
}

func mentionDiags(ds []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if d.Rule == "bluesky.mention-unresolved" {
			d.Message = "" // the positions and severities are what this test is about
			out = append(out, d)
		}
	}
	return out
}

func TestMentionsUnresolved(t *testing.T) {
	dir := newCalendar(t, mentionsCalendar)
	r := &fakeResolver{known: map[string]bool{"atelier.bsky.social": true}}
	res, err := check.Run(t.Context(), check.Options{Dir: dir, Mentions: r.resolve})
	if err != nil {
		t.Fatal(err)
	}
	// Each handle is asked once per account, lower-cased, whatever
	// number of posts mention it.
	asked := r.asked["bluesky"]
	slices.Sort(asked)
	want := []string{"atelier.bsky.social", "fantome.bsky.social", "inconnu.bsky.social"}
	if diff := cmp.Diff(map[string][]string{"bluesky": want}, map[string][]string{"bluesky": asked}); diff != "" || len(r.asked) != 1 {
		t.Errorf("handles asked (-want +got):\n%s\n(all: %v)", diff, r.asked)
	}
	wantDiags := []diag.Diagnostic{
		{Path: "posts/a.md", Line: 7, Column: 31, Severity: diag.Warning, Rule: "bluesky.mention-unresolved"},
		{Path: "posts/a.md", Line: 11, Column: 19, Severity: diag.Warning, Rule: "bluesky.mention-unresolved"},
		{Path: "posts/b.md", Line: 7, Column: 12, Severity: diag.Warning, Rule: "bluesky.mention-unresolved"},
	}
	if diff := cmp.Diff(wantDiags, mentionDiags(res.Diagnostics)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(res.Unchecked) != 0 {
		t.Errorf("Unchecked: %q, want none", res.Unchecked)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "bluesky.mention-unresolved" && d.Path == "posts/b.md" {
			const want = "@fantome.bsky.social names no Bluesky account (asked for bluesky): publish would send it as plain text, not a mention; check the handle, such as name.bsky.social"
			if d.Message != want {
				t.Errorf("message:\n got %s\nwant %s", d.Message, want)
			}
		}
	}
}

// Check scoped to one post asks only about that post's mentions.
func TestMentionsInScope(t *testing.T) {
	dir := newCalendar(t, mentionsCalendar)
	r := &fakeResolver{}
	res, err := check.Run(t.Context(), check.Options{Dir: dir, Paths: []string{filepath.Join("posts", "b.md")}, Mentions: r.resolve})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{"bluesky": {"fantome.bsky.social"}}, r.asked); diff != "" {
		t.Errorf("handles asked (-want +got):\n%s", diff)
	}
	if got := len(mentionDiags(res.Diagnostics)); got != 1 {
		t.Errorf("%d diagnostics, want 1", got)
	}
}

// A network that cannot be asked is no problem of the posts: no
// diagnostic, one line in Unchecked.
func TestMentionsNetworkDown(t *testing.T) {
	dir := newCalendar(t, mentionsCalendar)
	r := &fakeResolver{err: errors.New("dial tcp: connection refused")}
	res, err := check.Run(t.Context(), check.Options{Dir: dir, Mentions: r.resolve})
	if err != nil {
		t.Fatal(err)
	}
	if got := mentionDiags(res.Diagnostics); len(got) != 0 {
		t.Errorf("diagnostics %v, want none", got)
	}
	want := []string{"could not check 3 Bluesky mention(s) of account bluesky: dial tcp: connection refused"}
	if diff := cmp.Diff(want, res.Unchecked); diff != "" {
		t.Errorf("Unchecked (-want +got):\n%s", diff)
	}
}

// Offline (no resolver), nothing is asked and nothing reported; the
// charter can turn the rule off or make it an error.
func TestMentionsOfflineAndSeverity(t *testing.T) {
	dir := newCalendar(t, mentionsCalendar)
	res, err := check.Run(t.Context(), check.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := mentionDiags(res.Diagnostics); len(got) != 0 {
		t.Errorf("offline: %v, want none", got)
	}
	charter := string(readFile(t, filepath.Join(dir, "charter.yaml")))
	for _, sev := range []diag.Severity{diag.Off, diag.Error} {
		overridden := strings.Replace(charter, "\nrules:\n", "\nrules:\n  bluesky.mention-unresolved: "+sev.String()+"\n", 1)
		writeFile(t, filepath.Join(dir, "charter.yaml"), []byte(overridden))
		res, err := check.Run(t.Context(), check.Options{Dir: dir, Mentions: (&fakeResolver{}).resolve})
		if err != nil {
			t.Fatal(err)
		}
		got := mentionDiags(res.Diagnostics)
		if sev == diag.Off && len(got) != 0 || sev == diag.Error && (len(got) != 4 || got[0].Severity != diag.Error) {
			t.Errorf("rules: %s gives %v", sev, got)
		}
	}
}
