package load

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/herald-social/herald/pipeline/i18n"
	"go.yaml.in/yaml/v3"
)

// Text is a string value with the position where it starts in its file.
type Text struct {
	Value  string
	Line   int // 1-based; 0 when the value is absent
	Column int // 1-based
}

// IsSet reports whether the value was present in the file.
func (t Text) IsSet() bool { return t.Line > 0 }

func textOf(n *yaml.Node) Text {
	if n == nil {
		return Text{}
	}
	return Text{Value: n.Value, Line: n.Line, Column: n.Column}
}

// Lookup returns the key and value nodes of key in mapping m, or nils.
func Lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// AtPointer follows a JSON pointer (RFC 6901), as JSON Schema reports
// instance locations, from root. It returns the deepest node reached and,
// when the last step was a mapping key, that key's node.
func AtPointer(root *yaml.Node, pointer string) (key, value *yaml.Node) {
	value = root
	if pointer == "" {
		return nil, value
	}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = UnescapePointerToken(tok)
		value = resolveAlias(value)
		switch value.Kind {
		case yaml.MappingNode:
			k, v := Lookup(value, tok)
			if v == nil {
				return key, value
			}
			key, value = k, v
		case yaml.SequenceNode:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(value.Content) {
				return key, value
			}
			key, value = nil, value.Content[i]
		default:
			return key, value
		}
	}
	return key, value
}

// UnescapePointerToken decodes one token of a JSON pointer, also undoing
// the percent-encoding jsonschema applies to instance locations.
func UnescapePointerToken(tok string) string {
	if u, err := url.PathUnescape(tok); err == nil {
		tok = u
	}
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
}

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) == 1 {
		return n.Content[0]
	}
	return n
}

// shiftLines adds offset to the line of every node below n, so that nodes
// parsed from front matter carry their line in the whole file.
func shiftLines(n *yaml.Node, offset int) {
	if n == nil {
		return
	}
	n.Line += offset
	for _, c := range n.Content {
		shiftLines(c, offset)
	}
}

// maxNodes bounds the values a document may expand to through aliases, so
// that a "billion laughs" document is an error rather than an outage.
const maxNodes = 100_000

// NodeError is a problem in a YAML document's structure at a node: a
// mapping key written twice, or, when Expansion is set, aliases that expand
// the document beyond maxNodes values.
type NodeError struct {
	Node      *yaml.Node
	Message   string // in English; Text says it in another language
	Expansion bool
	message   message // Message, for Text
}

func (e *NodeError) Error() string { return e.Message }

// ToValue converts a YAML node into the JSON data model that JSON Schema
// validates: maps, slices, strings, json.Number, bools and nil. Timestamps
// stay the strings the writer typed, so that date rules see the original.
func ToValue(n *yaml.Node) (any, error) {
	budget := maxNodes
	return toValue(n, &budget)
}

// DuplicateKeys returns every key written again in a mapping of the tree
// at n, in document order: ToValue stops at the first, and a writer fixing
// one would only then learn of the next. Aliases are not followed: the
// mapping they name is in the tree, and found there.
func DuplicateKeys(n *yaml.Node) []*NodeError {
	var out []*NodeError
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil {
			return
		}
		if n.Kind == yaml.MappingNode {
			seen := make(map[string]int, len(n.Content)/2)
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				seen[k.Value]++
				switch times := seen[k.Value]; times {
				case 1:
				case 2:
					out = append(out, newNodeError(k, msg("load.yaml.key-twice", i18n.Args{"Key": quoted(k.Value)}), false))
				default:
					out = append(out, newNodeError(k, msg("load.yaml.key-times", i18n.Args{"Key": quoted(k.Value), "Times": times}), false))
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

func toValue(n *yaml.Node, budget *int) (any, error) {
	*budget--
	if *budget < 0 {
		return nil, newNodeError(n, msg("load.yaml.alias-bomb", i18n.Args{"Max": maxNodes}), true)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toValue(n.Content[0], budget)
	case yaml.AliasNode:
		v, err := toValue(n.Alias, budget)
		if ne, ok := err.(*NodeError); ok && ne.Expansion {
			// Point at an alias as written, not at a node deep in its
			// expansion: the outermost alias on the path sets it last.
			ne.Node = n
		}
		return v, err
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if _, dup := m[k.Value]; dup {
				return nil, newNodeError(k, msg("load.yaml.key-twice", i18n.Args{"Key": quoted(k.Value)}), false)
			}
			v, err := toValue(n.Content[i+1], budget)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := toValue(c, budget)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	}
	return scalarValue(n), nil
}

func scalarValue(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		var i int64
		if n.Decode(&i) == nil {
			return json.Number(strconv.FormatInt(i, 10))
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return n.Value
}
