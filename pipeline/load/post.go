package load

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/adrg/frontmatter"
	"github.com/herald-social/herald/pipeline/i18n"
	"go.yaml.in/yaml/v3"
)

// Post is one post file: its front matter as a YAML node tree whose lines
// are lines of the file, the fields Herald knows with their positions, and
// the Markdown body.
type Post struct {
	Rel      string     // path below the calendar root, slash-separated: posts/2026/12/avent-1.md
	ID       string     // Rel without .md, or the front matter's id
	Format   string     // "yaml" or "toml"
	Front    *yaml.Node // the front matter mapping; nil when empty
	Body     string     // the Markdown body
	BodyLine int        // line of the file where Body starts

	IDField  Text
	Date     Text
	Networks []Text
	Campaign Text
	Tags     []Text
	Status   Text
	Title    Text
	Media    []Media
	Variants []Variant
	Poll     *Poll // nil when the post has no poll: mapping
}

// Poll is a post's poll: its options and how it runs, one for every
// network, which check and preview measure against each network's limits
// (netspec's PollLimits). The first thread part carries it.
type Poll struct {
	Options    []Text
	OptionList Text // the options: value itself (a list), where diagnostics about their number point
	ExpiresIn  Text // "1d", "6h", "30m": a Go duration, or days with d
	Multiple   Text // "true" or "false"; unset when absent
	HideTotals Text
	Key        Text // the poll: key itself, where diagnostics about the whole poll point
}

// ParsePollExpiry reads a poll's expires_in: a Go duration ("6h", "30m",
// "1h30m") or a whole number of days ("1d", "7d").
func ParsePollExpiry(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a number of days such as 1d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as 1d, 6h or 30m", s)
	}
	return d, nil
}

// Media is one entry of a post's media list.
type Media struct {
	Src  Text
	Alt  Text // Alt.IsSet() is false when the entry has no alt
	Part int  // thread part, 1-based
	Line int  // where the entry starts
	Col  int
}

// Variant is a per-account (or per-network) text replacing the body.
type Variant struct {
	Key  Text // the account key or network name
	Text Text
	// Comment is a YAML comment after the value: unquoted text with " #"
	// in it is cut there, a slip worth pointing out.
	Comment string
}

// IsDraft reports whether the post is marked status: draft.
func (p *Post) IsDraft() bool { return p.Status.Value == "draft" }

// ParseError is a post or charter that cannot be read as Herald expects, at
// a position in its file.
type ParseError struct {
	Rule    string // post.front-matter, post.syntax, post.binary...
	Line    int
	Column  int
	Message string  // in English; Text says it in another language
	message message // Message, for Text
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Message)
}

// MaxPostSize is the largest post file Herald reads. Real posts are a few
// kilobytes; anything this big is a mistake, and refusing it keeps a stray
// file from exhausting memory in CI.
const MaxPostSize = 1 << 20

// ReadPost reads a post file, but no more than one byte past MaxPostSize:
// ParsePost then refuses it, and a stray huge file never fills memory.
func ReadPost(path string) ([]byte, error) {
	return ReadPostInto(nil, path)
}

// ReadPostInto is ReadPost reading into buf's memory when the file fits
// in it, as a reader of many posts does with a buffer it reuses: nothing
// ParsePost returns refers to the content it was given.
func ReadPostInto(buf []byte, path string) ([]byte, error) {
	return readPostInto(buf, path, false)
}

// ReadRegularPostInto is ReadPostInto for a file its folder's listing says
// is a regular file (WalkPostEntries): a read of such a file returns less
// than it asks for only at the file's end, which spares the read that would
// find that end, a system call per post.
func ReadRegularPostInto(buf []byte, path string) ([]byte, error) {
	return readPostInto(buf, path, true)
}

