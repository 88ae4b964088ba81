package report

import (
	"bytes"
	"encoding/xml"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/internal/golden"
)

// Every chart is well-formed XML, an <svg role="img"> whose first
// children are a <title> and a <desc> with text, as screen readers need,
// and with no script: the golden files keep what they draw.
func TestChartsAreAccessibleSVG(t *testing.T) {
	t.Parallel()
	r := fixture(t, Options{NowText: "2026-12-02 09:00"})
	for _, lang := range []string{"en", "fr"} {
		p, _ := i18n.New(lang)
		dir, _ := filepath.Abs("testdata/out")
		files, err := Files(r, p, "markdown", dir)
		if err != nil {
			t.Fatal(err)
		}
		var charts []string
		for name, data := range files {
			if !strings.HasSuffix(name, ".svg") {
				continue
			}
			charts = append(charts, name)
			checkSVG(t, lang+"/"+name, data)
			if lang == "en" {
				golden.Check(t, "testdata/charts/"+name, data)
			}
		}
		slices.Sort(charts)
		if want := []string{"engagement.svg", "followers.svg", "heatmap.svg", "objectives.svg"}; !slices.Equal(charts, want) {
			t.Errorf("%s: charts %v, want %v", lang, charts, want)
		}
		if lang == "en" {
			golden.Check(t, "testdata/charts/README.md", files["README.md"])
		}
	}
}

func checkSVG(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var elements []string
	texts := map[string]string{}
	var open string
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: not XML: %v", name, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			elements = append(elements, tok.Name.Local)
			open = tok.Name.Local
			if tok.Name.Local == "script" || slices.ContainsFunc(tok.Attr, func(a xml.Attr) bool { return strings.HasPrefix(a.Name.Local, "on") }) {
				t.Errorf("%s: a script in <%s>", name, tok.Name.Local)
			}
			if len(elements) == 1 && !slices.Contains(tok.Attr, xml.Attr{Name: xml.Name{Local: "role"}, Value: "img"}) {
				t.Errorf("%s: <svg> has no role=\"img\"", name)
			}
		case xml.CharData:
			if open == "title" || open == "desc" {
				texts[open] += string(tok)
			}
		case xml.EndElement:
			open = ""
		}
	}
	if len(elements) < 3 || elements[0] != "svg" || elements[1] != "title" || elements[2] != "desc" {
		t.Errorf("%s: starts with %v, want svg, title, desc", name, elements[:min(3, len(elements))])
	}
	if strings.TrimSpace(texts["title"]) == "" || strings.TrimSpace(texts["desc"]) == "" {
		t.Errorf("%s: empty title %q or desc %q", name, texts["title"], texts["desc"])
	}
	if !slices.Contains(elements, "text") {
		t.Errorf("%s: no text label", name)
	}
}
