package load

import (
	"bytes"
	"errors"
	"regexp"
	"testing"

	"go.yaml.in/yaml/v3"
)

// envName is what Account.EnvName must return, whatever the key.
var envName = regexp.MustCompile(`^HERALD_[A-Z0-9_]*_TOKEN$`)

// FuzzCharter feeds the charter loader arbitrary charter.yaml files:
// ParseCharterYAML answers with a YAML tree or a *ParseError positioned
// inside the file (check asserts that type), ToValue with a value or a
// *NodeError (check asserts that type too), and DecodeCharter never panics,
// whether or not the tree would pass the charter schema; what it decodes
// answers every accessor.
//
// The seeds, in testdata/fuzz/FuzzCharter, are the example calendar's
// charter and a few shapes the loader must survive: anchors and aliases,
// a merge key, a flow mapping, tabs, a BOM, a number too large for an int,
// windows as a list and as a string, an unknown time zone.
func FuzzCharter(f *testing.F) {
	f.Fuzz(func(t *testing.T, content []byte) {
		root, err := ParseCharterYAML(content)
		lines := bytes.Count(content, []byte("\n")) + 1
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not a *ParseError: %v", err, err)
			}
			if pe.Line < 1 || pe.Line > lines || pe.Column < 1 || pe.Rule == "" || pe.Message == "" {
				t.Fatalf("error without a usable position, rule or message in a %d-line file: %+v", lines, pe)
			}
			return
		}
		if root == nil {
			t.Fatal("no tree and no error")
		}
		var inFile func(n *yaml.Node)
		inFile = func(n *yaml.Node) {
			if n.Line < 1 || n.Line > lines || n.Column < 1 {
				t.Fatalf("%s node %q at %d:%d, outside a %d-line file", n.Tag, n.Value, n.Line, n.Column, lines)
			}
			for _, c := range n.Content {
				inFile(c)
			}
		}
		inFile(root)
		if _, err := ToValue(root); err != nil {
			var ne *NodeError
			if !errors.As(err, &ne) {
				t.Fatalf("ToValue's error is %T, not a *NodeError: %v", err, err)
			}
			if ne.Node == nil || ne.Message == "" {
				t.Fatalf("ToValue's error names no node or says nothing: %+v", ne)
			}
			return
		}
		c, err := DecodeCharter(root)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("DecodeCharter's error says nothing")
			}
			return
		}
		if c.Location == nil || c.Root != root {
			t.Fatalf("decoded charter without its location or tree: %+v", c)
		}
		keys := c.AccountKeys()
		if len(keys) != len(c.Accounts) {
			t.Fatalf("AccountKeys gives %d keys for %d accounts", len(keys), len(c.Accounts))
		}
		for _, k := range keys {
			a := c.Accounts[k]
			if a == nil {
				continue // "accounts: {x: }" decodes to a nil account; the schema refuses it
			}
			if a.Key != k {
				t.Fatalf("account %q has key %q", k, a.Key)
			}
			if w := a.Window(); w < 0 {
				t.Fatalf("account %q: stats window %v from %q", k, w, a.StatsWindow)
			}
			if env := a.EnvName("TOKEN"); !envName.MatchString(env) {
				t.Fatalf("account %q: environment variable %q", k, env)
			}
		}
		if l := c.Cadence.Lateness(); l < 0 {
			t.Fatalf("lateness %v from %q", l, c.Cadence.MaxLateness)
		}
		c.TagNames()
		c.CampaignNames()
	})
}