func readPostInto(buf []byte, path string, regular bool) ([]byte, error) {
	f, err := openPost(path, regular)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read in one go into a buffer of the file's size (one byte more, to
	// see the end), as os.ReadFile does. A buffer given large enough
	// spares asking the size.
	content := buf[:0]
	if cap(content) < 4096 {
		size := 512
		if n := f.size(); n >= 0 && n <= MaxPostSize {
			size = int(n) + 1
		}
		content = make([]byte, 0, size)
	}
	for len(content) <= MaxPostSize {
		if len(content) == cap(content) {
			content = append(content, 0)[:len(content)] // the file grew: let append pick a larger size
		}
		want := min(cap(content), MaxPostSize+1) - len(content)
		n, err := f.Read(content[len(content) : len(content)+want])
		content = content[:len(content)+n]
		if err == io.EOF || err == nil && regular && n < want {
			return content, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return content, nil
}

// NotRegularError is a file Herald would read that is not a regular file:
// a named pipe (FIFO), a device or a socket. Herald never reads one, which
// could block forever or never end.
type NotRegularError struct {
	Kind string // "a named pipe (FIFO)", "a character device"...
}

func (e NotRegularError) Error() string {
	return "it is " + e.Kind + ", not a regular file: Herald reads only regular files; remove it or replace it with a file"
}

// FileKind names the type of a file's mode as people know it: "a
// folder", "a named pipe (FIFO)", "a socket", "a device", "a symbolic
// link", "a regular file".
func FileKind(mode fs.FileMode) string {
	switch t := mode.Type(); {
	case t == 0:
		return "a regular file"
	case t&fs.ModeDir != 0:
		return "a folder"
	case t&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeDevice != 0:
		return "a device"
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

type rawFrontMatter struct {
	format string
	data   []byte
	lines  *lineReader // stopped once the front matter is found
	end    int         // where the body starts: after the closing delimiter's line
}

// lineReader hands frontmatter the content a line at a time, and nothing
// once the front matter is found: frontmatter would otherwise copy the
// whole body into a buffer of its own, which ParsePost takes from the
// content instead.
type lineReader struct {
	content []byte
	read    int  // bytes handed out
	stopped bool // the front matter was found
}

func (l *lineReader) Read(b []byte) (int, error) {
	if l.stopped || l.read == len(l.content) {
		return 0, io.EOF
	}
	line := l.content[l.read:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	n := copy(b, line)
	l.read += n
	return n, nil
}

// frontMatterFormats are the delimiters Herald accepts. The unmarshal step
// only keeps the raw bytes: they are parsed below with yaml.v3 so that every
// node keeps its line and column.
var frontMatterFormats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", keepRaw("yaml")),
	frontmatter.NewFormat("+++", "+++", keepRaw("toml")),
}

func keepRaw(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		raw := v.(*rawFrontMatter)
		raw.format, raw.data = format, data
		raw.lines.stopped = true
		return nil
	}
}

// splitFrontMatter finds the front matter as frontmatter.MustParse does
// with frontMatterFormats, without its copy of every line into a buffer of
// its own and the string made of each (4% of check's CPU and a tenth of
// its allocations, on a calendar of 10,000 posts): blank lines are
// skipped; the first other line, spaces trimmed, must be --- or +++ and
// end with a line break; the front matter is then every line up to the
// first one that, trimmed, is the same delimiter, the last line of the
// file included. found is false when there is no front matter so found:
// frontmatter then reads the file and says what is wrong with it. A test
// and FuzzSplitFrontMatter hold the two to the same answers.
func splitFrontMatter(content []byte) (raw rawFrontMatter, found bool) {
	// nextLine returns the line at start, its line break included, and
	// whether it has one (frontmatter stops at a line without).
	nextLine := func(start int) (line []byte, complete bool) {
		if i := bytes.IndexByte(content[start:], '\n'); i >= 0 {
			return content[start : start+i+1], true
		}
		return content[start:], false
	}
	pos := 0
	var delim []byte
	for delim == nil {
		line, complete := nextLine(pos)
		if !complete {
			return rawFrontMatter{}, false
		}
		pos += len(line)
		switch trimmed := bytes.TrimSpace(line); {
		case len(trimmed) == 0:
			continue
		case string(trimmed) == "---":
			raw.format = "yaml"
		case string(trimmed) == "+++":
			raw.format = "toml"
		default:
			return rawFrontMatter{}, false
		}
		delim = bytes.TrimSpace(line)
	}
	start := pos
	for {
		line, complete := nextLine(pos)
		if bytes.Equal(bytes.TrimSpace(line), delim) {
			raw.data = content[start:pos]
			raw.end = pos + len(line)
			return raw, true
		}
		if !complete {
			return rawFrontMatter{}, false
		}
		pos += len(line)
	}
}

// readers are the buffered readers ParsePost hands frontmatter, which
// would otherwise make a new 4 kB one per post: bufio.NewReader returns a
// *bufio.Reader as is when its buffer is at least that large.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// ParsePost parses the content of the post at rel (below the calendar root).
// A post that cannot be parsed returns a *ParseError.
func ParsePost(rel string, content []byte) (*Post, error) {
	p := &Post{Rel: rel, ID: strings.TrimSuffix(rel, path.Ext(rel))}
	if len(content) > MaxPostSize {
		return nil, newParseError("post.too-large", 1, 1, msg("load.post.too-large", i18n.Args{"Max": MaxPostSize}))
	}
	if err := checkText(content); err != nil {
		return nil, err
	}
	if line, col, ok := loneCR(content); ok {
		return nil, newParseError("post.unreadable", line, col, msg("load.lone-cr", nil))
	}
	content = bytes.TrimPrefix(content, []byte("\ufeff"))
	if len(bytes.TrimSpace(content)) == 0 {
		return nil, newParseError("post.front-matter", 1, 1, msg("load.post.empty", nil))
	}

	raw, found := splitFrontMatter(content)
	if !found {
		// frontmatter decides, and says what is wrong.
		raw = rawFrontMatter{lines: &lineReader{content: content}}
		r := readers.Get().(*bufio.Reader)
		r.Reset(raw.lines)
		_, err := frontmatter.MustParse(r, &raw, frontMatterFormats...)
		r.Reset(nil)
		readers.Put(r)
		if err != nil {
			return nil, missingFrontMatter(content, err)
		}
		// What follows the front matter's closing line, which frontmatter
		// read last: the bufio.Reader holds nothing more, each Read being
		// a line.
		raw.end = raw.lines.read
	}
	body := content[raw.end:]
	delimLine := firstNonBlankLine(content)
	p.Format = raw.format
	p.Body = string(body)
	p.BodyLine = bytes.Count(content[:len(content)-len(body)], []byte("\n")) + 1
	if err := indentedClosing(content[:raw.end], p.BodyLine-1); err != nil {
		return nil, err
	}

	var err error
	switch raw.format {
	case "yaml":
		p.Front, err = parseYAML(raw.data, delimLine, "post.syntax")
	case "toml":
		p.Front, err = parseTOML(raw.data, delimLine)
	}
	if err != nil {
		return nil, err
	}
	p.readFields()
	return p, nil
}

// indentedClosing refuses a front matter that frontmatter closed at an
// indented delimiter: it trims each line, so "  ---" inside a block
// scalar (title: |) ends the front matter there, cutting the value and
// sending the rest of it as the body. head is the content up to and
// including the closing line, the line-th of the file.
func indentedClosing(head []byte, line int) error {
	head = bytes.TrimSuffix(bytes.TrimSuffix(head, []byte("\n")), []byte("\r"))
	closing := head[bytes.LastIndexByte(head, '\n')+1:]
	indent := len(closing) - len(bytes.TrimLeft(closing, " \t"))
	if indent == 0 {
		return nil
	}
	delim := string(bytes.TrimSpace(closing))
	return newParseError("post.front-matter", line, utf8.RuneCount(closing[:indent])+1, msg("load.post.indented-closing", i18n.Args{"Delim": delim}))
}

// checkText refuses content that is not UTF-8 text: an image saved as .md,
// or a file in a legacy encoding, which would otherwise be sent as is.
func checkText(content []byte) error {
	head := content[:min(len(content), 8000)]
	if bytes.IndexByte(head, 0) >= 0 {
		return newParseError("post.binary", 1, 1, msg("load.post.binary", nil))
	}
	if !utf8.Valid(content) {
		line, lineStart := 1, 0
		for i := 0; i < len(content); {
			r, size := utf8.DecodeRune(content[i:])
			if r == utf8.RuneError && size == 1 {
				return newParseError("post.binary", line, utf8.RuneCount(content[lineStart:i])+1, msg("load.post.invalid-utf8", nil))
			}
			i += size
			if r == '\n' {
				line, lineStart = line+1, i
			}
		}
	}
	return nil
}

// firstNonBlankLine returns the 1-based line of the opening delimiter; the
// front matter's own line 1 is the line after it.
func firstNonBlankLine(content []byte) int {
	line := 1
	for len(content) > 0 {
		end := bytes.IndexByte(content, '\n')
		if end < 0 {
			return line
		}
		if len(bytes.TrimSpace(content[:end])) > 0 {
			return line
		}
		content = content[end+1:]
		line++
	}
	return line
}

func missingFrontMatter(content []byte, err error) error {
	if !errors.Is(err, frontmatter.ErrNotFound) {
		return &ParseError{Rule: "post.front-matter", Line: 1, Column: 1, Message: err.Error()}
	}
	line := firstNonBlankLine(content)
	first := strings.TrimSpace(strings.SplitN(string(content), "\n", line+1)[line-1])
	if first == "---" || first == "+++" {
		return newParseError("post.front-matter", line, 1, msg("load.post.unclosed", i18n.Args{"Delimiter": first}))
	}
	return newParseError("post.front-matter", line, 1, msg("load.post.no-front-matter", nil))
}

// yamlErrLine finds the line in yaml.v3's error messages, which carry it
// only as text ("yaml: line 3: ...").
var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func parseYAML(data []byte, delimLine int, rule string) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlErrLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
			if parserErrors[msg] {
				line++
			}
		}
		// yaml.v3 also counts a lone \r as a line break, and may place an
		// "end of stream" error past the last line.
		line = min(line, bytes.Count(data, []byte("\n"))+1)
		line, col, detail := explainYAMLError(data, line, msg)
		return nil, newParseError(rule, line+delimLine, col, message{"load.yaml.invalid", i18n.Args{"Detail": detail}})
	}
	shiftLines(&doc, delimLine)
	if len(doc.Content) == 0 {
		return nil, nil // empty front matter: the schema reports the missing fields
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, newParseError(rule, root.Line, root.Column, message{"load.yaml.not-a-mapping", i18n.Args{"Kind": message{"load.kind." + kindName(root), nil}}})
	}
	return root, nil
}

