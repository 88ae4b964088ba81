//go:build unix

package main

import (
	"bytes"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// stallingServer is a network that takes a request and never answers it:
// the command is in the middle of an HTTP call when the test signals it.
// It asserts that each call is one the case expects, and refuses any
// other.
type stallingServer struct {
	*httptest.Server
	asked chan string
}

func newStallingServer(t *testing.T, want []string) *stallingServer {
	s := &stallingServer{asked: make(chan string, 16)}
	release := make(chan struct{})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Method + " " + r.URL.Path
		if !slices.Contains(want, got) {
			t.Errorf("the network was asked %s, want one of %q", got, want)
			http.Error(w, "unexpected request", http.StatusNotFound)
			return
		}
		s.asked <- got
		select { // until herald hangs up, or the test ends
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() {
		close(release)
		s.Close()
	})
	return s
}

// signalCase is one command signalled while it works.
type signalCase struct {
	name  string
	files map[string]string
	// stall, when set, are the requests the command may make: it is
	// signalled in the first.
	stall []string
	// started, when stall is empty, is what the command prints on stderr
	// once it is at work (a server listening).
	started string
	args    []string
	env     []string
	// stopped is a command that ends cleanly on a signal (a server): exit
	// 0, nothing said to be interrupted.
	stopped bool
	// check looks at the calendar after the run, beyond a clean worktree.
	check func(t *testing.T, dir string)
}

const signalCharter = `brand: Maison Exemple
timezone: Europe/Paris
accounts:
  mastodon: {network: mastodon, server: "SERVER"}
editorial_line:
  produit: {description: Nos créations}
`

// TestSignals runs the real herald binary (this test binary re-executed
// as herald's main, signal handling included), signals it in the middle
// of its work with SIGTERM and with SIGINT, and checks that it stops
// within a second, says that it was interrupted, exits non-zero and
// leaves the git worktree clean: nothing half written, nothing left
// uncommitted, no lock.
func TestSignals(t *testing.T) {
	herald, err := exec.LookPath("herald")
	if err != nil {
		t.Fatalf("herald is not on $PATH (TestMain puts it there): %v", err)
	}
	duePost := "---\ndate: 2026-11-02 09:30\nnetworks: [mastodon]\ntags: [produit]\n---\nBonjour @atelier.bsky.social\n"
	publishedState := `{
  "accounts": {
    "mastodon": {
      "status": "published",
      "ids": ["109"],
      "published_at": "2026-11-02T08:30:00Z",
      "stats": []
    }
  }
}
`
	cases := []signalCase{{
		name: "check --online",
		files: map[string]string{
			"charter.yaml": strings.Replace(signalCharter, "mastodon: {network: mastodon, server:", "bluesky: {network: bluesky, handle: maison.bsky.social, appview:", 1),
			"posts/a.md":   strings.Replace(duePost, "[mastodon]", "[bluesky]", 1),
		},
		stall: []string{"GET /xrpc/com.atproto.identity.resolveHandle"},
		args:  []string{"check", "--online"},
	}, {
		name:  "publish",
		files: map[string]string{"posts/a.md": duePost},
		stall: []string{"GET /api/v1/accounts/verify_credentials", "GET /api/v2/instance", "POST /api/v1/statuses"},
		args:  []string{"publish", "--no-push", "--now", "2026-11-02 09:35"},
		env:   []string{"HERALD_MASTODON_TOKEN=secret-token"},
		check: func(t *testing.T, dir string) {
			// The intent was journaled and committed before the call:
			// the next run reconciles it, never publishes blind.
			st, err := os.ReadFile(filepath.Join(dir, "state/posts/a.json"))
			if err != nil || !bytes.Contains(st, []byte(`"status": "publishing"`)) {
				t.Errorf("state/posts/a.json after the interruption: %v\n%s\nwant the committed publishing intent", err, st)
			}
			if log := gitOut(t, dir, "log", "--format=%s"); !strings.HasPrefix(log, "herald: publishing 1 post on 1 account\n") {
				t.Errorf("git log:\n%s\nwant the intent's commit on top", log)
			}
		},
	}, {
		name:  "stats",
		files: map[string]string{"posts/a.md": duePost, "state/posts/a.json": publishedState},
		stall: []string{"GET /api/v1/statuses", "GET /api/v1/statuses/109", "GET /api/v1/accounts/verify_credentials", "GET /api/v2/instance"},
		args:  []string{"stats", "--no-push", "--now", "2026-11-02 10:35"},
		env:   []string{"HERALD_MASTODON_TOKEN=secret-token"},
		check: func(t *testing.T, dir string) {
			if log := gitOut(t, dir, "log", "--format=%s"); log != "the calendar\n" {
				t.Errorf("git log:\n%s\nwant no commit of an interrupted stats run", log)
			}
		},
	}, {
		name:  "doctor",
		files: map[string]string{"posts/a.md": duePost},
		stall: []string{"GET /api/v1/accounts/verify_credentials"},
		args:  []string{"doctor"},
		env:   []string{"HERALD_MASTODON_TOKEN=secret-token"},
	}, {
		name:    "preview --serve",
		files:   map[string]string{"posts/a.md": duePost},
		started: "serving the preview at http://127.0.0.1:",
		args:    []string{"preview", "--serve", "127.0.0.1:0"},
		stopped: true,
	}}
	for _, tc := range cases {
		for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
			t.Run(tc.name+"/"+sig.String(), func(t *testing.T) {
				t.Parallel()
				signalled(t, herald, tc, sig)
			})
		}
	}
}

