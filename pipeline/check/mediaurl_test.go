package check_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/diag"
)

// jpeg is the start of a JPEG file: enough for check to sniff image/jpeg.
const jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"

// mediaURLCalendar sends media to Instagram and Threads (right.jpg shared
// by two posts, wrong.jpg, gone.jpg, down.jpg) and one to Mastodon alone
// (local.jpg), which takes the file and is never fetched.
func mediaURLCalendar(base string) *txtar.Archive {
	return txtar.Parse([]byte(`
-- charter.yaml --
brand: Maison Exemple
timezone: Europe/Paris
media_url: ` + base + `
accounts:
  instagram: {network: instagram, user: "17841400000000000"}
  threads: {network: threads, user: "1234567890"}
  mastodon: {network: mastodon, server: https://piaille.fr}
editorial_line:
  produit: {description: Nos créations}
-- media/right.jpg --
` + jpeg + `right
-- media/wrong.jpg --
` + jpeg + `wrong
-- media/gone.jpg --
` + jpeg + `gone
-- media/local.jpg --
` + jpeg + `local
-- posts/a.md --
---
date: 2026-11-02 09:30
networks: [instagram, threads]
tags: [produit]
media:
  - src: ../media/right.jpg
    alt: La bonne photo.
  - src: ../media/wrong.jpg
    alt: Une photo changée depuis.
  - src: ../media/gone.jpg
    alt: Une photo jamais poussée.
---
Trois photos.
-- posts/b.md --
---
date: 2026-11-03 09:30
networks: [threads, mastodon]
tags: [produit]
media:
  - src: ../media/right.jpg
    alt: La même photo.
---
La même photo.
-- posts/c.md --
---
date: 2026-11-04 09:30
networks: [mastodon]
tags: [produit]
media:
  - src: ../media/local.jpg
    alt: Une photo pour Mastodon.
---
Pour Mastodon seulement.
`))
}

// mediaServer serves the calendar's files as a CDN would, some of them
// wrong: it answers GET only, for the paths in files, and counts them.
type mediaServer struct {
	t     *testing.T
	files map[string]string // path → body; absent: 404
	down  map[string]bool   // path → 503
	mu    sync.Mutex
	asked map[string]int
}