// parserErrors are yaml.v3's parser errors (as opposed to its scanner's),
// whose line it reports counted from 0: one line too early.
var parserErrors = map[string]bool{
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected node content":     true,
	"did not find expected <document start>": true,
}

// yamlHints say what to do about yaml.v3's most common messages, which
// name the parser's state rather than the writer's slip.
// The hints are messages of the catalog.
var yamlHints = map[string]string{
	"mapping values are not allowed in this context": "load.yaml.hint.mapping-values",
	"found unexpected end of stream":                 "load.yaml.hint.end-of-stream",
	"found character that cannot start any token":    "load.yaml.hint.cannot-start-token",
	"did not find expected key":                      "load.yaml.hint.expected-key",
	"did not find expected '-' indicator":            "load.yaml.hint.expected-dash",
}

// unclosed maps the errors of a flow collection never closed to the
// character that closes it.
var unclosed = map[string]byte{
	"did not find expected ',' or ']'": ']',
	"did not find expected ',' or '}'": '}',
}

// explainYAMLError returns the line, column and message to report for a yaml.v3
// error on line (1-based in data), which comes without a column: the tab
// that indents the line, else the line's first non-blank character.
func explainYAMLError(data []byte, line int, msg string) (int, int, message) {
	lines := bytes.Split(data, []byte("\n"))
	said := message{"load.yaml.said", i18n.Args{"Err": msg}}
	if line < 1 || line > len(lines) {
		return line, 1, said
	}
	text := string(lines[line-1])
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	if tab := strings.IndexByte(indent, '\t'); tab >= 0 {
		return line, tab + 1, message{"load.yaml.tab", nil}
	}
	if closing, ok := unclosed[msg]; ok {
		// The line is the one that opens the list or mapping never closed,
		// or, when that is the first line, the one where yaml.v3 gave up.
		opening := map[byte]string{']': "[", '}': "{"}[closing]
		for l := line; l >= 1; l-- {
			if i := strings.LastIndex(string(lines[l-1]), opening); i >= 0 {
				return l, utf8.RuneCount(lines[l-1][:i]) + 1, message{"load.yaml.unclosed", i18n.Args{"Opening": opening, "Closing": string(closing)}}
			}
		}
	}
	if hint, ok := yamlHints[msg]; ok {
		return line, len(indent) + 1, message{"load.yaml.said-hint", i18n.Args{"Err": msg, "Hint": message{hint, nil}}}
	}
	return line, len(indent) + 1, said
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	}
	return "value"
}

