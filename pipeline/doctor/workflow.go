package doctor

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
	"go.yaml.in/yaml/v3"
)

// gitRoot returns the root of the git repository that holds dir: the
// nearest folder at or above it with a .git (a folder, or a file in a
// worktree), as git finds it. false, and dir, when there is none.
func gitRoot(dir string) (string, bool) {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir, false
		}
		d = parent
	}
}

// workflowDir is where GitHub reads a repository's workflows.
const workflowDir = ".github/workflows"

// workflowCheck looks for a workflow of the repository at root that runs
// herald publish on a schedule.
func workflowCheck(p *i18n.Printer, root string, inGit bool) Check {
	if !inGit {
		return Check{Status: Warning, Message: p.T("doctor.workflow.no-git", nil)}
	}
	var files []string
	for _, pattern := range []string{"*.yml", "*.yaml"} {
		found, _ := filepath.Glob(filepath.Join(root, workflowDir, pattern))
		files = append(files, found...)
	}
	slices.Sort(files)
	var unscheduled, unreadable []string
	for _, file := range files {
		name := workflowDir + "/" + filepath.Base(file)
		wf, err := readWorkflow(file)
		if err != nil {
			unreadable = append(unreadable, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		if !wf.publishes() {
			continue
		}
		crons := wf.crons()
		if len(crons) == 0 {
			unscheduled = append(unscheduled, name)
			continue
		}
		quoted := make([]string, len(crons))
		for i, c := range crons {
			quoted[i] = strconv.Quote(c)
		}
		return Check{Status: OK, Message: p.T("doctor.workflow.ok", i18n.Args{"Workflow": name, "Crons": strings.Join(quoted, ", ")})}
	}
	msg := p.T("doctor.workflow.none", i18n.Args{"Dir": workflowDir})
	if len(unscheduled) > 0 {
		msg = p.T("doctor.workflow.unscheduled", i18n.Args{"Workflows": strings.Join(unscheduled, ", ")})
	}
	if len(unreadable) > 0 {
		msg = p.T("doctor.workflow.unreadable", i18n.Args{"Message": msg, "Files": strings.Join(unreadable, "; ")})
	}
	return Check{Status: Warning, Message: msg}
}

// workflow is the part of a GitHub Actions workflow doctor reads.
type workflow struct {
	On   yaml.Node `yaml:"on"`
	Jobs map[string]struct {
		Steps []struct {
			Run  string         `yaml:"run"`
			Uses string         `yaml:"uses"`
			With map[string]any `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(file string) (*workflow, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var wf workflow
	// A field of another shape than expected (a job that calls a reusable
	// workflow, say) leaves it out: the rest is still read.
	if err := yaml.Unmarshal(data, &wf); err != nil {
		if _, ok := errors.AsType[*yaml.TypeError](err); !ok {
			return nil, err
		}
	}
	return &wf, nil
}

// crons returns the cron expressions of the workflow's on.schedule.
func (wf *workflow) crons() []string {
	if wf.On.Kind != yaml.MappingNode {
		return nil // on: push, or on: [push, schedule], which sets no cron
	}
	var crons []string
	for i := 0; i+1 < len(wf.On.Content); i += 2 {
		if wf.On.Content[i].Value != "schedule" || wf.On.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, entry := range wf.On.Content[i+1].Content {
			var e struct {
				Cron string `yaml:"cron"`
			}
			if entry.Decode(&e) == nil && strings.TrimSpace(e.Cron) != "" {
				crons = append(crons, e.Cron)
			}
		}
	}
	return crons
}

// publishes reports whether a step runs herald publish: in a run script,
// or through herald's action with command: publish.
func (wf *workflow) publishes() bool {
	for _, job := range wf.Jobs {
		for _, step := range job.Steps {
			if runsPublish(step.Run) {
				return true
			}
			if isHeraldAction(step.Uses) && fmt.Sprint(step.With["command"]) == "publish" {
				return true
			}
		}
	}
	return false
}

// isHeraldAction reports whether uses names herald's action:
// OWNER/herald/.github/actions/herald@REF, or ./.github/actions/herald in
// herald's own repository.
func isHeraldAction(uses string) bool {
	p, _, _ := strings.Cut(uses, "@")
	return strings.HasSuffix(strings.TrimSuffix(p, "/"), ".github/actions/herald")
}

// runsPublish reports whether a shell script runs herald publish: a word
// naming herald (herald, ./herald, "$RUNNER_TEMP/herald"), then, past
// its global flags (-C DIR), the word publish.
func runsPublish(script string) bool {
	for _, line := range strings.Split(script, "\n") {
		words := strings.Fields(line)
		for i, w := range words {
			if path.Base(strings.Trim(w, `"'`)) != "herald" {
				continue
			}
			for j := i + 1; j < len(words); j++ {
				arg := strings.Trim(words[j], `"'`)
				switch {
				case arg == "-C" || arg == "--directory":
					j++ // its value
				case strings.HasPrefix(arg, "-"):
				default:
					if arg == "publish" {
						return true
					}
					j = len(words)
				}
			}
		}
	}
	return false
}
