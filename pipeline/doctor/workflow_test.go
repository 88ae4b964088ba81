package doctor_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/doctor"
)

// publishWorkflow is the publish workflow as herald init writes it, in
// short: herald's action with command: publish, on a schedule.
const publishWorkflow = `name: herald publish
on:
  schedule:
    - cron: "7-59/15 * * * *"
  workflow_dispatch:
concurrency: {group: herald-publish, cancel-in-progress: false}
permissions:
  contents: write
jobs:
  publish:
    runs-on: ubuntu-latest
    environment: herald
    steps:
      - uses: actions/checkout@v4
        with: {fetch-depth: 0}
      - uses: herald-social/herald/.github/actions/herald@main
        continue-on-error: true
        with:
          command: doctor
      - uses: herald-social/herald/.github/actions/herald@main
        with:
          command: publish
        env:
          HERALD_MASTODON_TOKEN: ${{ secrets.HERALD_MASTODON_TOKEN }}
`

func TestWorkflow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		git   bool
		files map[string]string // below the repository's root
		want  doctor.Check
	}{
		{name: "herald init's", git: true, files: map[string]string{".github/workflows/herald-publish.yml": publishWorkflow},
			want: doctor.Check{Status: doctor.OK, Message: `.github/workflows/herald-publish.yml runs herald publish on a schedule (cron "7-59/15 * * * *")`}},
		{name: "herald's own, with the local action", git: true, files: map[string]string{".github/workflows/herald-publish.yaml": `
on: {schedule: [{cron: "7-59/15 * * * *"}, {cron: "0 12 * * 1"}]}
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/herald
        with: {command: publish, working-directory: example-calendar}
`},
			want: doctor.Check{Status: doctor.OK, Message: `.github/workflows/herald-publish.yaml runs herald publish on a schedule (cron "7-59/15 * * * *", "0 12 * * 1")`}},
		{name: "a run step", git: true, files: map[string]string{".github/workflows/cron.yml": `
on:
  schedule:
    - cron: "*/30 * * * *"
jobs:
  go:
    runs-on: ubuntu-latest
    steps:
      - run: go install github.com/herald-social/herald/cmd/herald@latest
      - run: |
          set -e
          "$HOME/go/bin/herald" -C calendars/maison publish --lease 20m
`},
			want: doctor.Check{Status: doctor.OK, Message: `.github/workflows/cron.yml runs herald publish on a schedule (cron "*/30 * * * *")`}},
		{name: "no schedule", git: true, files: map[string]string{".github/workflows/publish.yml": `
on: [workflow_dispatch, schedule]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: herald publish
`},
			want: doctor.Check{Status: doctor.Warning, Message: `.github/workflows/publish.yml runs herald publish but on no schedule: add on: schedule: - cron: "7-59/15 * * * *" (as herald init writes it)`}},
		{name: "scheduled, but not publish", git: true, files: map[string]string{
			".github/workflows/stats.yml": `
on: {schedule: [{cron: "41 5 * * *"}]}
jobs:
  stats:
    runs-on: ubuntu-latest
    steps:
      - uses: herald-social/herald/.github/actions/herald@v1
        with: {command: stats, args: publish}
      - run: echo herald would publish; herald plan
`,
			".github/workflows/README.md": "herald publish",
		},
			want: doctor.Check{Status: doctor.Warning, Message: "no scheduled publish workflow in .github/workflows: herald init writes one"}},
		{name: "a job calling a reusable workflow", git: true, files: map[string]string{".github/workflows/a.yml": `
on: {schedule: [{cron: "7-59/15 * * * *"}]}
jobs:
  call:
    uses: ./.github/workflows/b.yml
    with: {x: 1}
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: herald publish
`},
			want: doctor.Check{Status: doctor.OK, Message: `.github/workflows/a.yml runs herald publish on a schedule (cron "7-59/15 * * * *")`}},
		{name: "unreadable", git: true, files: map[string]string{".github/workflows/broken.yml": "on: [\n"},
			want: doctor.Check{Status: doctor.Warning, Message: "no scheduled publish workflow in .github/workflows: herald init writes one; cannot read .github/workflows/broken.yml: yaml: line 1: did not find expected node content"}},
		{name: "no workflows", git: true,
			want: doctor.Check{Status: doctor.Warning, Message: "no scheduled publish workflow in .github/workflows: herald init writes one"}},
		{name: "not in git", files: map[string]string{".github/workflows/herald-publish.yml": publishWorkflow},
			want: doctor.Check{Status: doctor.Warning, Message: "not in a git repository: herald publishes from a scheduled workflow in the calendar's repository on GitHub; herald init writes one"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			for name, content := range tc.files {
				files[name] = content
			}
			// The calendar is a folder of the repository.
			root := calendar(t, "  archive: {network: outbox, dir: outbox}\n", files)
			os.Mkdir(filepath.Join(root, "maison"), 0o755)
			if err := os.Rename(filepath.Join(root, "charter.yaml"), filepath.Join(root, "maison", "charter.yaml")); err != nil {
				t.Fatal(err)
			}
			if tc.git {
				os.Mkdir(filepath.Join(root, ".git"), 0o755)
			}
			rep := run(t, root, nil)
			tc.want.Calendar = "maison"
			if diff := cmp.Diff(tc.want, rep.Checks[len(rep.Checks)-1]); diff != "" {
				t.Errorf("the repository's check (-want +got):\n%s", diff)
			}
		})
	}
}

// TestWorkflowOncePerRepository: the calendars of a repository share its
// workflows, which are checked once.
func TestWorkflowOncePerRepository(t *testing.T) {
	dir := calendar(t, "  archive: {network: outbox, dir: outbox}\n", map[string]string{})
	charter, _ := os.ReadFile(filepath.Join(dir, "charter.yaml"))
	for _, brand := range []string{"a", "b"} {
		os.MkdirAll(filepath.Join(dir, brand), 0o755)
		os.WriteFile(filepath.Join(dir, brand, "charter.yaml"), charter, 0o644)
	}
	os.Remove(filepath.Join(dir, "charter.yaml"))
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	rep := run(t, dir, nil)
	var got []string
	for _, c := range rep.Checks {
		got = append(got, c.Calendar+" "+c.Account)
	}
	if diff := cmp.Diff([]string{"a archive", "a ", "b archive"}, got); diff != "" {
		t.Errorf("checks (-want +got):\n%s", diff)
	}
}
