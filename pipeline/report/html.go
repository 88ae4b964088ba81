package report

import (
	"bytes"
	_ "embed"
	"html/template"
	"io"

	"github.com/herald-social/herald/pipeline/i18n"
)

// StyleSheet is the report page's style, written beside it as report.css.
//
//go:embed site/report.css
var StyleSheet []byte

var pageTemplate = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="herald report">
<title>{{.Title}}</title>
<link rel="stylesheet" href="report.css">
</head>
<body>
{{- with .Home}}
<nav class="home"><a href="{{.}}">{{$.HomeText}}</a></nav>
{{- end}}
<header class="top">
<h1>{{.Title}}</h1>
{{- range .Lines}}
<p class="summary">{{.}}</p>
{{- end}}
</header>
<main>
{{- range .Sections}}
<section id="{{.ID}}" aria-labelledby="{{.ID}}-title">
<h2 id="{{.ID}}-title">{{.Title}}</h2>
{{- range .Intro}}
<p>{{.}}</p>
{{- end}}
{{- range .Charts}}
<figure><img src="{{.File}}" alt="{{.Title}}"></figure>
{{- end}}
{{- range .Tables}}
<table>
{{- if .Caption}}
<caption>{{.Caption}}</caption>
{{- end}}
<thead><tr>{{$right := .Right}}{{range $i, $h := .Head}}<th scope="col"{{if index $right $i}} class="num"{{end}}>{{$h}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range $i, $c := .}}<td{{if index $right $i}} class="num"{{end}}>{{if $c.Link}}<a href="{{$c.Link}}">{{$c.Text}}</a>{{else}}{{$c.Text}}{{end}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
</section>
{{- end}}
</main>
</body>
</html>
`))

// WriteHTML writes the report as a page that embeds its charts (written
// beside it) and links each post's file relative to dir, the page's
// folder (absolute), with report.css beside it.
func WriteHTML(w io.Writer, r *Report, p *i18n.Printer, dir string) error {
	return pageTemplate.Execute(w, newDoc(r, p, dir))
}

// PageOptions fit the report's HTML page into a site that links to it.
type PageOptions struct {
	Dir  string // the page's folder, absolute: links to posts' files are relative to it
	Home string // the site's calendar, relative to the page, linked back to
	// PostPage is a post's page in the site, relative to the report's page,
	// or "" for a post the site has no page for (its file is linked).
	PostPage func(postID string) string
}

// SitePage is Files for the HTML page of a site: the page, its style and
// its charts, by name, linked back to the site's calendar and to the
// posts' pages.
func SitePage(r *Report, p *i18n.Printer, opts PageOptions) (map[string][]byte, error) {
	if p == nil {
		p = i18n.English()
	}
	var b bytes.Buffer
	d := newPageDoc(r, p, opts)
	if err := pageTemplate.Execute(&b, d); err != nil {
		return nil, err
	}
	return withCharts(map[string][]byte{mainFile["html"]: b.Bytes(), "report.css": StyleSheet}, d), nil
}
