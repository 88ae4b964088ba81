package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/herald-social/herald/pipeline/i18n"
)

// Formats are the report's output formats.
var Formats = []string{"text", "markdown", "json", "csv", "html"}

// Write writes the report in one format. Markdown and HTML link files
// relative to the calendar root and embed no chart: Files makes the
// folder that embeds them.
func Write(w io.Writer, r *Report, p *i18n.Printer, format string) error {
	switch format {
	case "text":
		return WriteText(w, r, p)
	case "markdown":
		return WriteMarkdown(w, r, p, MarkdownOptions{})
	case "json":
		return WriteJSON(w, r)
	case "csv":
		return WriteCSV(w, r)
	case "html":
		return WriteHTML(w, r, p, r.Root)
	}
	return fmt.Errorf("unknown report format %q", format)
}

// mainFile is the file a format writes into the report's folder: the
// name GitHub's file view and a web server show by themselves.
var mainFile = map[string]string{"text": "report.txt", "markdown": "README.md", "json": "report.json", "csv": "report.csv", "html": "index.html"}

// Files are the report's files for the folder dir (absolute): the report
// in its format (README.md for Markdown, index.html for HTML, with its
// style sheet) and its SVG charts, by name.
func Files(r *Report, p *i18n.Printer, format, dir string) (map[string][]byte, error) {
	if p == nil {
		p = i18n.English()
	}
	var b bytes.Buffer
	var err error
	switch format {
	case "markdown":
		err = WriteMarkdown(&b, r, p, MarkdownOptions{Dir: dir})
	case "html":
		err = WriteHTML(&b, r, p, dir)
	default:
		err = Write(&b, r, p, format)
	}
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{mainFile[format]: b.Bytes()}
	if format == "html" {
		files["report.css"] = StyleSheet
	}
	return withCharts(files, newDoc(r, p, dir)), nil
}

// withCharts adds the doc's SVG charts to files, by name.
func withCharts(files map[string][]byte, d *doc) map[string][]byte {
	for _, s := range d.Sections {
		for _, c := range s.Charts {
			files[c.File] = c.SVG
		}
	}
	return files
}

// WriteFiles writes Files into dir, making it, and returns the names
// written, sorted.
func WriteFiles(r *Report, p *i18n.Printer, format, dir string) ([]string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	files, err := Files(r, p, format, dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var names []string
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}
