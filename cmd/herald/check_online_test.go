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
