package load

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// nodeLines lists the nodes below n, one a line, in the file's order:
// "path key @line:col" for a key, "path !!tag value @line:col" for a
// scalar, "path map" or "path seq @line:col" for the others.
func nodeLines(n *yaml.Node, path string) []string {
	at := fmt.Sprintf("@%d:%d", n.Line, n.Column)
	switch n.Kind {
	case yaml.MappingNode:
		out := []string{path + " map " + at}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			out = append(out, fmt.Sprintf("%s.%s key @%d:%d", path, k.Value, k.Line, k.Column))
			out = append(out, nodeLines(n.Content[i+1], path+"."+k.Value)...)
		}
		return out
	case yaml.SequenceNode:
		out := []string{path + " seq " + at}
		for i, c := range n.Content {
			out = append(out, nodeLines(c, fmt.Sprintf("%s[%d]", path, i))...)
		}
		return out
	}
	return []string{fmt.Sprintf("%s %s %q %s", path, n.Tag, n.Value, at)}
}

func TestTOMLPositions(t *testing.T) {
	tests := []struct {
		name    string
		content string // the file; line 1 is +++
		want    []string
	}{
		{
			name:    "scalars at their value, keys at their key",
			content: "+++\ndate = \"2026-12-01 09:00\"\nnetworks = [\"x\", \"feed\"]\n  tags = [ 'a' ]\n+++\n",
			want: []string{
				" map @2:1",
				".date key @2:1", `.date !!str "2026-12-01 09:00" @2:8`,
				".networks key @3:1", ".networks seq @3:12", `.networks[0] !!str "x" @3:13`, `.networks[1] !!str "feed" @3:18`,
				".tags key @4:3", ".tags seq @4:10", `.tags[0] !!str "a" @4:12`,
			},
		},
		{
			name: "each [[media]] entry at its own header, its keys on their own lines",
			content: "+++\ndate = \"2026-12-01 09:00\"\n\n[[media]]\nsrc = \"a.png\"\nalt = \"A\"\n\n[[media]]\nsrc = \"b.png\"\n" +
				"part = 2\nalt = \"B\"\n+++\n",
			want: []string{
				" map @2:1",
				".date key @2:1", `.date !!str "2026-12-01 09:00" @2:8`,
				".media key @4:3", ".media seq @4:1",
				".media[0] map @4:1",
				".media[0].src key @5:1", `.media[0].src !!str "a.png" @5:7`,
				".media[0].alt key @6:1", `.media[0].alt !!str "A" @6:7`,
				".media[1] map @8:1",
				".media[1].src key @9:1", `.media[1].src !!str "b.png" @9:7`,
				".media[1].part key @10:1", `.media[1].part !!int "2" @10:8`,
				".media[1].alt key @11:1", `.media[1].alt !!str "B" @11:7`,
			},
		},
		{
			name: "nested tables, in the file's order, a sub-table of an array of tables",
			content: "+++\n[variants]\nx = \"court\"\nlinkedin = \"long\"\n[poll.options]\nb = 1\n" +
				"[[media]]\nsrc = \"a.png\"\n  [media.crop]\n  w = 10\n+++\n",
			want: []string{
				" map @2:1",
				".variants key @2:2", ".variants map @2:1",
				".variants.x key @3:1", `.variants.x !!str "court" @3:5`,
				".variants.linkedin key @4:1", `.variants.linkedin !!str "long" @4:12`,
				// poll is made by [poll.options]: a mapping at its first key.
				".poll key @5:2", ".poll map @5:7",
				".poll.options key @5:7", ".poll.options map @5:1",
				".poll.options.b key @6:1", `.poll.options.b !!int "1" @6:5`,
				".media key @7:3", ".media seq @7:1", ".media[0] map @7:1",
				".media[0].src key @8:1", `.media[0].src !!str "a.png" @8:7`,
				".media[0].crop key @9:10", ".media[0].crop map @9:3",
				".media[0].crop.w key @10:3", `.media[0].crop.w !!int "10" @10:7`,
			},
		},
		{
			name:    "inline tables, nested, over several lines",
			content: "+++\nposter = { src = \"a.png\", size = { w = 1, h = 2 } }\npoll = {\n  options = [\"a\", \"b\"], # the choices\n  multiple = true,\n}\n+++\n",
			want: []string{
				" map @2:1",
				".poster key @2:1", ".poster map @2:10",
				".poster.src key @2:12", `.poster.src !!str "a.png" @2:18`,
				".poster.size key @2:27", ".poster.size map @2:34",
				".poster.size.w key @2:36", `.poster.size.w !!int "1" @2:40`,
				".poster.size.h key @2:43", `.poster.size.h !!int "2" @2:47`,
				".poll key @3:1", ".poll map @3:8",
				".poll.options key @4:3", ".poll.options seq @4:13",
				`.poll.options[0] !!str "a" @4:14`, `.poll.options[1] !!str "b" @4:19`,
				".poll.multiple key @5:3", `.poll.multiple !!bool "true" @5:14`,
			},
		},
		{
			name:    "dotted keys, quoted and spaced, and in an inline table",
			content: "+++\npoll.options = [\"a\"]\npoll . \"expires_in\" = \"1d\"\nsite = { a.b = 1 }\n+++\n",
			want: []string{
				" map @2:1",
				// poll is made by the dotted key: a mapping at its first key.
				".poll key @2:1", ".poll map @2:6",
				".poll.options key @2:6", ".poll.options seq @2:16", `.poll.options[0] !!str "a" @2:17`,
				".poll.expires_in key @3:8", `.poll.expires_in !!str "1d" @3:23`,
				".site key @4:1", ".site map @4:8",
				".site.a key @4:10", ".site.a map @4:12",
				".site.a.b key @4:12", `.site.a.b !!int "1" @4:16`,
			},
		},
		{
			name: "multi-line strings at their opening quotes, the keys after them on their own lines",
			content: "+++\ntitle = \"\"\"\nDeux\nlignes\"\"\"\nsummary = '''\nbrut \\n\n'''\n" +
				"[variants]\nx = \"\"\"\\\n  plié \\\n  ici\"\"\"\nfeed = \"après\"\n+++\n",
			want: []string{
				" map @2:1",
				".title key @2:1", `.title !!str "Deux\nlignes" @2:9`,
				".summary key @5:1", `.summary !!str "brut \\n\n" @5:11`,
				".variants key @8:2", ".variants map @8:1",
				".variants.x key @9:1", `.variants.x !!str "plié ici" @9:5`,
				".variants.feed key @12:1", `.variants.feed !!str "après" @12:8`,
			},
		},
		{
			name: "values keep today's tags and text",
			content: "+++\n\"café\" = \"é\"\nn = [0x1F, 1_000, -3, +4]\nf = [1.5, 1e6, inf, -inf, nan]\nok = false\n" +
				"d = [2026-12-01T09:00:00, 2026-12-01T09:00:00+01:00, 2026-12-01, 09:00:00]\n+++\n",
			want: []string{
				" map @2:1",
				".café key @2:1", `.café !!str "é" @2:10`,
				".n key @3:1", ".n seq @3:5",
				`.n[0] !!int "31" @3:6`, `.n[1] !!int "1000" @3:12`, `.n[2] !!int "-3" @3:19`, `.n[3] !!int "4" @3:23`,
				".f key @4:1", ".f seq @4:5",
				`.f[0] !!float "1.5" @4:6`, `.f[1] !!float "1e+06" @4:11`, `.f[2] !!float "+Inf" @4:16`,
				`.f[3] !!float "-Inf" @4:21`, `.f[4] !!float "NaN" @4:27`,
				".ok key @5:1", `.ok !!bool "false" @5:6`,
				".d key @6:1", ".d seq @6:5",
				`.d[0] !!timestamp "2026-12-01T09:00:00" @6:6`, `.d[1] !!timestamp "2026-12-01T09:00:00+01:00" @6:27`,
				`.d[2] !!timestamp "2026-12-01" @6:54`, `.d[3] !!timestamp "09:00:00" @6:66`,
			},
		},
		{
			name:    "nested arrays, a comment between items",
			content: "+++\nm = [\n  [1, 2], # first\n  [],\n  [[3]],\n]\n+++\n",
			want: []string{
				" map @2:1",
				".m key @2:1", ".m seq @2:5",
				".m[0] seq @3:3", `.m[0][0] !!int "1" @3:4`, `.m[0][1] !!int "2" @3:7`,
				".m[1] seq @4:3",
				".m[2] seq @5:3", ".m[2][0] seq @5:4", `.m[2][0][0] !!int "3" @5:5`,
			},
		},
		{
			name:    "blank lines before the front matter, CRLF",
			content: "\n\n+++\r\ndate = \"x\"\r\n[[media]]\r\nsrc = \"a\"\r\n[[media]]\r\nalt = \"é\"\r\n+++\r\n",
			want: []string{
				" map @4:1",
				".date key @4:1", `.date !!str "x" @4:8`,
				".media key @5:3", ".media seq @5:1",
				".media[0] map @5:1", ".media[0].src key @6:1", `.media[0].src !!str "a" @6:7`,
				".media[1] map @7:1", ".media[1].alt key @8:1", `.media[1].alt !!str "é" @8:7`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePost("posts/a.md", []byte(tt.content))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, nodeLines(p.Front, "")); diff != "" {
				t.Errorf("nodes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTOMLMedia checks the typed fields read from a TOML post: the second
// [[media]] entry and its alt have their own lines.
func TestTOMLMedia(t *testing.T) {
	content := "+++\ndate = \"2026-12-01 09:00\"\n\n[[media]]\nsrc = \"a.png\"\nalt = \"A\"\n\n[[media]]\nsrc = \"b.png\"\nalt = \"B\"\npart = 2\n+++\nBody\n"
	p, err := ParsePost("posts/a.md", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	want := []Media{
		{Src: Text{"a.png", 5, 7}, Alt: Text{"A", 6, 7}, Part: 1, Line: 4, Col: 1},
		{Src: Text{"b.png", 9, 7}, Alt: Text{"B", 10, 7}, Part: 2, Line: 8, Col: 1},
	}
	if diff := cmp.Diff(want, p.Media); diff != "" {
		t.Errorf("Media (-want +got):\n%s", diff)
	}
}

func TestTOMLErrors(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		wantLine int
		wantCol  int
		wantMsg  string // in the message
	}{
		{"no value", "+++\ndate = \n+++\n", 2, 8, "at start of value"},
		{"array never closed", "+++\nnetworks = [\"x\"\ntags = [\"a\"]\n+++\n", 3, 1, "expected ',' or ']'"},
		{"key defined twice", "+++\ntags = [\"a\"]\ndate = \"x\"\ntags = [\"b\"]\n+++\n", 4, 1, "already defined"},
		{"table defined twice", "+++\n[variants]\nx = \"a\"\n[variants]\n+++\n", 4, 2, "already exists"},
		{"key defined twice in an entry of an array of tables", "+++\n[[media]]\nsrc = \"a\"\n[[media]]\nsrc = \"b\"\nsrc = \"c\"\n+++\n", 6, 1, "already defined"},
		{"column counted in runes", "+++\ntitle = \"été\" ; \"é\" = 1\n+++\n", 2, 15, "expected newline"},
		{"string cut by a line break", "+++\ndate = \"x\"\n\ntitle = \"caf\n+++\n", 4, 13, "new lines"},
		{"multi-line string never closed", "+++\ntitle = \"\"\"\nun\ndeux\n+++\n", 4, 5, "not terminated"},
		{"month 13", "+++\ndate = 2026-13-01\n+++\n", 2, 13, "impossible date"},
		{"inline table extended", "+++\npoll = { a = 1 }\n[poll.b]\n+++\n", 3, 2, "already exists"},
		{"after blank lines", "\n\n+++\ndate = \n+++\n", 4, 8, "at start of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePost("posts/x.md", []byte(tt.content))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error = %v, want a *ParseError", err)
			}
			if pe.Rule != "post.syntax" || pe.Line != tt.wantLine || pe.Column != tt.wantCol ||
				!strings.HasPrefix(pe.Message, "invalid TOML: ") || !strings.Contains(pe.Message, tt.wantMsg) {
				t.Errorf("got %s at %d:%d (%s), want post.syntax at %d:%d with %q",
					pe.Rule, pe.Line, pe.Column, pe.Message, tt.wantLine, tt.wantCol, tt.wantMsg)
			}
		})
	}
}
