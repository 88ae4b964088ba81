package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestCheckOnline runs herald check --online against an AppView on
// loopback: the mention that names nobody is a warning at its place, the
// exit code stays 0; when the AppView is gone, stderr says what was not
// checked and the exit code still stays 0. Without --online nothing is
// asked.
func TestCheckOnline(t *testing.T) {
	var asked atomic.Int32 // the mentions are looked up concurrently
	appview := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.URL.Path != "/xrpc/com.atproto.identity.resolveHandle" {
			t.Errorf("AppView asked %s", r.URL)
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("handle") == "atelier.bsky.social" {
			fmt.Fprint(w, `{"did":"did:plc:ewvi7nxzyoun6zhxrhs64oiz"}`)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error":"InvalidRequest","message":"Unable to resolve handle"}`)
	}))
	defer appview.Close()
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("charter.yaml", `brand: Maison Exemple
timezone: Europe/Paris
accounts:
  bluesky: {network: bluesky, handle: maison.bsky.social, appview: `+appview.URL+`}
editorial_line:
  produit: {description: Nos créations}
`)
	write("posts/a.md", "---\ndate: 2026-11-02 09:30\nnetworks: [bluesky]\ntags: [produit]\n---\nMerci @atelier.bsky.social et @fantome.bsky.social !\n")

	herald := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), append([]string{"herald", "-C", dir}, args...), strings.NewReader(""), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	code, stdout, stderr := herald("check", "--format", "json")
	if code != 0 || stdout != "[]\n" || asked.Load() != 0 {
		t.Errorf("check offline: exit %d, stdout %q, %d AppView calls; want 0, [] and none\n%s", code, stdout, asked.Load(), stderr)
	}
	code, stdout, stderr = herald("check", "--online")
	want := "posts/a.md:6:31: warning: @fantome.bsky.social names no Bluesky account (asked for bluesky): publish would send it as plain text, not a mention; check the handle, such as name.bsky.social [bluesky.mention-unresolved]\n"
	if code != 0 || !strings.HasPrefix(stdout, want) || asked.Load() != 2 {
		t.Errorf("check --online: exit %d, %d AppView calls, stdout:\n%s\nwant exit 0, 2 calls and first line:\n%s\nstderr:\n%s", code, asked.Load(), stdout, want, stderr)
	}
	appview.Close()
	code, stdout, stderr = herald("check", "--online")
	if code != 0 || strings.Contains(stdout, "mention-unresolved") || !strings.Contains(stderr, "herald: could not check 2 Bluesky mention(s) of account bluesky: ") {
		t.Errorf("check --online, AppView down: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}

// TestCheckOnlineMedia runs herald check --online on a calendar whose
// media_url is a server on loopback: the medium it serves with other bytes
// is a warning at its src, the exit code stays 0.
func TestCheckOnlineMedia(t *testing.T) {
	const jpeg = "\xff\xd8\xff\xe0\x00\x10JFIF\x00"
	var asked atomic.Int32
	cdn := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if r.Method != http.MethodGet || r.URL.Path != "/media/photo.jpg" {
			t.Errorf("CDN asked %s %s", r.Method, r.URL)
		}
		fmt.Fprint(w, jpeg+"an older photo")
	}))
	defer cdn.Close()
	dir := t.TempDir()
	for name, content := range map[string]string{
		"charter.yaml":    "brand: Maison Exemple\ntimezone: Europe/Paris\nmedia_url: " + cdn.URL + "/\naccounts:\n  instagram: {network: instagram, user: \"17841400000000000\"}\neditorial_line:\n  produit: {description: Nos créations}\n",
		"media/photo.jpg": jpeg + "the new photo",
		"posts/a.md":      "---\ndate: 2026-11-02 09:30\nnetworks: [instagram]\ntags: [produit]\nmedia:\n  - src: ../media/photo.jpg\n    alt: Une photo.\n---\nUne photo.\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"herald", "-C", dir, "check", "--online"}, strings.NewReader(""), &stdout, &stderr)
	want := "posts/a.md:6:10: warning: " + cdn.URL + "/media/photo.jpg serves other bytes than this file (25 bytes there, 24 bytes here): instagram would publish what the URL serves; push the file, or fix media_url [media.url-mismatch]\n"
	if code != 0 || !strings.HasPrefix(stdout.String(), want) || asked.Load() != 1 {
		t.Errorf("check --online: exit %d, %d CDN calls, stdout:\n%s\nwant exit 0, 1 call and first line:\n%s\nstderr:\n%s", code, asked.Load(), stdout.String(), want, stderr.String())
	}
}