func (s *mediaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.asked == nil {
		s.asked = map[string]int{}
	}
	s.asked[r.URL.Path]++
	s.mu.Unlock()
	if r.Method != http.MethodGet {
		s.t.Errorf("%s %s: want GET (a HEAD does not say which bytes are served)", r.Method, r.URL.Path)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if s.down[r.URL.Path] {
		http.Error(w, "upstream down", http.StatusServiceUnavailable)
		return
	}
	body, ok := s.files[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Write([]byte(body))
}

func mediaURLDiags(ds []diag.Diagnostic) []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range ds {
		if strings.HasPrefix(d.Rule, "media.url-") {
			d.Message = ""
			out = append(out, d)
		}
	}
	return out
}

func TestMediaURLsOnline(t *testing.T) {
	s := &mediaServer{t: t, files: map[string]string{
		"/cal/media/right.jpg": jpeg + "right\n",
		"/cal/media/wrong.jpg": jpeg + "an older version\n",
	}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := newCalendar(t, mediaURLCalendar(srv.URL+"/cal/"))
	res, err := check.Run(t.Context(), check.Options{Dir: dir, MediaHTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	want := []diag.Diagnostic{
		{Path: "posts/a.md", Line: 8, Column: 10, Severity: diag.Warning, Rule: "media.url-mismatch"},
		{Path: "posts/a.md", Line: 10, Column: 10, Severity: diag.Warning, Rule: "media.url-unreachable"},
	}
	if diff := cmp.Diff(want, mediaURLDiags(res.Diagnostics)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\nall: %v", diff, res.Diagnostics)
	}
	// Each URL once, whatever number of posts and networks use it; the
	// medium that goes to Mastodon only is never fetched.
	wantAsked := map[string]int{"/cal/media/right.jpg": 1, "/cal/media/wrong.jpg": 1, "/cal/media/gone.jpg": 1}
	if diff := cmp.Diff(wantAsked, s.asked); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if len(res.Unchecked) != 0 {
		t.Errorf("Unchecked: %q, want none", res.Unchecked)
	}
	for _, d := range res.Diagnostics {
		if d.Rule == "media.url-unreachable" {
			wantMsg := srv.URL + "/cal/media/gone.jpg answers 404 Not Found: instagram and threads cannot fetch the medium there and would fail to publish; push the file where media_url serves it, or fix media_url"
			if d.Message != wantMsg {
				t.Errorf("message:\n got %s\nwant %s", d.Message, wantMsg)
			}
		}
	}
}

// A server in trouble is no problem of the posts: no diagnostic, a line
// in Unchecked; offline, nothing is fetched at all.
func TestMediaURLsDownAndOffline(t *testing.T) {
	s := &mediaServer{t: t, files: map[string]string{"/media/right.jpg": jpeg + "right\n"},
		down: map[string]bool{"/media/wrong.jpg": true, "/media/gone.jpg": true}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := newCalendar(t, mediaURLCalendar(srv.URL))
	res, err := check.Run(t.Context(), check.Options{Dir: dir, MediaHTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if got := mediaURLDiags(res.Diagnostics); len(got) != 0 {
		t.Errorf("diagnostics %v, want none", got)
	}
	want := []string{"could not check the public URL of 2 medium(s) (" + srv.URL + "/media/gone.jpg first): GET " + srv.URL + "/media/gone.jpg: 503 Service Unavailable"}
	if diff := cmp.Diff(want, res.Unchecked); diff != "" {
		t.Errorf("Unchecked (-want +got):\n%s", diff)
	}

	s.asked = nil
	res, err = check.Run(t.Context(), check.Options{Dir: dir, Paths: []string{filepath.Join("posts", "c.md")}, MediaHTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := check.Run(t.Context(), check.Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if len(s.asked) != 0 || len(res.Unchecked) != 0 {
		t.Errorf("a post for Mastodon only, and offline: asked %v, unchecked %q; want nothing", s.asked, res.Unchecked)
	}
}

// A URL that serves more than the network takes is read no further than
// that, and is not the file.
func TestMediaURLServesTooMuch(t *testing.T) {
	big := strings.Repeat("x", 9<<20) // Instagram and Threads take 8 MiB / 8 MB
	s := &mediaServer{t: t, files: map[string]string{
		"/media/right.jpg": jpeg + "right\n" + big, "/media/wrong.jpg": jpeg + "wrong\n", "/media/gone.jpg": jpeg + "gone\n"}}
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := newCalendar(t, mediaURLCalendar(srv.URL+"/"))
	res, err := check.Run(t.Context(), check.Options{Dir: dir, Paths: []string{filepath.Join("posts", "b.md")}, MediaHTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	got := mediaURLDiags(res.Diagnostics)
	want := []diag.Diagnostic{{Path: "posts/b.md", Line: 6, Column: 10, Severity: diag.Warning, Rule: "media.url-mismatch"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// A media_url with a {commit} cannot be fetched before publish pushes:
// nothing is fetched, stderr says so once for all the posts.
func TestMediaURLsCommit(t *testing.T) {
	s := &mediaServer{t: t}
	srv := httptest.NewServer(s)
	defer srv.Close()
	dir := newCalendar(t, mediaURLCalendar(srv.URL+"/{commit}/"))
	res, err := check.Run(t.Context(), check.Options{Dir: dir, MediaHTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"could not check the public URL of the media of 2 post(s): media_url names a {commit}, which check cannot know before publish pushes"}
	if diff := cmp.Diff(want, res.Unchecked); diff != "" || len(s.asked) != 0 || len(mediaURLDiags(res.Diagnostics)) != 0 {
		t.Errorf("Unchecked (-want +got):\n%s\nasked %v, diagnostics %v", diff, s.asked, mediaURLDiags(res.Diagnostics))
	}
}
