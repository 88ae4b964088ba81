package check

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/schema"
)

// ruleLike is a string that reads as a rule id of one of the rules
// table's families: "text.too-long", "charter.schema".
var ruleLike = regexp.MustCompile(`^[a-z]+\.[a-z]+(-[a-z]+)*$`)

// notRules are strings of that shape that are file names, not rule ids.
var notRules = map[string]bool{"charter.yaml": true, "charter.yml": true}

// TestRuleIDsAreRegistered reads every string literal in the packages that
// report diagnostics (check, and load's parse errors): one that reads as a
// rule id of a known family must be in the rules table, so that a typo
// cannot turn a rule into one that is silently off.
func TestRuleIDsAreRegistered(t *testing.T) {
	families := map[string]bool{}
	for _, r := range rules {
		family, _, _ := strings.Cut(r.ID, ".")
		families[family] = true
	}
	var files []string
	for _, dir := range []string{".", "../load"} {
		matches, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			if !strings.HasSuffix(m, "_test.go") {
				files = append(files, m)
			}
		}
	}
	fset := token.NewFileSet()
	seen := 0
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			family, _, _ := strings.Cut(s, ".")
			if err != nil || !ruleLike.MatchString(s) || !families[family] || notRules[s] {
				return true
			}
			seen++
			if _, ok := defaultSeverity(s); !ok {
				t.Errorf("%s: %q reads as a rule id but is not in the rules table (rules.go)", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	if seen < len(rules)/2 {
		t.Errorf("found %d rule ids in the sources, fewer than half the %d rules: is the scan broken?", seen, len(rules))
	}
}

// TestUnknownRuleIsAnError: were an unregistered id to slip through, its
// problem is still reported, as an error.
func TestUnknownRuleIsAnError(t *testing.T) {
	r := &reporter{path: "posts/a.md"}
	r.addText("text.no-such-rule", 1, 1, "something is wrong")
	if len(r.diags) != 1 || r.diags[0].Severity != diag.Error {
		t.Errorf("an unknown rule gave %+v, want one error", r.diags)
	}
}

// TestPatternSentences: every pattern of the schemas has its sentence in
// the catalog, so that no error shows a raw regular expression.
func TestPatternSentences(t *testing.T) {
	for _, key := range schema.PatternKeys() {
		if !i18n.Has("check.schema.pattern." + key) {
			t.Errorf("no message check.schema.pattern.%s in check.en.toml", key)
		}
	}
}
