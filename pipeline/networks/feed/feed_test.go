package feed

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/internal/channeltest"
)

var cet = time.FixedZone("CET", 3600)

var account = &load.Account{Key: "feed", Network: "feed", Path: "public/feed.xml", Title: "Maison Exemple", Link: "https://maison-exemple.fr"}

var posts = map[string]string{
	"media/atelier.png": channeltest.PNG,
	"media/clip.mp4":    "\x00\x00\x00\x18ftypmp42",
	"posts/2026/11/atelier.md": `---
date: 2026-11-03T09:00:00+01:00
networks: [feed]
tags: [produit]
title: L'atelier Movember
media:
  - src: ../../../media/atelier.png
    alt: L'atelier, "moustaches" & <ciseaux>
---
Ce mois-ci, l'atelier **Movember** 🥸 & [la boutique](https://maison-exemple.fr/boutique)

<script>alert("feed")</script>

---

Deuxième partie #Movember
`,
	"posts/2026/11/avant.md": `---
date: 2026-11-01T10:00:00+01:00
networks: [feed]
tags: [coulisses]
media:
  - src: ../../../media/clip.mp4
    alt: La machine à coudre
---
Première ligne du post, avec <b>du HTML</b> & une *emphase*
et une deuxième ligne.
`,
	"posts/2026/11/vote.md": `---
date: 2026-11-05T18:30:00+01:00
networks: [feed]
tags: [communaute]
title: Votez pour la moustache de l'année
---
Votre moustache "préférée" ? Répondez !
`,
}

func publication(t *testing.T, root, rel string) networks.Publication {
	return channeltest.Publication(t, root, rel, account, time.Date(2026, 11, 6, 8, 0, 0, 0, cet))
}

