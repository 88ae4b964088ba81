// The pipeline's packages in the order the data flows through them:
// files → posts → diagnostics | renderings → due items → publications →
// stats → report. This test holds every import to that order.
package pipeline_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/herald-social/herald/"

// layers lists the packages from the bottom up, by path below the module
// (a path covers its sub-packages unless one of them is listed itself). A
// package may import its own layer and those below, never one above.
var layers = [][]string{
	// Leaves: formats and tables that know nothing of the pipeline.
	{"schema", "pipeline/i18n", "pipeline/calendar/keydates", "pipeline/diag", "pipeline/internal", "pipeline/render/length", "pipeline/render/facets",
		"pipeline/networks/netspec", "pipeline/state", "pipeline/media", "pipeline/publish/gitstore",
		"pipeline/check/bench", "pipeline/github/githubtest", "pipeline/networks/mastodon/mastodontest"},
	{"pipeline/load"},   // files → posts and the charter
	{"pipeline/render"}, // posts → renderings, per network
	// What a network receives, and the contract its client keeps.
	{"pipeline/networks", "pipeline/publication"},
	{"pipeline/check"},    // posts → diagnostics
	{"pipeline/calendar"}, // posts, the charter's dates and the journal, day by day
	{"pipeline/preview"},  // renderings and diagnostics, for people
	{"pipeline/schedule"}, // posts and the journal → due items
	// The networks' clients, and their test servers.
	{"pipeline/networks/httpx", "pipeline/networks/mastodon", "pipeline/networks/bluesky",
		"pipeline/networks/feed", "pipeline/networks/outbox", "pipeline/networks/internal"},
	{"pipeline/networks/registry", "pipeline/journal"},
	{"pipeline/publish"}, // due items → publications
	{"pipeline/stats"},   // publications → engagement
	{"pipeline/report"},  // engagement → KPIs
	// The commands' own packages, then the commands.
	{"pipeline/doctor", "pipeline/scaffold", "pipeline/github"},
	{"cmd"},
}

// layerOf returns the layer of a package path below the module: the one
// whose listed path is its longest prefix.
func layerOf(pkg string) (int, bool) {
	best, bestLen := -1, -1
	for i, layer := range layers {
		for _, p := range layer {
			if (pkg == p || strings.HasPrefix(pkg, p+"/")) && len(p) > bestLen {
				best, bestLen = i, len(p)
			}
		}
	}
	return best, best >= 0
}

// layerOfPackage is layerOf, except that a package below
// pipeline/networks that is not listed (a network's client, added by the
// recipe in pipeline/networks/README.md) sits in the clients' layer.
func layerOfPackage(pkg string) (int, bool) {
	layer, ok := layerOf(pkg)
	if ok && strings.HasPrefix(pkg, "pipeline/networks/") && layers[layer][0] == "pipeline/networks" {
		return layerOf("pipeline/networks/httpx")
	}
	return layer, ok
}

func TestImportsFollowTheDataFlow(t *testing.T) {
	root := ".."
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name == "testdata" || name == "node_modules" || (strings.HasPrefix(name, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		from, ok := layerOfPackage(pkg)
		if !ok {
			t.Errorf("%s: package %s is in no layer: add it to layers in pipeline/layers_test.go", path, pkg)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			target, _ := strconv.Unquote(imp.Path.Value)
			dep, ok := strings.CutPrefix(target, module)
			if !ok {
				continue
			}
			to, _ := layerOfPackage(dep)
			checked++
			if to > from {
				t.Errorf("%s imports %s: %s comes after %s in the data flow (see layers in pipeline/layers_test.go)", path, dep, dep, pkg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("checked %d imports: is the walk broken?", checked)
	}
}
