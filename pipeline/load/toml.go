package load

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"go.yaml.in/yaml/v3"
)

// parseTOML parses +++ front matter into the same node tree YAML front
// matter gives, so that every later stage has one shape to read: mappings
// for tables, sequences for arrays and arrays of tables, scalars tagged
// !!str, !!int, !!float, !!bool or !!timestamp (a date keeps the text the
// writer typed), keys in the order of the file. Every key and value has its
// own line and column, 1-based, the column counted in runes as yaml.v3 does.
//
// go-toml's decoder first checks the whole document (syntax, a key defined
// twice, a table redefined); its unstable parser, which gives the bytes of
// every key and value, then builds the tree.
func parseTOML(data []byte, delimLine int) (*yaml.Node, error) {
	if err := toml.Unmarshal(data, new(map[string]any)); err != nil {
		return nil, tomlError(data, delimLine, err)
	}
	b := &tomlBuilder{data: data, delimLine: delimLine, lineStarts: []int{0}, lastCol: 1,
		keys: map[*yaml.Node]map[string]int{}}
	for i, c := range data {
		if c == '\n' {
			b.lineStarts = append(b.lineStarts, i+1)
		}
	}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: delimLine + 1, Column: 1}
	table := root // where key = value lines go: the last [table] or [[array table]]
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		expr := p.Expression()
		var err error
		switch expr.Kind {
		case unstable.KeyValue:
			err = b.keyValue(table, expr)
		case unstable.Table, unstable.ArrayTable:
			table, err = b.header(root, expr)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.Error(); err != nil {
		return nil, tomlError(data, delimLine, err)
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	return root, nil
}

// tomlError turns go-toml's error into a ParseError at its line and column.
func tomlError(data []byte, delimLine int, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		msg := strings.TrimPrefix(de.Error(), "toml: ")
		return newParseError("post.syntax", line+delimLine, runeColumn(data, line, col), message{"load.toml.invalid", i18n.Args{"Detail": msg}})
	}
	var pe *unstable.ParserError
	if errors.As(err, &pe) {
		line, col := 1, 1
		if off := cap(data) - cap(pe.Highlight); pe.Highlight != nil && off >= 0 && off <= len(data) {
			start := bytes.LastIndexByte(data[:off], '\n') + 1
			line = bytes.Count(data[:off], []byte("\n")) + 1
			col = utf8.RuneCount(data[start:off]) + 1
		}
		return newParseError("post.syntax", line+delimLine, col, message{"load.toml.invalid", i18n.Args{"Detail": pe.Message}})
	}
	return newParseError("post.syntax", delimLine+1, 1, message{"load.toml.invalid", i18n.Args{"Detail": err.Error()}})
}

// runeColumn converts go-toml's column on line, counted in bytes, into one
// counted in runes.
func runeColumn(data []byte, line, col int) int {
	lines := strings.SplitAfterN(string(data), "\n", line+1)
	if line < 1 || line > len(lines) || col < 1 {
		return max(col, 1)
	}
	text := lines[line-1]
	return utf8.RuneCountInString(text[:min(col-1, len(text))]) + 1
}

// tomlBuilder builds the node tree of one document, placing each node at
// the position of its bytes in data.
type tomlBuilder struct {
	data       []byte
	delimLine  int   // the line of the file before data's first
	lineStarts []int // the offset in data where each line starts
	// The last position given: the next is mostly a little further on the
	// same line, and counting the runes from there rather than from the
	// line's start keeps a long line of many values linear.
	lastOff, lastLine, lastCol int
	// keys indexes the keys of each mapping made, so that a table of many
	// keys is not searched from its start for each new one.
	keys map[*yaml.Node]map[string]int
}

// lookup returns the key and value nodes of key in mapping m, or nils.
func (b *tomlBuilder) lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	i, ok := b.keys[m][key]
	if !ok {
		return nil, nil
	}
	return m.Content[i], m.Content[i+1]
}

