package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/networks/mastodon/mastodontest"
)

// TestDoctorRejected: a token the network rejects fails herald doctor
// (exit 1), says so on stdout and in the step summary, and never shows the
// token.
func TestDoctorRejected(t *testing.T) {
	srv := mastodontest.New(t)
	dir := t.TempDir()
	charter := "brand: Maison Exemple\ntimezone: Europe/Paris\naccounts:\n  mastodon: {network: mastodon, server: " + srv.URL +
		"}\neditorial_line:\n  produit: {description: Nos créations}\n"
	if err := os.WriteFile(filepath.Join(dir, "charter.yaml"), []byte(charter), 0o644); err != nil {
		t.Fatal(err)
	}
	const token = "a-revoked-token-5Rt"
	summary := filepath.Join(dir, "summary.md")
	t.Setenv("HERALD_MASTODON_TOKEN", token)
	t.Setenv("GITHUB_STEP_SUMMARY", summary)

	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"herald", "-C", dir, "doctor"}, strings.NewReader(""), &stdout, &stderr)
	if code != exitProblems {
		t.Errorf("herald doctor exited with %d, want %d; stderr:\n%s", code, exitProblems, stderr.String())
	}
	u, _ := url.Parse(srv.URL)
	wantLine := "error    mastodon: rejected: HTTP 401: GET /api/v1/accounts/verify_credentials: The access token is invalid: make a new access token on " +
		u.Host + " (Preferences > Development) and set it in HERALD_MASTODON_TOKEN\n"
	if !strings.HasPrefix(stdout.String(), wantLine) {
		t.Errorf("herald doctor printed:\n%s\nwant it to start with:\n%s", stdout.String(), wantLine)
	}
	if want := "herald: some credentials were rejected or accounts cannot be used: the lines above say why\n"; stderr.String() != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), want)
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| ❌ error | mastodon | rejected: HTTP 401: ") {
		t.Errorf("the step summary does not hold the rejection:\n%s", md)
	}
	for name, out := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String(), "summary": string(md)} {
		if strings.Contains(out, token) {
			t.Errorf("%s holds the token:\n%s", name, out)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/api/v1/accounts/verify_credentials" || reqs[0].Header.Get("Authorization") != "Bearer "+token {
		t.Errorf("the server received %v, want one GET /api/v1/accounts/verify_credentials with the token", srv.Routes())
	}
}
