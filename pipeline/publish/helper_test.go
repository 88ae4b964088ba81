package publish_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/herald-social/herald/pipeline/publish"
)

// helperEnv holds, in a process the crash and concurrency tests start
// from the test binary, the JSON of its helperConfig.
const helperEnv = "HERALD_PUBLISH_TEST_HELPER"

// helperConfig is what a helper process runs: herald publish on a
// checkout, publishing to a fake network whose records are in a file, and
// maybe killing itself with SIGKILL at a step.
type helperConfig struct {
	Dir     string `json:"dir"`
	Now     string `json:"now"`
	Network string `json:"network"` // the fake network's file
	// Kill is the step at whose KillAt-th call (from 1) the process kills
	// itself; "" runs to the end.
	Kill   string `json:"kill,omitempty"`
	KillAt int    `json:"kill_at,omitempty"`
	// Later is added to the wall clock: past the lease of earlier runs.
	Later time.Duration `json:"later,omitempty"`
	// Barrier is a folder where Parties processes wait for each other at
	// the intents step, so that they race for the same push.
	Barrier string            `json:"barrier,omitempty"`
	Parties int               `json:"parties,omitempty"`
	Env     map[string]string `json:"env,omitempty"`
}

// Exit codes of a helper process, besides herald's 0 and 1.
const (
	helperError     = 3 // publish.Run returned an error
	helperViolation = 5 // the fake network received something wrong
)

// TestHelperProcess is not a test: it is the body of the processes that
// the crash and concurrency tests start (with helperEnv set).
func TestHelperProcess(t *testing.T) {
	data := os.Getenv(helperEnv)
	if data == "" {
		return
	}
	var cfg helperConfig
	if err := json.Unmarshal([]byte(data), &cfg); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(helperError)
	}
	os.Exit(helperMain(cfg))
}

func helperMain(cfg helperConfig) int {
	violated := false
	n := newFakeNetwork(func(format string, args ...any) {
		violated = true
		fmt.Fprintf(os.Stderr, "fake network: "+format+"\n", args...)
	}, published)
	n.wantFor["posts/avent-1 bluesky"] = []string{"Jour 1 sur Bluesky."}
	n.file = cfg.Network
	calls := map[string]int{}
	opts := publish.Options{
		Dir:        cfg.Dir,
		NowText:    cfg.Now,
		Wall:       func() time.Time { return time.Now().Add(cfg.Later) },
		Publishers: n.publishers("x"),
		Getenv:     func(k string) string { return cfg.Env[k] },
		Log:        os.Stderr,
		Hook: func(step string) {
			calls[step]++
			if step == cfg.Kill && calls[step] == max(cfg.KillAt, 1) {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				time.Sleep(time.Minute) // the signal is on its way
			}
			if step == "intents" && cfg.Barrier != "" {
				wait(cfg.Barrier, cfg.Parties)
			}
		},
	}
	rep, err := publish.Run(context.Background(), opts)
	if rep != nil {
		for _, o := range rep.Outcomes {
			fmt.Printf("%s %s on %s\n", o.What, o.PostID, o.Account)
		}
		fmt.Printf("commits %v\n", rep.Commits)
	}
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return helperError
	case violated:
		return helperViolation
	case rep.Failed():
		return 1
	}
	return 0
}

// wait makes a process wait at a barrier until parties processes reached
// it.
func wait(dir string, parties int) {
	os.WriteFile(filepath.Join(dir, fmt.Sprint(os.Getpid())), nil, 0o644)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if entries, _ := os.ReadDir(dir); len(entries) >= parties {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// helper is a helper process, started or run by the test.
type helper struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
}

func newHelper(t *testing.T, cfg helperConfig) *helper {
	t.Helper()
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := &helper{cmd: exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")}
	h.cmd.Env = append(os.Environ(), helperEnv+"="+string(data))
	h.cmd.Stdout, h.cmd.Stderr = &h.stdout, &h.stderr
	return h
}

// exit waits for the process and returns its exit code, -1 when it was
// killed by SIGKILL.
func (h *helper) exit(t *testing.T) int {
	t.Helper()
	err := h.cmd.Wait()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return -1
		}
		return ee.ExitCode()
	}
	t.Fatal(err)
	return 0
}

func (h *helper) run(t *testing.T) int {
	t.Helper()
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return h.exit(t)
}

func (h *helper) String() string {
	return fmt.Sprintf("stdout:\n%s\nstderr:\n%s", h.stdout.String(), h.stderr.String())
}