// add appends key k and its value v to mapping m.
func (b *tomlBuilder) add(m, k, v *yaml.Node) {
	if b.keys[m] == nil {
		b.keys[m] = map[string]int{}
	}
	b.keys[m][k.Value] = len(m.Content)
	m.Content = append(m.Content, k, v)
}

// at returns a node of kind and tag placed at offset off of data.
func (b *tomlBuilder) at(off int, kind yaml.Kind, tag string) *yaml.Node {
	off = min(max(off, 0), len(b.data))
	i, found := slices.BinarySearch(b.lineStarts, off)
	if !found {
		i--
	}
	var col int
	switch {
	case i != b.lastLine:
		col = utf8.RuneCount(b.data[b.lineStarts[i]:off]) + 1
	case off >= b.lastOff:
		col = b.lastCol + utf8.RuneCount(b.data[b.lastOff:off])
	default:
		col = b.lastCol - utf8.RuneCount(b.data[off:b.lastOff])
	}
	b.lastOff, b.lastLine, b.lastCol = off, i, col
	return &yaml.Node{Kind: kind, Tag: tag, Line: i + 1 + b.delimLine, Column: col}
}

// keyNode returns the mapping key for one part of a (dotted) key.
func (b *tomlBuilder) keyNode(k *unstable.Node) *yaml.Node {
	n := b.at(int(k.Raw.Offset), yaml.ScalarNode, "!!str")
	n.Value = string(k.Data)
	return n
}

// keyParts returns the parts of a dotted key: a, b and c for a.b.c.
func keyParts(n *unstable.Node) []*unstable.Node {
	var parts []*unstable.Node
	for it := n.Key(); it.Next(); {
		parts = append(parts, it.Node())
	}
	return parts
}

// header handles a [table] or [[array table]] line, and returns the
// mapping its key = value lines go to.
func (b *tomlBuilder) header(root *yaml.Node, expr *unstable.Node) (*yaml.Node, error) {
	parts := keyParts(expr)
	// The line's [ or [[: back over the brackets before the first key,
	// then forward over the blanks that may indent the line.
	start := int(parts[0].Raw.Offset)
	for start > 0 && strings.IndexByte(" \t[", b.data[start-1]) >= 0 {
		start--
	}
	for start < len(b.data) && (b.data[start] == ' ' || b.data[start] == '\t') {
		start++
	}
	m, err := b.tables(root, parts, len(parts)-1)
	if err != nil {
		return nil, err
	}
	last := parts[len(parts)-1]
	k, v := b.lookup(m, string(last.Data))
	if expr.Kind == unstable.Table {
		if v == nil {
			k, v = b.keyNode(last), b.at(start, yaml.MappingNode, "!!map")
			b.add(m, k, v)
		}
		return b.table(k, v)
	}
	if v == nil {
		k, v = b.keyNode(last), b.at(start, yaml.SequenceNode, "!!seq")
		b.add(m, k, v)
	}
	if v.Kind != yaml.SequenceNode {
		return nil, b.redefined(k)
	}
	entry := b.at(start, yaml.MappingNode, "!!map")
	v.Content = append(v.Content, entry)
	return entry, nil
}

// keyValue adds a key = value line, or a key = value of an inline table,
// to the mapping m.
func (b *tomlBuilder) keyValue(m *yaml.Node, kv *unstable.Node) error {
	parts := keyParts(kv)
	m, err := b.tables(m, parts, len(parts)-1)
	if err != nil {
		return err
	}
	last := parts[len(parts)-1]
	if k, _ := b.lookup(m, string(last.Data)); k != nil {
		return b.redefined(k)
	}
	key := b.keyNode(last)
	value, _ := b.value(kv.Value(), b.skip(int(last.Raw.Offset+last.Raw.Length)))
	b.add(m, key, value)
	return nil
}

