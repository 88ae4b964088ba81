//go:build unix

package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestFIFONeverOpened runs every command that reads a calendar on one
// holding a named pipe (FIFO) where a file is expected: charter.yaml, a
// post, a medium, a state file, an account's followers. Opening a FIFO
// waits for a writer forever, and no signal ends that wait: each command
// must end within its time, say what the file is, and not open it.
func TestFIFONeverOpened(t *testing.T) {
	const charter = "brand: Maison Exemple\ntimezone: Europe/Paris\naccounts:\n  blog: {network: feed, path: public/feed.xml}\n  archive: {network: outbox, dir: outbox}\neditorial_line:\n  produit: {description: Nos créations}\n"
	const post = "---\ndate: 2026-11-02 09:30\nnetworks: [blog, archive]\ntags: [produit]\n---\nBonjour.\n"
	commands := [][]string{
		{"check"},
		{"preview", "--format", "json"},
		{"plan", "--now", "2026-11-02 09:35"},
		{"publish", "--dry-run", "--now", "2026-11-02 09:35"},
		{"stats", "--now", "2026-11-02 10:35"},
		{"doctor"},
	}
	for _, tc := range []struct {
		fifo string
		say  string // on stdout, for check
	}{
		{"schema/extra.json", `post_schema: "schema/extra.json" is not a regular file`},
		{"charter.yaml", "charter.yaml is a named pipe (FIFO), not a file"},
		{"posts/pipe.md", "posts/pipe.md:1:1: error: "},
		{"media/photo.jpg", ""},
		{"state/posts/a.json", ""},
		{"state/posts/pipe.json", ""},
		{"state/accounts/blog.json", ""},
	} {
		for _, args := range commands {
			t.Run(tc.fifo+"/"+args[0], func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				files := map[string]string{"charter.yaml": charter, "posts/a.md": post}
				if strings.HasPrefix(tc.fifo, "schema/") {
					files["charter.yaml"] += "post_schema: " + tc.fifo + "\n"
				}
				for name, content := range files {
					if name == tc.fifo {
						continue
					}
					p := filepath.Join(dir, name)
					os.MkdirAll(filepath.Dir(p), 0o755)
					if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				p := filepath.Join(dir, tc.fifo)
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := syscall.Mkfifo(p, 0o644); err != nil {
					t.Fatal(err)
				}
				var stdout, stderr bytes.Buffer
				done := make(chan int, 1)
				go func() {
					done <- run(context.Background(), append([]string{"herald", "-C", dir}, args...), strings.NewReader(""), &stdout, &stderr)
				}()
				select {
				case code := <-done:
					if code == exitInternal {
						t.Errorf("herald %s: exit %d\n%s%s", strings.Join(args, " "), code, &stdout, &stderr)
					}
					if args[0] == "check" && tc.say != "" && !strings.Contains(stdout.String(), tc.say) {
						t.Errorf("herald check: stdout\n%s\nwant %q", &stdout, tc.say)
					}
				case <-time.After(10 * time.Second):
					// The goroutine is stuck in open(2): only a writer frees it.
					if f, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil {
						f.Close()
					}
					t.Fatalf("herald %s blocked on the FIFO %s", strings.Join(args, " "), tc.fifo)
				}
			})
		}
	}
}
