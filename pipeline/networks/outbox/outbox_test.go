package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
)

var account = &load.Account{Key: "outbox", Network: "outbox", Dir: "outbox"}

var now = time.Date(2026, 11, 3, 9, 5, 0, 0, time.FixedZone("CET", 3600))

const atelier = `---
date: 2026-11-03T09:00:00+01:00
networks: [outbox]
tags: [produit]
title: L'atelier Movember
media:
  - src: ../../../media/atelier.png
    alt: L'atelier, "moustaches" & <ciseaux>
---
Ce mois-ci, l'atelier **Movember** 🥸 & <b>tout</b> : [la boutique](https://maison-exemple.fr/boutique)

---

Deuxième partie #Movember
`

func calendar(t *testing.T) string {
	return channeltest.Calendar(t, map[string]string{
		"posts/2026/11/atelier.md": atelier,
		"media/atelier.png":        channeltest.PNG,
	})
}

func TestPublishGolden(t *testing.T) {
	root := calendar(t)
	store := channeltest.NewStore(root)
	o, err := New(account, store)
	if err != nil {
		t.Fatal(err)
	}
	pub := channeltest.Publication(t, root, "posts/2026/11/atelier.md", account, now)
	r, err := o.Publish(context.Background(), pub)
	if err != nil {
		t.Fatal(err)
	}
	want := networks.Result{
		IDs:   []string{"outbox/posts/2026/11/atelier.json"},
		Files: []string{"outbox/posts/2026/11/atelier.txt", "outbox/posts/2026/11/atelier.json"},
	}
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("Result (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(r.Files, store.Written()); diff != "" {
		t.Errorf("Result.Files are not the files written (-files +written):\n%s", diff)
	}
	for _, name := range r.Files {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		goldenFile := filepath.Join("testdata", filepath.Base(name))
		golden.Check(t, goldenFile, got)
	}
}

func TestRecordContract(t *testing.T) {
	// SPEC.md: DIR/ID.json is an object with post, account, parts, media
	// and published_at.
	root := calendar(t)
	o, _ := New(account, networks.DirStore{Root: root})
	pub := channeltest.Publication(t, root, "posts/2026/11/atelier.md", account, now)
	if _, err := o.Publish(context.Background(), pub); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "outbox", "posts", "2026", "11", "atelier.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		Post        string   `json:"post"`
		Account     string   `json:"account"`
		Parts       []string `json:"parts"`
		Media       []any    `json:"media"`
		PublishedAt string   `json:"published_at"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	// The outbox network has no threads: render joins the parts.
	if rec.Post != "posts/2026/11/atelier" || rec.Account != "outbox" || len(rec.Parts) != 1 ||
		len(rec.Media) != 1 || rec.PublishedAt != "2026-11-03T09:05:00+01:00" {
		t.Errorf("record = %+v", rec)
	}
	if _, err := time.Parse(time.RFC3339, rec.PublishedAt); err != nil {
		t.Errorf("published_at: %v", err)
	}
}

func TestIdempotent(t *testing.T) {
	root := calendar(t)
	store := channeltest.NewStore(root)
	o, _ := New(account, store)
	ctx := context.Background()
	pub := channeltest.Publication(t, root, "posts/2026/11/atelier.md", account, now)

	if _, found, err := o.Lookup(ctx, pub); found || err != nil {
		t.Fatalf("Lookup before publishing = %v, %v", found, err)
	}
	first, err := o.Publish(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	store.Written()

	found, ok, err := o.Lookup(ctx, pub)
	if !ok || err != nil || !cmp.Equal(found.IDs, first.IDs) {
		t.Errorf("Lookup after publishing = %+v, %v, %v; want the ids %v", found, ok, err, first.IDs)
	}
	pub.At = now.Add(time.Hour) // a later run, after a crash
	again, err := o.Publish(ctx, pub)
	if err != nil || !cmp.Equal(again.IDs, first.IDs) || len(again.Files) != 0 {
		t.Errorf("Publish again = %+v, %v; want the same ids and no file", again, err)
	}
	if w := store.Written(); len(w) != 0 {
		t.Errorf("publishing the same content again wrote %v", w)
	}

	edited := pub
	edited.Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000"
	if _, ok, _ := o.Lookup(ctx, edited); ok {
		t.Errorf("Lookup found a publication of other content")
	}
	if r, err := o.Publish(ctx, edited); err != nil || len(r.Files) != 2 {
		t.Errorf("Publish of other content = %+v, %v; want the files rewritten", r, err)
	}
}

func TestCrashBetweenFiles(t *testing.T) {
	root := calendar(t)
	store := channeltest.NewStore(root)
	store.FailOn = "outbox/posts/2026/11/atelier.json"
	o, _ := New(account, store)
	ctx := context.Background()
	pub := channeltest.Publication(t, root, "posts/2026/11/atelier.md", account, now)

	if _, err := o.Publish(ctx, pub); networks.KindOf(err) != networks.Permanent {
		t.Fatalf("Publish with a failing disk = %v, want a permanent error", err)
	}
	if _, found, err := o.Lookup(ctx, pub); found || err != nil {
		t.Fatalf("Lookup after a failed publish = %v, %v; want not found: the record is written last", found, err)
	}
	store.FailOn = ""
	if r, err := o.Publish(ctx, pub); err != nil || len(r.Files) != 2 {
		t.Errorf("Publish after the failure = %+v, %v", r, err)
	}
}

func TestErrors(t *testing.T) {
	root := calendar(t)
	o, _ := New(account, networks.DirStore{Root: root})
	ctx := context.Background()
	pub := channeltest.Publication(t, root, "posts/2026/11/atelier.md", account, now)

	for _, id := range []string{"../../etc/passwd", "/abs", "a//b", ""} {
		bad := pub
		bad.PostID = id
		if _, err := o.Publish(ctx, bad); networks.KindOf(err) != networks.Permanent {
			t.Errorf("Publish(id %q) = %v, want a permanent error", id, err)
		}
	}
	if _, err := o.Stats(ctx, []string{"outbox/x.json"}); !errors.Is(err, networks.ErrUnsupported) {
		t.Errorf("Stats = %v, want ErrUnsupported", err)
	}
	if err := (networks.DirStore{Root: root}).WriteFile("outbox/posts/2026/11/broken.json", []byte("{")); err != nil {
		t.Fatal(err)
	}
	broken := pub
	broken.PostID = "posts/2026/11/broken"
	if _, _, err := o.Lookup(ctx, broken); networks.KindOf(err) != networks.Permanent {
		t.Errorf("Lookup of a broken record = %v, want a permanent error", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := o.Publish(cancelled, pub); !errors.Is(err, context.Canceled) {
		t.Errorf("Publish with a cancelled context = %v", err)
	}
	for _, a := range []*load.Account{
		{Key: "o", Network: "outbox", Dir: "../elsewhere"},
		{Key: "o", Network: "outbox", Dir: "/tmp"},
		{Key: "o", Network: "outbox"},
		{Key: "o", Network: "feed", Dir: "out"},
	} {
		if _, err := New(a, networks.DirStore{Root: root}); err == nil {
			t.Errorf("New(%+v) is no error", a)
		}
	}
}