// tables follows the first n parts of a dotted key from m, making the
// tables that do not exist yet, and returns the last one. A table made so is
// placed, as a YAML mapping is, at its first key: the part after its own.
func (b *tomlBuilder) tables(m *yaml.Node, parts []*unstable.Node, n int) (*yaml.Node, error) {
	for i, part := range parts[:n] {
		k, v := b.lookup(m, string(part.Data))
		if v == nil {
			k, v = b.keyNode(part), b.at(int(parts[i+1].Raw.Offset), yaml.MappingNode, "!!map")
			b.add(m, k, v)
		}
		var err error
		if m, err = b.table(k, v); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// table returns the mapping that the value v of key k stands for: itself,
// or the last entry of an array of tables.
func (b *tomlBuilder) table(k, v *yaml.Node) (*yaml.Node, error) {
	if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
		v = v.Content[len(v.Content)-1]
	}
	if v.Kind != yaml.MappingNode {
		return nil, b.redefined(k)
	}
	return v, nil
}

// redefined reports a key defined twice, which go-toml's decoder has
// already refused: the tree is only built from documents it accepts.
func (b *tomlBuilder) redefined(k *yaml.Node) error {
	return newParseError("post.syntax", k.Line, k.Column, message{"load.toml.invalid", i18n.Args{"Detail": message{"load.toml.redefined", i18n.Args{"Key": quoted(k.Value)}}}})
}

// skip returns the offset of the next value or closing bracket at or after
// off: past blanks, line breaks, =, commas and comments. The parser does not
// give an array its bytes, so its [ is found this way.
func (b *tomlBuilder) skip(off int) int {
	for off < len(b.data) {
		switch b.data[off] {
		case ' ', '\t', '\r', '\n', '=', ',':
			off++
		case '#':
			for off < len(b.data) && b.data[off] != '\n' {
				off++
			}
		default:
			return off
		}
	}
	return off
}

// value returns the node of a value that starts at offset start, and the
// offset just past its end.
func (b *tomlBuilder) value(v *unstable.Node, start int) (*yaml.Node, int) {
	switch v.Kind {
	case unstable.Array:
		n := b.at(start, yaml.SequenceNode, "!!seq")
		end := start + 1
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind != unstable.Comment {
				var item *yaml.Node
				item, end = b.value(c, b.skip(end))
				n.Content = append(n.Content, item)
			}
		}
		return n, b.skip(end) + 1 // past the ]
	case unstable.InlineTable:
		start = int(v.Raw.Offset)
		n := b.at(start, yaml.MappingNode, "!!map")
		end := start + 1
		for it := v.Children(); it.Next(); {
			if c := it.Node(); c.Kind == unstable.KeyValue {
				_ = b.keyValue(n, c) // the decoder refused keys defined twice
				end = int(c.Raw.Offset + c.Raw.Length)
			}
		}
		return n, b.skip(end) + 1 // past the }
	}
	start, end := int(v.Raw.Offset), int(v.Raw.Offset+v.Raw.Length)
	raw := string(b.data[start:end])
	n := b.at(start, yaml.ScalarNode, "")
	switch v.Kind {
	case unstable.String:
		n.Tag, n.Value = "!!str", string(v.Data)
	case unstable.Bool:
		n.Tag, n.Value = "!!bool", raw
	case unstable.Integer:
		// 0x, 0o and 0b prefixes and _ between digits, as in Go.
		n.Tag, n.Value = "!!int", raw
		if i, err := strconv.ParseInt(raw, 0, 64); err == nil {
			n.Value = strconv.FormatInt(i, 10)
		}
	case unstable.Float:
		n.Tag, n.Value = "!!float", raw
		if f, err := strconv.ParseFloat(strings.ReplaceAll(raw, "_", ""), 64); err == nil {
			n.Value = strconv.FormatFloat(f, 'g', -1, 64)
		} else if strings.HasSuffix(raw, "nan") {
			n.Value = strconv.FormatFloat(math.NaN(), 'g', -1, 64)
		}
	default:
		// A date or time keeps the text the writer typed: a local
		// date-time has no offset and is read in the charter's time zone,
		// as YAML's is.
		n.Tag, n.Value = "!!timestamp", raw
	}
	return n, end
}
