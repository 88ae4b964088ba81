package gitstore

import (
	"context"
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
	"time"
)

// The tests run the git CLI only in their own temporary directories, to
// play the humans and to check what Herald wrote; the package never does.

// gitEnv isolates the git CLI from the user's and system's configuration.
func gitEnv(home string) []string {
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

// git runs the git CLI in dir, which must be a test's temporary directory.
func runGit(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := gitErr(t, dir, args...)
	if err != nil {
		t.Fatalf("git %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return out
}

func gitErr(t testing.TB, dir string, args ...string) (string, error) {
	t.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil || !strings.HasPrefix(abs, os.TempDir()) {
		t.Fatalf("refusing to run git outside the temporary directory: %s", dir)
	}
	cmd := exec.Command("git", args...)
	cmd.Dir = abs
	cmd.Env = gitEnv(abs)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// gitServer is git's own smart HTTP server (git http-backend, run as CGI)
// behind basic authentication as GitHub asks for it: user x-access-token,
// the token as password.
type gitServer struct {
	URL   string // of the repository, without credentials
	Bare  string // the repository's directory
	token string
	srv   *httptest.Server

	mu       sync.Mutex
	refused  int      // requests with wrong or missing credentials
	services []string // "upload-pack" / "receive-pack" requests served
	// beforeReceive, when set, runs once when a push has read the refs and
	// sends its update, before git receives it: a push from someone else
	// then wins the race at the last moment.
	beforeReceive func()
}

func newGitServer(t *testing.T, token string) *gitServer {
	t.Helper()
	root := t.TempDir()
	bare := filepath.Join(root, "calendar.git")
	runGit(t, root, "init", "-q", "--bare", "-b", "main", bare)
	runGit(t, bare, "config", "http.receivepack", "true")
	backend := filepath.Join(strings.TrimSpace(runGit(t, root, "--exec-path")), "git-http-backend")
	if _, err := os.Stat(backend); err != nil {
		t.Skipf("git http-backend not found: %v", err)
	}
	gs := &gitServer{Bare: bare, token: token}
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

func (gs *gitServer) record(service string) {
	gs.mu.Lock()
	defer gs.mu.Unlock()
	gs.services = append(gs.services, service)
}

func (gs *gitServer) pushes() int {
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

// authHeader is how actions/checkout hands the token to the git CLI.
func (gs *gitServer) authHeader() string {
	return "http.extraHeader=Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+gs.token))
}

// human runs the git CLI as a person with access to the server.
func (gs *gitServer) human(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return runGit(t, dir, append([]string{"-c", gs.authHeader()}, args...)...)
}

// env is the environment a CI job gives Herald.
func (gs *gitServer) env(extra ...string) func(string) string {
	m := map[string]string{"GITHUB_TOKEN": gs.token, "GITHUB_SERVER_URL": gs.srv.URL}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return func(k string) string { return m[k] }
}

// seed pushes a first commit with files to the server, from a scratch clone.
func (gs *gitServer) seed(t *testing.T, files map[string]string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "seed")
	gs.human(t, filepath.Dir(dir), "clone", "-q", gs.URL, dir)
	writeFiles(t, dir, files)
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", "seed the calendar")
	gs.human(t, dir, "push", "-q", "origin", "HEAD:main")
}

// clone checks the repository out as a CI job would, into a new directory.
func (gs *gitServer) clone(t *testing.T, extra ...string) string {
	t.Helper()
	parent := t.TempDir()
	dir := filepath.Join(parent, "work")
	gs.human(t, parent, append(append([]string{"clone", "-q"}, extra...), gs.URL, dir)...)
	return dir
}

// humanCommit pushes a commit by a person, from its own clone.
func (gs *gitServer) humanCommit(t *testing.T, files map[string]string, message string) string {
	t.Helper()
	dir := gs.clone(t)
	writeFiles(t, dir, files)
	runGit(t, dir, "add", "-A")
	runGit(t, dir, "commit", "-q", "-m", message)
	gs.human(t, dir, "push", "-q", "origin", "HEAD:main")
	return strings.TrimSpace(runGit(t, dir, "rev-parse", "HEAD"))
}

func writeFiles(t testing.TB, dir string, files map[string]string) {
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

func readFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var testNow = time.Date(2026, 12, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))

func testOptions(env func(string) string) Options {
	return Options{Getenv: env, Now: func() time.Time { return testNow }, Backoff: time.Millisecond}
}

func openStore(t *testing.T, dir string, opts Options) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