func TestPublishGolden(t *testing.T) {
	root := channeltest.Calendar(t, posts)
	store := channeltest.NewStore(root)
	f, err := New(account, Options{Store: store, Brand: "Maison Exemple", Self: "https://maison-exemple.fr/feed.xml"})
	if err != nil {
		t.Fatal(err)
	}
	// Published out of date order: the feed is newest first all the same.
	wantIDs := map[string]string{
		"posts/2026/11/atelier.md": "tag:maison-exemple.fr,2026:posts/2026/11/atelier",
		"posts/2026/11/vote.md":    "tag:maison-exemple.fr,2026:posts/2026/11/vote",
		"posts/2026/11/avant.md":   "tag:maison-exemple.fr,2026:posts/2026/11/avant",
	}
	for _, rel := range []string{"posts/2026/11/atelier.md", "posts/2026/11/vote.md", "posts/2026/11/avant.md"} {
		r, err := f.Publish(context.Background(), publication(t, root, rel))
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		want := networks.Result{IDs: []string{wantIDs[rel]}, Files: []string{"public/feed.xml"}}
		if diff := cmp.Diff(want, r); diff != "" {
			t.Errorf("%s: Result (-want +got):\n%s", rel, diff)
		}
		if diff := cmp.Diff(r.Files, store.Written()); diff != "" {
			t.Errorf("%s: Result.Files are not the files written (-files +written):\n%s", rel, diff)
		}
	}
	got, err := os.ReadFile(filepath.Join(root, "public", "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	goldenFile := filepath.Join("testdata", "feed.xml")
	golden.Check(t, goldenFile, got)
	validate(t, got)
}

// The Atom document as RFC 4287 defines it, read independently of the
// package's own types.
type rfcFeed struct {
	XMLName xml.Name  `xml:"http://www.w3.org/2005/Atom feed"`
	ID      []string  `xml:"http://www.w3.org/2005/Atom id"`
	Title   []rfcText `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string  `xml:"http://www.w3.org/2005/Atom updated"`
	Author  []struct {
		Name string `xml:"http://www.w3.org/2005/Atom name"`
	} `xml:"http://www.w3.org/2005/Atom author"`
	Links   []rfcLink  `xml:"http://www.w3.org/2005/Atom link"`
	Entries []rfcEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type rfcEntry struct {
	ID        []string  `xml:"http://www.w3.org/2005/Atom id"`
	Title     []rfcText `xml:"http://www.w3.org/2005/Atom title"`
	Updated   []string  `xml:"http://www.w3.org/2005/Atom updated"`
	Published []string  `xml:"http://www.w3.org/2005/Atom published"`
	Links     []rfcLink `xml:"http://www.w3.org/2005/Atom link"`
	Content   []rfcText `xml:"http://www.w3.org/2005/Atom content"`
}

type rfcText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type rfcLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

// validate checks what RFC 4287 requires of a feed and its entries, that
// the entries are newest first, and that no post text became markup.
func validate(t *testing.T, data []byte) rfcFeed {
	t.Helper()
	if !bytes.HasPrefix(data, []byte(`<?xml version="1.0" encoding="UTF-8"?>`)) || !bytes.HasSuffix(data, []byte("</feed>\n")) {
		t.Errorf("the feed does not start with an XML declaration or end with </feed> and a newline")
	}
	var f rfcFeed
	if err := xml.Unmarshal(data, &f); err != nil {
		t.Fatalf("the feed is not Atom: %v", err)
	}
	one := func(what string, n int) {
		if n != 1 {
			t.Errorf("%s: %d elements, RFC 4287 wants exactly one", what, n)
		}
	}
	date := func(what, s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Errorf("%s %q is not an RFC 3339 date: %v", what, s, err)
		}
		return d
	}
	one("feed/id", len(f.ID))
	one("feed/title", len(f.Title))
	one("feed/updated", len(f.Updated))
	if len(f.Author) == 0 || f.Author[0].Name == "" {
		t.Errorf("the feed has no author name, and its entries have none either")
	}
	var latest time.Time
	seen := map[string]bool{}
	alternate := map[string]bool{}
	for _, l := range f.Links {
		key := l.Rel + " " + l.Type
		if alternate[key] {
			t.Errorf("two links with rel=%q and type=%q (RFC 4287 §4.1.1)", l.Rel, l.Type)
		}
		alternate[key] = true
	}
	for i, e := range f.Entries {
		one("entry/id", len(e.ID))
		one("entry/title", len(e.Title))
		one("entry/updated", len(e.Updated))
		one("entry/content", len(e.Content))
		if len(e.ID) == 0 || len(e.Updated) == 0 || len(e.Content) == 0 || len(e.Published) == 0 {
			continue
		}
		if seen[e.ID[0]] {
			t.Errorf("two entries have the id %s", e.ID[0])
		}
		seen[e.ID[0]] = true
		if !strings.HasPrefix(e.ID[0], "tag:") && !strings.HasPrefix(e.ID[0], "urn:uuid:") {
			t.Errorf("entry id %q is not a tag: or urn:uuid: IRI", e.ID[0])
		}
		updated := date("entry/updated", e.Updated[0])
		if updated.After(latest) {
			latest = updated
		}
		if i > 0 && date("entry/published", e.Published[0]).After(date("entry/published", f.Entries[i-1].Published[0])) {
			t.Errorf("entry %d is newer than the one before it: entries go newest first", i+1)
		}
		if e.Content[0].Type != "html" {
			t.Errorf("content type %q, want html", e.Content[0].Type)
		}
	}
	if len(f.Updated) == 1 && !date("feed/updated", f.Updated[0]).Equal(latest) {
		t.Errorf("feed/updated is %s, want its latest entry's, %s", f.Updated[0], latest.Format(time.RFC3339))
	}
	// Only Atom elements: post text, raw HTML included, is text in XML.
	allowed := map[string]bool{"feed": true, "id": true, "title": true, "updated": true, "published": true,
		"link": true, "author": true, "name": true, "uri": true, "generator": true, "entry": true, "content": true}
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := tok.(xml.StartElement); ok && (s.Name.Space != "http://www.w3.org/2005/Atom" || !allowed[s.Name.Local]) {
			t.Errorf("element <%s> in %q in the feed", s.Name.Local, s.Name.Space)
		}
	}
	return f
}

func TestContentIsEscaped(t *testing.T) {
	root := channeltest.Calendar(t, posts)
	f, _ := New(account, Options{Store: networks.DirStore{Root: root}, Brand: "Maison Exemple"})
	if _, err := f.Publish(context.Background(), publication(t, root, "posts/2026/11/atelier.md")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(root, "public", "feed.xml"))
	doc := validate(t, data)
	content := doc.Entries[0].Content[0].Text
	// The HTML a reader gets: the post's raw HTML is shown as text in it,
	// never run.
	for _, want := range []string{
		"<strong>Movember</strong>",
		`<a href="https://maison-exemple.fr/boutique">la boutique</a>`,
		"<p>&lt;script&gt;alert(&#34;feed&#34;)&lt;/script&gt;</p>",
		`<p><img src="../media/atelier.png" alt="L'atelier, &quot;moustaches&quot; &amp; &lt;ciseaux&gt;"></p>`,
	} {
		if !strings.Contains(content, want) {
			t.Errorf("content has no %s:\n%s", want, content)
		}
	}
	if strings.Contains(content, "<script") {
		t.Errorf("the content's HTML holds a <script> element:\n%s", content)
	}
	if bytes.Contains(data, []byte("<script")) || bytes.Contains(data, []byte("<strong")) {
		t.Errorf("the feed file holds HTML as XML markup")
	}
}

func TestIdempotent(t *testing.T) {
	root := channeltest.Calendar(t, posts)
	store := channeltest.NewStore(root)
	f, _ := New(account, Options{Store: store, Brand: "Maison Exemple"})
	ctx := context.Background()
	pub := publication(t, root, "posts/2026/11/atelier.md")

	if _, found, err := f.Lookup(ctx, pub); found || err != nil {
		t.Fatalf("Lookup before publishing = %v, %v", found, err)
	}
	first, err := f.Publish(ctx, pub)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(root, "public", "feed.xml"))
	store.Written()

	r, found, err := f.Lookup(ctx, pub)
	if !found || err != nil || !cmp.Equal(r.IDs, first.IDs) {
		t.Errorf("Lookup after publishing = %+v, %v, %v", r, found, err)
	}
	pub.At = pub.At.Add(time.Hour) // the same post, from a later run
	again, err := f.Publish(ctx, pub)
	if err != nil || !cmp.Equal(again.IDs, first.IDs) || len(again.Files) != 0 {
		t.Errorf("Publish again = %+v, %v; want the same id and no file", again, err)
	}
	if w := store.Written(); len(w) != 0 {
		t.Errorf("publishing the same content again wrote %v", w)
	}
	// The same instant given in another zone is the same entry.
	pub.When = pub.When.UTC()
	if _, found, _ := f.Lookup(ctx, pub); !found {
		t.Errorf("Lookup with the date in UTC does not find the entry")
	}

	edited := pub
	edited.When = edited.When.In(cet)
	edited.Parts = []networks.Part{{Text: "<p>Texte corrigé</p>"}}
	if r, err := f.Publish(ctx, edited); err != nil || len(r.Files) != 1 {
		t.Fatalf("Publish of edited content = %+v, %v", r, err)
	}
	after, _ := os.ReadFile(filepath.Join(root, "public", "feed.xml"))
	doc := validate(t, after)
	if len(doc.Entries) != 1 || doc.Entries[0].Content[0].Text != "<p>Texte corrigé</p>" {
		t.Errorf("the edited entry did not replace the first: %+v", doc.Entries)
	}
	if doc.Entries[0].Updated[0] != "2026-11-06T09:00:00+01:00" || doc.Entries[0].Published[0] != "2026-11-03T09:00:00+01:00" {
		t.Errorf("edited entry: updated %s, published %s; want updated when it was republished", doc.Entries[0].Updated[0], doc.Entries[0].Published[0])
	}
	if bytes.Equal(before, after) {
		t.Errorf("the feed did not change")
	}
}

func TestWithoutLink(t *testing.T) {
	root := channeltest.Calendar(t, posts)
	a := &load.Account{Key: "news", Network: "feed", Path: "feed.atom"}
	f, err := New(a, Options{Store: networks.DirStore{Root: root}, Brand: "Maison Exemple"})
	if err != nil {
		t.Fatal(err)
	}
	pub := channeltest.Publication(t, root, "posts/2026/11/avant.md", a, time.Date(2026, 11, 6, 8, 0, 0, 0, cet))
	r, err := f.Publish(context.Background(), pub)
	if err != nil {
		t.Fatal(err)
	}
	if want := uuidURN(uuidURN("herald feed news feed.atom") + "\x00posts/2026/11/avant"); r.IDs[0] != want || len(r.URLs) != 0 {
		t.Errorf("Result = %+v, want the id %s and no URL", r, want)
	}
	data, _ := os.ReadFile(filepath.Join(root, "feed.atom"))
	doc := validate(t, data)
	if doc.Title[0].Text != "Maison Exemple" || doc.Author[0].Name != "Maison Exemple" || len(doc.Links) != 0 {
		t.Errorf("feed without link: title %q, author %q, links %v", doc.Title[0].Text, doc.Author[0].Name, doc.Links)
	}
	e := doc.Entries[0]
	if e.Title[0].Text != "Première ligne du post, avec <b>du HTML</b> & une emphase" {
		t.Errorf("derived title = %q", e.Title[0].Text)
	}
	if want := (rfcLink{Rel: "enclosure", Type: "video/mp4", Href: "media/clip.mp4"}); len(e.Links) != 1 || e.Links[0] != want {
		t.Errorf("links = %+v, want %+v", e.Links, want)
	}
}

func TestUUID(t *testing.T) {
	// Python: uuid.uuid5(uuid.NAMESPACE_URL, "hello")
	if got := uuidURN("hello"); got != "urn:uuid:074171de-bc84-5ea4-b636-1135477620e1" {
		t.Errorf("uuidURN = %s", got)
	}
}

func TestFirstLine(t *testing.T) {
	tests := []struct{ name, html, want string }{
		{"paragraph", "<p>Bonjour <strong>à tous</strong></p>\n<p>Suite</p>", "Bonjour à tous"},
		{"line break", "<p>Ligne 1<br>\nLigne 2</p>", "Ligne 1"},
		{"entities", "<p>&lt;b&gt; &amp; &quot;x&quot;</p>", `<b> & "x"`},
		{"list", "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>", "un"},
		{"image first", `<p><img src="a.png" alt="x"></p><p>Texte</p>`, "Texte"},
		{"empty", "", ""},
		{"long", "<p>" + strings.Repeat("é", 150) + "</p>", strings.Repeat("é", 99) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := firstLine([]networks.Part{{Text: tt.html}}); got != tt.want {
				t.Errorf("firstLine = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	root := channeltest.Calendar(t, posts)
	store := networks.DirStore{Root: root}
	ctx := context.Background()
	for name, content := range map[string]string{"not XML": "{}", "RSS": `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`} {
		store.WriteFile("public/feed.xml", []byte(content))
		f, _ := New(account, Options{Store: store})
		_, err := f.Publish(ctx, publication(t, root, "posts/2026/11/vote.md"))
		if networks.KindOf(err) != networks.Permanent || !strings.Contains(err.Error(), "public/feed.xml is not an Atom feed") {
			t.Errorf("%s: Publish = %v, want a permanent error naming the file", name, err)
		}
		if _, _, err := f.Lookup(ctx, publication(t, root, "posts/2026/11/vote.md")); networks.KindOf(err) != networks.Permanent {
			t.Errorf("%s: Lookup = %v", name, err)
		}
	}
	f, _ := New(account, Options{Store: store})
	if _, err := f.Stats(ctx, []string{"x"}); !errors.Is(err, networks.ErrUnsupported) {
		t.Errorf("Stats = %v, want ErrUnsupported", err)
	}
	bad := publication(t, root, "posts/2026/11/vote.md")
	bad.PostID = "../x"
	if _, err := f.Publish(ctx, bad); networks.KindOf(err) != networks.Permanent {
		t.Errorf("Publish(../x) = %v", err)
	}
	for _, a := range []*load.Account{
		{Key: "f", Network: "feed", Path: "../feed.xml"},
		{Key: "f", Network: "feed", Path: "public/"},
		{Key: "f", Network: "feed"},
		{Key: "f", Network: "feed", Path: "feed.xml", Link: "maison-exemple.fr"},
		{Key: "f", Network: "outbox", Path: "feed.xml"},
	} {
		if _, err := New(a, Options{Store: store}); err == nil {
			t.Errorf("New(%+v) is no error", a)
		}
	}
	if _, err := New(account, Options{}); err == nil {
		t.Errorf("New without a Store is no error")
	}
}
