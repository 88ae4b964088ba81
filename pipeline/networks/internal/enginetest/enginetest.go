// Package enginetest runs herald publish end to end for a network
// client's tests: a calendar committed to a git repository with a bare
// remote (or a plain folder), runs of the engine on it with the wall clock
// moved on past the lease, a run stopped at a step as a killed process
// stops, and the journal read back, with no secret in it. What is a
// network's own (its account line, its server, what to assert on the
// server) stays in the network's engine_test.go.
package enginetest

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
	"github.com/herald-social/herald/pipeline/state"
)

// Now is the engine's time in every run: 10:00 on the posts' day.
const Now = "2026-12-01 10:00"

// Charter is a charter's text with the brand, timezone and locale every
// engine test uses, the one account line given (its key, a colon and its
// flow mapping) and a produit tag; extra is appended as is.
func Charter(account, extra string) string {
	return "brand: Maison Test\ntimezone: Europe/Paris\nlocale: fr-FR\n" +
		"accounts:\n  " + account + "\n" +
		"editorial_line:\n  produit: {description: Nos créations}\n" + extra
}

// HTTP is the clients' HTTP options in an engine test: no jitter, a
// millisecond of backoff, no connection kept between runs.
func HTTP() httpx.Options {
	return httpx.Options{Rand: func() float64 { return 0.5 }, BaseDelay: time.Millisecond,
		HTTP: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}}
}

// Getenv returns an environment lookup that knows only vars.
func Getenv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// Repo is a calendar in git: Bare is the remote, Dir the checkout the
// engine runs in, as in CI.
type Repo struct {
	Bare, Dir string
}

// Calendar commits files (slash-separated name → content) to a new bare
// remote and returns it with a fresh clone of it.
func Calendar(t testing.TB, files map[string]string) *Repo {
	t.Helper()
	bare := gittest.Bare(t)
	seed := filepath.Join(t.TempDir(), "seed")
	gittest.Git(t, filepath.Dir(seed), "clone", "-q", bare, seed)
	gittest.WriteFiles(t, seed, files)
	gittest.Git(t, seed, "add", "-A")
	gittest.Git(t, seed, "commit", "-q", "-m", "the calendar")
	gittest.Git(t, seed, "push", "-q", "origin", "HEAD:main")
	dir := filepath.Join(t.TempDir(), "ci")
	gittest.Git(t, filepath.Dir(dir), "clone", "-q", bare, dir)
	return &Repo{Bare: bare, Dir: dir}
}

// Journal returns the journal of post (its id, as avent-1) on account as
// the remote's main branch holds it; nil when the account has none.
func (r *Repo) Journal(t testing.TB, post, account string) *state.Account {
	t.Helper()
	name := "state/posts/" + post + ".json"
	return decode(t, name, gittest.Git(t, r.Bare, "show", "main:"+name), account)
}

// NoSecret fails the test when the remote's history holds one of secrets.
func (r *Repo) NoSecret(t testing.TB, secrets ...string) {
	t.Helper()
	NoSecret(t, "the repository", gittest.Git(t, r.Bare, "log", "-p", "main"), secrets...)
}

// Journal returns the journal of post on account as the folder dir holds
// it, and fails the test when it holds one of secrets. When there is no
// journal it logs the run's report, which says why.
func Journal(t testing.TB, dir string, rep Report, post, account string, secrets ...string) *state.Account {
	t.Helper()
	name := "state/posts/" + post + ".json"
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Logf("%+v", rep)
		t.Fatal(err)
	}
	NoSecret(t, "the journal", string(data), secrets...)
	return decode(t, name, string(data), account)
}

func decode(t testing.TB, name, data, account string) *state.Account {
	t.Helper()
	file, err := state.Decode(name, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	return file.Accounts[account]
}

// NoSecret fails the test when text (what names it) holds one of secrets.
func NoSecret(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for _, secret := range secrets {
		if secret != "" && strings.Contains(text, secret) {
			t.Errorf("%s holds a secret:\n%s", what, text)
		}
	}
}