// readFields fills the typed fields from the front matter, leniently: a
// field of the wrong type is left unset here and reported by the schema.
func (p *Post) readFields() {
	m := p.Front
	if _, v := Lookup(m, "id"); v != nil && v.Kind == yaml.ScalarNode {
		p.IDField = textOf(v)
		if v.Value != "" {
			p.ID = v.Value
		}
	}
	p.Date = scalarField(m, "date")
	if _, v := Lookup(m, "date"); v != nil && v.ShortTag() != "!!str" && v.ShortTag() != "!!timestamp" {
		p.Date = Text{} // a number or a boolean: the schema reports its type
	}
	p.Campaign = scalarField(m, "campaign")
	p.Status = scalarField(m, "status")
	p.Title = scalarField(m, "title")
	p.Networks = stringListField(m, "networks")
	p.Tags = stringListField(m, "tags")
	if _, v := Lookup(m, "media"); v != nil && v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			media := Media{Src: scalarField(item, "src"), Alt: scalarField(item, "alt"), Part: 1, Line: item.Line, Col: item.Column}
			if n, err := strconv.Atoi(scalarField(item, "part").Value); err == nil && n > 0 {
				media.Part = n
			}
			p.Media = append(p.Media, media)
		}
	}
	if k, v := Lookup(m, "poll"); v != nil && v.Kind == yaml.MappingNode {
		p.Poll = &Poll{
			Options:    listField(v, "options"),
			OptionList: valueField(v, "options"),
			ExpiresIn:  scalarField(v, "expires_in"),
			Multiple:   scalarField(v, "multiple"),
			HideTotals: scalarField(v, "hide_totals"),
			Key:        textOf(k),
		}
	}
	if _, v := Lookup(m, "variants"); v != nil && v.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(v.Content); i += 2 {
			if t := v.Content[i+1]; t.Kind == yaml.ScalarNode {
				p.Variants = append(p.Variants, Variant{Key: textOf(v.Content[i]), Text: textOf(t), Comment: t.LineComment})
			}
		}
	}
}

