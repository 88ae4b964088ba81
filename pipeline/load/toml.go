package load

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"go.yaml.in/yaml/v3"
)

// parseTOML parses +++ front matter into the same node tree YAML front
// matter gives, so that every later stage has one shape to read.
//
// BurntSushi/toml does not expose the position of keys, so each top-level
// key's line is found by scanning the source for "key =" or "[key]", and
// nested values take the line of their top-level key: written by hand
// because no maintained TOML library reports key positions.
func parseTOML(data []byte, delimLine int) (*yaml.Node, error) {
	var values map[string]any
	md, err := toml.Decode(string(data), &values)
	if err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			// Position.Col is off by a line's length when the error is at
			// the start of a line (toml v1.6): count from the byte offset.
			line, col := perr.Position.Line, max(perr.Position.Col, 1)
			if start := perr.Position.Start; start >= 0 && start <= len(data) {
				lineStart := bytes.LastIndexByte(data[:start], '\n') + 1
				line = bytes.Count(data[:start], []byte("\n")) + 1
				col = utf8.RuneCount(data[lineStart:start]) + 1
			}
			return nil, &ParseError{"post.syntax", line + delimLine, col, "invalid TOML: " + perr.Message}
		}
		return nil, &ParseError{"post.syntax", delimLine + 1, 1, "invalid TOML: " + err.Error()}
	}
	if len(values) == 0 {
		return nil, nil
	}
	lines := strings.Split(string(data), "\n")
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: delimLine + 1, Column: 1}
	// Keep the order of the file, as yaml.v3 does.
	keys := make([]string, 0, len(values))
	for _, k := range md.Keys() {
		if len(k) == 1 && !slices.Contains(keys, k[0]) {
			keys = append(keys, k[0])
		}
	}
	for _, k := range keys {
		line, col, raw := findTOMLKey(lines, k)
		pos := func(n *yaml.Node) { n.Line, n.Column = line+delimLine, col }
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
		pos(key)
		value := tomlNode(values[k], raw, pos)
		root.Content = append(root.Content, key, value)
	}
	return root, nil
}

var tomlKeyLine = regexp.MustCompile(`^\s*(\[\[?\s*)?["']?([A-Za-z0-9_-]+)["']?\s*(=|\]\]?)`)

// findTOMLKey returns the 1-based line and column of a top-level key and
// the raw text after "=" on its line.
func findTOMLKey(lines []string, key string) (line, col int, raw string) {
	for i, l := range lines {
		m := tomlKeyLine.FindStringSubmatchIndex(l)
		if m == nil || l[m[4]:m[5]] != key {
			continue
		}
		raw = strings.TrimSpace(l[m[1]:])
		if hash := strings.Index(raw, " #"); hash >= 0 {
			raw = strings.TrimSpace(raw[:hash])
		}
		return i + 1, m[4] + 1, raw
	}
	return 1, 1, ""
}

func tomlNode(v any, raw string, pos func(*yaml.Node)) *yaml.Node {
	n := &yaml.Node{}
	pos(n)
	switch v := v.(type) {
	case map[string]any:
		n.Kind, n.Tag = yaml.MappingNode, "!!map"
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
			pos(key)
			n.Content = append(n.Content, key, tomlNode(v[k], "", pos))
		}
	case []map[string]any:
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		for _, item := range v {
			n.Content = append(n.Content, tomlNode(item, "", pos))
		}
	case []any:
		n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
		for _, item := range v {
			n.Content = append(n.Content, tomlNode(item, "", pos))
		}
	case string:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", v
	case bool:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!bool", strconv.FormatBool(v)
	case int64:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!int", strconv.FormatInt(v, 10)
	case float64:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!float", strconv.FormatFloat(v, 'g', -1, 64)
	case time.Time:
		// Keep the date as the writer typed it: a local date-time has no
		// offset and is read in the charter's time zone, like YAML's.
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!timestamp", raw
		if raw == "" {
			n.Value = v.Format(time.RFC3339)
		}
	default:
		n.Kind, n.Tag, n.Value = yaml.ScalarNode, "!!str", fmt.Sprint(v)
	}
	return n
}
