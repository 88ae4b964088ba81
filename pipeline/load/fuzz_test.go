package load

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// FuzzParsePost feeds ParsePost arbitrary files. Whatever a writer saves,
// Herald must answer with a post or a positioned ParseError, never a panic,
// and a post's positions, every node of its front matter's, must point
// inside the file.
//
// The seeds are the example calendar's posts and a few YAML and TOML shapes
// (arrays of tables, inline tables, dotted keys, multi-line strings), some
// broken; the
// corpus the fuzzer found interesting is kept in testdata/fuzz/FuzzParsePost.
// Run it with: go test ./pipeline/load -run '^$' -fuzz FuzzParsePost -fuzztime 10m
func FuzzParsePost(f *testing.F) {
	seeds, _ := filepath.Glob("../../example-calendar/posts/*/*/*.md")
	for _, s := range seeds {
		content, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(content)
	}
	for _, s := range []string{
		"",
		"---\n---\n",
		"---\ndate: 2026-12-01 09:00\nnetworks: [x]\n---\nbody\n",
		"+++\ndate = 2026-12-01T09:00:00+01:00\nnetworks = [\"x\"]\n+++\nbody\n",
		"+++\ndate = \"2026-12-01 09:00\"\n[[media]]\nsrc = \"a.png\"\n[[media]]\nsrc = \"b.png\"\nalt = \"\"\"\nb\nc\"\"\"\npart = 2\n[media.crop]\nw = 0x1F\n+++\n",
		"+++\r\npoll = { options = ['a', \"b\"], multiple = true }\r\nvariants.x = '''\r\ncourt'''\r\n[a.b]\r\nc = [[1], [], [2.5e3, inf]]\r\n+++\r\n",
		"+++\nnetworks = [\"x\"\ntags = [\"a\"]\n+++\n",
		"+++\n\"é\" = 1\n\"é\" = 2\n[t]\n[t]\n+++\n",
		"---\na: &a [*a]\n---\n",
		"---\nmedia:\n  - src: a.png\n    alt: x\n    part: 2\nvariants:\n  x: a # b\n---\n",
		"\ufeff---\ndate: [\n---\n",
		"---\n\tdate: x\n---\n",
	} {
		f.Add([]byte(s))
	}

	f.Fuzz(func(t *testing.T, content []byte) {
		p, err := ParsePost("posts/fuzz.md", content)
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
		if !bytes.HasSuffix(content, []byte(p.Body)) {
			t.Fatalf("body %q is not the end of the file", p.Body)
		}
		if p.BodyLine < 1 || p.BodyLine > lines {
			t.Fatalf("body starts at line %d of a %d-line file", p.BodyLine, lines)
		}
		fields := []Text{p.IDField, p.Date, p.Campaign, p.Status, p.Title}
		fields = append(fields, p.Networks...)
		fields = append(fields, p.Tags...)
		for _, m := range p.Media {
			fields = append(fields, m.Src, m.Alt)
		}
		for _, v := range p.Variants {
			fields = append(fields, v.Key, v.Text)
		}
		for _, f := range fields {
			if f.IsSet() && (f.Line > lines || f.Column < 1) {
				t.Fatalf("field %q at %d:%d, outside a %d-line file", f.Value, f.Line, f.Column, lines)
			}
		}
		if p.Front != nil {
			_, _ = ToValue(p.Front) // must not panic or loop on aliases
			fileLines := strings.Split(string(content), "\n")
			var inFile func(n *yaml.Node)
			inFile = func(n *yaml.Node) {
				// yaml.v3 also counts a lone \r as a line break: only a TOML
				// node's column is held to its line's length.
				if n.Line < 1 || n.Line > lines || n.Column < 1 ||
					p.Format == "toml" && n.Column > utf8.RuneCountInString(fileLines[n.Line-1])+1 {
					t.Fatalf("%s node %q at %d:%d, outside the file", n.Tag, n.Value, n.Line, n.Column)
				}
				for _, c := range n.Content {
					inFile(c)
				}
			}
			inFile(p.Front)
		}
		for _, n := range p.Networks {
			p.TextFor(n.Value, n.Value)
		}
	})
}