func scalarField(m *yaml.Node, key string) Text {
	_, v := Lookup(m, key)
	if v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		return Text{}
	}
	return textOf(v)
}

// valueField is the position of key's value in m, whatever its kind
// (Value is "" unless it is a scalar); unset when m has no key.
func valueField(m *yaml.Node, key string) Text {
	_, v := Lookup(m, key)
	return textOf(v)
}

func listField(m *yaml.Node, key string) []Text {
	_, v := Lookup(m, key)
	if v == nil {
		return nil
	}
	var out []Text // stays nil for a scalar such as "networks: bluesky": the schema reports it
	for _, item := range v.Content {
		if item.Kind == yaml.ScalarNode {
			out = append(out, textOf(item))
		}
	}
	return out
}

// stringListField is listField without the items that are not strings:
// in networks: [mastodon, true, 12], true and 12 are no account names,
// and only the schema's type error speaks of them, once.
func stringListField(m *yaml.Node, key string) []Text {
	_, v := Lookup(m, key)
	if v == nil {
		return nil
	}
	var out []Text
	for _, item := range v.Content {
		if item.Kind == yaml.ScalarNode && item.ShortTag() == "!!str" {
			out = append(out, textOf(item))
		}
	}
	return out
}

// TextFor returns the text the post sends to an account: the variant named
// by the account key, else by the account's network, else the body.
func (p *Post) TextFor(account, network string) (text string, variant *Variant) {
	for _, key := range []string{account, network} {
		for i := range p.Variants {
			if p.Variants[i].Key.Value == key {
				return p.Variants[i].Text.Value, &p.Variants[i]
			}
		}
	}
	return p.Body, nil
}
