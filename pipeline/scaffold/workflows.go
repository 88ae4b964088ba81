package scaffold

import (
	"bytes"
	"embed"
	"path"
	"regexp"
	"text/template"
)

// Workflow file names, as herald init writes them into .github/workflows/.
var WorkflowNames = []string{"herald-review.yml", "herald-comment.yml", "herald-publish.yml", "herald-stats.yml", "herald-report.yml"}

// Action is the reusable action of herald's repository, which builds
// herald from its own source at the ref a workflow names.
const Action = "herald-social/herald/.github/actions/herald"

// LocalAction is the same action as herald's own workflows use it, from
// their checkout.
const LocalAction = "./.github/actions/herald"

//go:embed templates
var templates embed.FS

// WorkflowParams are what the workflow templates take.
type WorkflowParams struct {
	// Action is what steps name in uses: Action@REF, or LocalAction.
	Action string
	// WorkDir is the calendar's folder from the repository's root, with
	// slashes; "" when the calendar is the repository.
	WorkDir string
	// Secrets are the credentials the accounts read, passed from the
	// repository's secrets of the same names.
	Secrets []Secret
	// ByHand leaves the schedule out of publish and stats, which then run
	// from the Actions tab only: herald's own example calendar.
	ByHand bool
}

// LocalAction reports whether the steps use the action from the
// repository's own checkout, which a job must check out first.
func (p WorkflowParams) LocalAction() bool { return p.Action == LocalAction }

// ActionRef returns the reference of herald's action for a herald version:
// a release's tag, or main for a development build (a pseudo-version
// names a commit by a prefix of its hash, which uses: does not take).
func ActionRef(version string) string {
	if !releaseVersion.MatchString(version) {
		return Action + "@main"
	}
	return Action + "@" + version
}

// releaseVersion is a tag of a release, v1.2.3 or v1.2.3-rc.1, and not a
// pseudo-version (v0.0.0-20260101120000-abcdef123456) nor a +dirty build.
var releaseVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+(-(alpha|beta|rc)[0-9.]*)?$`)

// File is a file to write, its path relative to a root.
type File struct {
	Path    string // slash-separated
	Content []byte
}

// Workflows renders the five workflows, in WorkflowNames order, as files
// below .github/workflows/.
func Workflows(p WorkflowParams) ([]File, error) {
	var files []File
	for _, name := range WorkflowNames {
		content, err := render("templates/workflows/"+name+".tmpl", p, nil)
		if err != nil {
			return nil, err
		}
		files = append(files, File{Path: ".github/workflows/" + name, Content: content})
	}
	return files, nil
}

// render executes an embedded template. Templates use [[ ]] as delimiters:
// GitHub's expressions use ${{ }}, and the YAML they write holds {{ too.
// funcs adds to the functions every template has.
func render(name string, data any, funcs template.FuncMap) ([]byte, error) {
	t, err := template.New(path.Base(name)).Delims("[[", "]]").Funcs(template.FuncMap{
		"under": func(dir, name string) string {
			if dir == "" {
				return name
			}
			return dir + "/" + name
		},
		"yaml":     yamlScalar,
		"yamlFlow": yamlFlowScalar,
	}).Funcs(funcs).Option("missingkey=error").ParseFS(templates, name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