func signalled(t *testing.T, herald string, tc signalCase, sig syscall.Signal) {
	srv := newStallingServer(t, tc.stall)
	dir := t.TempDir()
	files := map[string]string{"charter.yaml": signalCharter}
	for name, content := range tc.files {
		files[name] = content
	}
	files["charter.yaml"] = strings.ReplaceAll(files["charter.yaml"], "SERVER", srv.URL)
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitOut(t, dir, "init", "-q", "-b", "main")
	gitOut(t, dir, "add", "-A")
	gitOut(t, dir, "commit", "-q", "-m", "the calendar")

	cmd := exec.Command(herald, append([]string{"-C", dir}, tc.args...)...)
	// A binary built with -race sleeps a second before it exits
	// (atexit_sleep_ms): not herald's time to stop.
	cmd.Env = append(gitEnv(dir), append(tc.env, "GORACE=atexit_sleep_ms=0")...)
	var stdout bytes.Buffer
	stderr := &lineWatcher{want: tc.started, seen: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	busy := stderr.seen
	if len(tc.stall) > 0 {
		busy = make(chan struct{})
		go func() {
			<-srv.asked
			close(busy)
		}()
	}
	select {
	case <-busy:
	case err := <-exited:
		t.Fatalf("herald %s ended before it was signalled: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(tc.args, " "), err, &stdout, stderr)
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("herald %s never got to work\nstderr:\n%s", strings.Join(tc.args, " "), stderr)
	}

	signalledAt := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-exited:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("herald %s still running 5 s after %v\nstderr:\n%s", strings.Join(tc.args, " "), sig, stderr)
	}
	if took := time.Since(signalledAt); took > time.Second {
		t.Errorf("herald %s stopped %v after %v, want within 1 s", strings.Join(tc.args, " "), took.Round(time.Millisecond), sig)
	}
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	switch {
	case tc.stopped && (code != 0 || strings.Contains(stderr.String(), "interrupted")):
		t.Errorf("herald %s: exit %d after %v, want 0 (the way to stop a server)\nstderr:\n%s", strings.Join(tc.args, " "), code, sig, stderr)
	case !tc.stopped && (code == 0 || code == -1 || !strings.Contains(stderr.String(), "herald: interrupted")):
		t.Errorf("herald %s: exit %d after %v, want a non-zero exit and \"herald: interrupted\"\nstdout:\n%s\nstderr:\n%s", strings.Join(tc.args, " "), code, sig, &stdout, stderr)
	}
	if strings.Contains(stdout.String()+stderr.String(), "secret-token") {
		t.Errorf("the token was printed")
	}
	if st := gitOut(t, dir, "status", "--porcelain", "--ignored", "--untracked-files=all"); st != "" {
		t.Errorf("git status after %v:\n%s\nwant a clean worktree", sig, st)
	}
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".lock") {
			t.Errorf("%s left behind", path)
		}
		return nil
	})
	if tc.check != nil {
		tc.check(t, dir)
	}
}

// lineWatcher keeps what herald writes on stderr and closes seen when a
// line holding want has been written.
type lineWatcher struct {
	want string
	seen chan struct{}
	once sync.Once
	mu   sync.Mutex
	buf  bytes.Buffer
}

func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.want != "" && strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *lineWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// gitEnv is an environment for git and herald without the user's
// configuration.
func gitEnv(home string) []string {
	return append(os.Environ(), "HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "NO_COLOR=1",
		"GIT_AUTHOR_NAME=Test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=Test", "GIT_COMMITTER_EMAIL=test@example.com")
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = gitEnv(dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
