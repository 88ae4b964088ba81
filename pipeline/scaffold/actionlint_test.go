package scaffold

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5"
	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// lintWorkflows runs actionlint on every workflow of the repository at
// root, knowing its local actions (./.github/actions/herald's inputs), and
// shellcheck on their scripts when it is installed (CI installs it).
func lintWorkflows(t *testing.T, root string) {
	t.Helper()
	root, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows in %s (%v)", root, err)
	}
	opts := &actionlint.LinterOptions{WorkingDir: root}
	if path, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = path
	} else {
		t.Log("shellcheck is not installed: the workflows' scripts are not linted")
	}
	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, opts)
	if err != nil {
		t.Fatal(err)
	}
	project, err := actionlint.NewProject(root)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := linter.LintFiles(files, project)
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) > 0 {
		t.Errorf("actionlint found %d problems:\n%s", len(errs), out.String())
	}
}

// TestActionlintProject lints herald's own workflows: CI, and the
// calendar workflows that run example-calendar/ through the local action.
func TestActionlintProject(t *testing.T) {
	lintWorkflows(t, projectRoot)
}

// TestActionlintInit lints the workflows herald init writes, with and
// without secrets, at a repository's root and in a folder of one.
func TestActionlintInit(t *testing.T) {
	tests := []struct {
		name     string
		subdir   string
		accounts []string
	}{
		{name: "feed and outbox only"},
		{name: "with secrets", accounts: []string{"mastodon=mastodon,server=https://m.example", "bsky.pro=bluesky,handle=pro.example.com"}},
		{name: "in a folder of a repository", subdir: "brands/maison", accounts: []string{"mastodon=mastodon,server=https://m.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			repo := t.TempDir()
			dir := repo
			if tt.subdir != "" {
				// A repository already there: the workflows go to its root.
				if _, err := git.PlainInit(repo, false); err != nil {
					t.Fatal(err)
				}
				dir = filepath.Join(repo, filepath.FromSlash(tt.subdir))
			}
			opts := initOpts(dir, tt.accounts...)
			opts.ActionRef = ActionRef("v1.2.3")
			if _, err := Init(context.Background(), opts); err != nil {
				t.Fatal(err)
			}
			lintWorkflows(t, repo)
		})
	}
}

// TestActionScripts runs shellcheck on the scripts of herald's action,
// which actionlint reads for its inputs but does not lint.
func TestActionScripts(t *testing.T) {
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Skip("shellcheck is not installed (CI installs it)")
	}
	content, err := os.ReadFile(filepath.Join(projectRoot, ".github", "actions", "herald", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Runs struct {
			Steps []struct {
				Name, Shell, Run string
			}
		}
	}
	if err := yaml.Unmarshal(content, &action); err != nil {
		t.Fatal(err)
	}
	scripts := 0
	for _, step := range action.Runs.Steps {
		if step.Run == "" {
			continue
		}
		scripts++
		if step.Shell != "bash" {
			t.Errorf("step %q runs in %q: herald's action runs its scripts in bash, the same on every runner", step.Name, step.Shell)
		}
		// GitHub runs them as bash --noprofile --norc -eo pipefail.
		cmd := exec.Command(shellcheck, "--shell=bash", "-")
		cmd.Stdin = strings.NewReader("set -eo pipefail\n" + step.Run)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("shellcheck on step %q: %v\n%s", step.Name, err, out)
		}
	}
	if scripts == 0 {
		t.Error("found no script in the action")
	}
}
