// Package gittest gives tests a real git remote to publish to: git's own
// smart HTTP server (git http-backend, run as CGI behind an
// httptest.Server) with basic authentication as GitHub asks for it, bare
// repositories for file remotes, and the git CLI to play the humans who
// push meanwhile and to check what Herald wrote.
//
// The git CLI runs only in the tests' temporary directories, with the
// user's and system's configuration shut out.
package gittest

import (
	"encoding/base64"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Env is the environment of the git CLI in a test: no user or system
// configuration, no prompt, a human author.
func Env(home string) []string {
	return append(os.Environ(),
		"HOME="+home,
		"GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_TERMINAL_PROMPT=0",
		"GIT_AUTHOR_NAME=Human Writer",
		"GIT_AUTHOR_EMAIL=writer@example.com",
		"GIT_COMMITTER_NAME=Human Writer",
		"GIT_COMMITTER_EMAIL=writer@example.com",
	)
}

// Git runs the git CLI in dir, which must be below the temporary
// directory, and returns its output; a failure fails the test.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := GitErr(t, dir, args...)
	if err != nil {
		t.Fatalf("git %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return out
}

// GitErr is Git returning the error instead of failing the test.
func GitErr(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil || !strings.HasPrefix(abs, os.TempDir()) {
		t.Fatalf("refusing to run git outside the temporary directory: %s", dir)
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = abs
	cmd.Env = Env(abs)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// WriteFiles writes files (slash-separated name → content) below dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Commit writes files below the checkout dir and commits everything there
// is to commit, as the human writer, and returns the commit's hash.
func Commit(t testing.TB, dir string, files map[string]string, message string) string {
	t.Helper()
	WriteFiles(t, dir, files)
	Git(t, dir, "add", "-A")
	Git(t, dir, "commit", "-q", "-m", message)
	return strings.TrimSpace(Git(t, dir, "rev-parse", "HEAD"))
}

// Bare makes an empty bare repository with the branch main, for a file
// remote, and returns its directory.
func Bare(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	bare := filepath.Join(root, "calendar.git")
	Git(t, root, "init", "-q", "--bare", "-b", "main", bare)
	return bare
}

// Server is a git repository served over smart HTTP by git http-backend,
// which asks for basic authentication: user x-access-token and the token
// as password, as GitHub does for GITHUB_TOKEN.
type Server struct {
	URL   string // of the repository, without credentials
	Bare  string // the repository's directory
	Token string
	srv   *httptest.Server

	mu       sync.Mutex
	refused  int      // requests with wrong or missing credentials
	services []string // "upload-pack" / "receive-pack" requests served
	// beforeReceive, when set, runs once at the next push, before git
	// receive-pack takes it (see BeforeReceivePack).
	beforeReceive func()
}

// NewServer serves a new empty repository (branch main); the test is
// skipped when git http-backend is not installed.
func NewServer(t testing.TB, token string) *Server {
	t.Helper()
	bare := Bare(t)
	root := filepath.Dir(bare)
	Git(t, bare, "config", "http.receivepack", "true")
	backend := filepath.Join(strings.TrimSpace(Git(t, root, "--exec-path")), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skipf("git http-backend not found: %v", err)
	}
	gs := &Server{Bare: bare, Token: token}
	gs.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != "x-access-token" || pass != token {
			gs.mu.Lock()
			gs.refused++
			gs.mu.Unlock()
			w.Header().Set("WWW-Authenticate", `Basic realm="herald test"`)
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/calendar.git/") {
			t.Errorf("request for %s, want a path below /calendar.git/", r.URL.Path)
		}
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-receive-pack"):
			gs.record("receive-pack")
			gs.mu.Lock()
			hook := gs.beforeReceive
			gs.beforeReceive = nil
			gs.mu.Unlock()
			if hook != nil {
				hook()
			}
		case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/git-upload-pack"):
			gs.record("upload-pack")
		}
		h := &cgi.Handler{
			Path:   backend,
			Dir:    root,
			Stderr: logWriter{t},
			Env: []string{
				"GIT_PROJECT_ROOT=" + root,
				"GIT_HTTP_EXPORT_ALL=1",
				"REMOTE_USER=" + user,
				"GIT_CONFIG_GLOBAL=/dev/null",
				"GIT_CONFIG_NOSYSTEM=1",
				"HOME=" + root,
			},
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(gs.srv.Close)
	gs.URL = gs.srv.URL + "/calendar.git"
	return gs
}

// logWriter sends git's messages to the test's log.
type logWriter struct{ t testing.TB }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Logf("git http-backend: %s", strings.TrimSpace(string(p)))
	return len(p), nil
}

func (gs *Server) record(service string) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.services = append(gs.services, service)
}

// BeforeReceivePack makes hook run once, when the next push has read the
// refs and sends its update, before git receive-pack takes it: a push from
// someone else made by hook then wins the race at the last moment. The hook
// is cleared before it runs, so it may push itself.
func (gs *Server) BeforeReceivePack(hook func()) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.beforeReceive = hook
}

// Pushes is how many receive-pack requests (pushes) the server served.
func (gs *Server) Pushes() int {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	n := 0
	for _, s := range gs.services {
		if s == "receive-pack" {
			n++
		}
	}
	return n
}

// Refused is how many requests came with wrong or missing credentials.
func (gs *Server) Refused() int {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	return gs.refused
}

// authHeader is how actions/checkout hands the token to the git CLI.
func (gs *Server) authHeader() string {
	return "http.extraHeader=Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+gs.Token))
}

// Human runs the git CLI in dir as a person with access to the server.
func (gs *Server) Human(t testing.TB, dir string, args ...string) string {
	t.Helper()
	return Git(t, dir, append([]string{"-c", gs.authHeader()}, args...)...)
}

// Vars is the environment a CI job gives Herald: GITHUB_TOKEN and
// GITHUB_SERVER_URL, plus extra name, value pairs.
func (gs *Server) Vars(extra ...string) map[string]string {
	m := map[string]string{"GITHUB_TOKEN": gs.Token, "GITHUB_SERVER_URL": gs.srv.URL}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

// Getenv looks Vars up.
func (gs *Server) Getenv(extra ...string) func(string) string {
	m := gs.Vars(extra...)
	return func(k string) string { return m[k] }
}

// Seed pushes a first commit with files to the server.
func (gs *Server) Seed(t testing.TB, files map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seed")
	gs.Human(t, filepath.Dir(dir), "clone", "-q", gs.URL, dir)
	Commit(t, dir, files, "seed the calendar")
	gs.Human(t, dir, "push", "-q", "origin", "HEAD:main")
}

// Clone checks the repository out as a CI job would, into a new
// directory, and returns it.
func (gs *Server) Clone(t testing.TB, extra ...string) string {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "work")
	gs.Human(t, parent, append(append([]string{"clone", "-q"}, extra...), gs.URL, dir)...)
	return dir
}

// HumanCommit pushes a commit by a person, from a clone of its own, and
// returns its hash.
func (gs *Server) HumanCommit(t testing.TB, files map[string]string, message string) string {
	t.Helper()
	dir := gs.Clone(t)
	h := Commit(t, dir, files, message)
	gs.Human(t, dir, "push", "-q", "origin", "HEAD:main")
	return h
}
