package scaffold

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/herald-social/herald/pipeline/internal/golden"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/load"
)

// projectRoot is herald's repository, from this package's folder.
const projectRoot = "../.."

// projectWorkflows renders herald's own calendar workflows: the templates
// run on example-calendar/ with the action from the checkout.
func projectWorkflows(t *testing.T) []File {
	t.Helper()
	content, err := os.ReadFile(filepath.Join(projectRoot, "example-calendar", load.CharterFile))
	if err != nil {
		t.Fatal(err)
	}
	node, err := load.ParseCharterYAML(content)
	if err != nil {
		t.Fatal(err)
	}
	charter, err := load.DecodeCharter(node)
	if err != nil {
		t.Fatal(err)
	}
	files, err := Workflows(WorkflowParams{Action: LocalAction, WorkDir: "example-calendar", Secrets: SecretsOf(charter), ByHand: true})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestProjectWorkflows keeps herald's own workflows what the templates
// render: go test ./pipeline/scaffold -run TestProjectWorkflows -update
// writes them after a change to a template.
func TestProjectWorkflows(t *testing.T) {
	for _, f := range projectWorkflows(t) {
		path := filepath.Join(projectRoot, filepath.FromSlash(f.Path))
		if *golden.Update {
			if err := os.WriteFile(path, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v: run go test ./pipeline/scaffold -run TestProjectWorkflows -update", err)
		}
		if diff := cmp.Diff(string(f.Content), string(got)); diff != "" {
			t.Errorf("%s is not what its template renders (-template +file); run this test with -update:\n%s", f.Path, diff)
		}
	}
}

func TestActionRef(t *testing.T) {
	tests := map[string]string{
		"v1.2.3":                               Action + "@v1.2.3",
		"v1.2.3-rc.1":                          Action + "@v1.2.3-rc.1",
		"dev":                                  Action + "@main",
		"v0.0.0-20261125221200-abcdef123456":   Action + "@main",
		"v1.2.4-0.20261125221200-abcdef123456": Action + "@main",
		"v1.2.3+dirty":                         Action + "@main",
	}
	for version, want := range tests {
		if got := ActionRef(version); got != want {
			t.Errorf("ActionRef(%q) = %q, want %q", version, got, want)
		}
	}
}

func TestYAMLScalar(t *testing.T) {
	for _, s := range []string{"Maison Exemple", "Noël 🎄", "Noël : J-1", "#1", "a #b", "l'atelier", "'quoted'", `"Yes": no`,
		"- item", "[x]", "{a: b}", "&anchor", "*alias", "true", "null", "12", "1.5", "~", "@handle", "`tick", "%x", "a:b", "https://a.example/x?y=1#z"} {
		var got string
		if err := yaml.Unmarshal([]byte("v: "+yamlScalar(s)), &struct{ V *string }{&got}); err != nil || got != s {
			t.Errorf("yamlScalar(%q) = %s, which reads back as %q (%v)", s, yamlScalar(s), got, err)
		}
	}
}
