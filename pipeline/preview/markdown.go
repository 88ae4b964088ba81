package preview

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
)

// Marker is the first line of the Markdown preview, by which a later run
// finds its own pull-request comment to update instead of adding another.
const Marker = "<!-- herald:preview -->"

// WriteMarkdown writes a compact review of the posts for a pull-request
// comment: a table of post, date, networks, lengths and problems, then each
// post's rendering per account, every thread part shown whole. Texts go in
// code blocks, so that a post's @mentions and #numbers do not ping or link
// anyone on GitHub.
func WriteMarkdown(w io.Writer, entries []Entry, opts MarkdownOptions) error {
	pr := printerOr(opts.Printer)
	var b strings.Builder
	posts := groupByPost(entries)
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "### %s\n\n", pr.N("preview.md.title", len(posts), nil))
	if len(posts) == 0 {
		b.WriteString(pr.T("preview.md.none", nil) + "\n")
	} else {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n| --- | --- | --- | --- | --- |\n", pr.T("preview.md.col.post", nil),
			pr.T("preview.md.col.date", nil), pr.T("preview.md.col.networks", nil), pr.T("preview.md.col.lengths", nil), pr.T("preview.md.col.problems", nil))
		for _, group := range posts {
			p := group[0].Post
			var lengths, networks []string
			for _, e := range group {
				networks = append(networks, e.Account.Network)
				l := e.Account.Key + " " + pr.Int(int64(e.Lengths[0]))
				if e.Limits[0] > 0 {
					l += "/" + pr.Int(int64(e.Limits[0]))
				}
				for i := range e.Lengths {
					if e.Over(i) {
						l = "**" + l + " ❌**"
						break
					}
				}
				if len(e.Rendering.Parts) > 1 {
					l += " (" + pr.N("preview.md.parts", len(e.Rendering.Parts), nil) + ")"
				}
				lengths = append(lengths, l)
			}
			date := "—"
			if !p.When.IsZero() {
				date = pr.DateTime(p.When)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", cell(p.ID), date,
				strings.Join(slices.Compact(networks), ", "), strings.Join(lengths, "<br>"), problems(pr, p.Diagnostics))
		}
	}
	for _, group := range posts {
		p := group[0].Post
		fmt.Fprintf(&b, "\n<details><summary><code>%s</code>", cell(p.ID))
		if p.Title.Value != "" {
			fmt.Fprintf(&b, " — %s", cell(p.Title.Value))
		}
		b.WriteString("</summary>\n\n")
		for _, d := range p.Diagnostics {
			fmt.Fprintf(&b, "- %s `%s`\n", pr.T("preview.md.diagnostic", i18n.Args{
				"Severity": severityWord(pr, d.Severity), "Line": d.Line, "Message": cell(d.Message)}), d.Rule)
		}
		for _, e := range group {
			fmt.Fprintf(&b, "\n**%s**", e.Account.Key)
			if e.Account.Key != e.Account.Network {
				fmt.Fprintf(&b, " (%s)", e.Account.Network)
			}
			b.WriteString("\n")
			for i, part := range e.Rendering.Parts {
				count := e.count(pr, i)
				if e.Over(i) {
					count = "**" + count + ", " + pr.T("preview.too-long", nil) + " ❌**"
				}
				if len(e.Rendering.Parts) > 1 {
					fmt.Fprintf(&b, "\n%s\n", pr.T("preview.md.part", i18n.Args{"Part": i + 1, "Parts": len(e.Rendering.Parts), "Count": count}))
				} else {
					fmt.Fprintf(&b, "\n%s\n", count)
				}
				fence := codeFence(part.Text)
				fmt.Fprintf(&b, "\n%stext\n%s\n%s\n", fence, part.Text, fence)
				for _, m := range part.Media {
					icon := "🖼"
					if isVideo(m.Src.Value) {
						icon = "🎬"
					}
					fmt.Fprintf(&b, "\n%s `%s` — %s\n", icon, cell(m.Src.Value), pr.T("preview.alt", i18n.Args{"Alt": cell(m.Alt.Value)}))
				}
				if poll := pollLine(pr, e); poll != "" && i == 0 {
					fmt.Fprintf(&b, "\n📊 %s\n", cell(poll))
				}
			}
			for _, note := range e.Notes(pr) {
				fmt.Fprintf(&b, "\nℹ️ %s\n", cell(note))
			}
		}
		b.WriteString("\n</details>\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func groupByPost(entries []Entry) [][]Entry {
	var groups [][]Entry
	for _, e := range entries {
		if n := len(groups); n > 0 && groups[n-1][0].Post == e.Post {
			groups[n-1] = append(groups[n-1], e)
			continue
		}
		groups = append(groups, []Entry{e})
	}
	return groups
}

// MarkdownOptions shapes the Markdown preview.
type MarkdownOptions struct {
	// Printer writes the comment's words and dates; nil is English.
	Printer *i18n.Printer
}

func problems(p *i18n.Printer, ds []diag.Diagnostic) string {
	errs, warns := diag.Count(ds)
	switch {
	case errs > 0 && warns > 0:
		return "❌ " + p.N("preview.errors", errs, nil) + ", " + p.N("preview.warnings", warns, nil)
	case errs > 0:
		return "❌ " + p.N("preview.errors", errs, nil)
	case warns > 0:
		return "⚠️ " + p.N("preview.warnings", warns, nil)
	}
	return "✅"
}

// severityWord is a diagnostic's severity as people read it; its class in
// the site's markup stays diag.Severity's.
func severityWord(p *i18n.Printer, s diag.Severity) string {
	if s == diag.Error {
		return p.T("preview.severity.error", nil)
	}
	return p.T("preview.severity.warning", nil)
}

// cell makes text safe inside a table cell or HTML summary: pipes, angle
// brackets, backticks and line breaks would break the table or inject
// markup.
var cellEscaper = strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;", "`", "'", "\n", " ", "@", "@\u200b")

func cell(s string) string { return cellEscaper.Replace(s) }

var backticks = regexp.MustCompile("`{3,}")

// codeFence returns a fence longer than any run of backticks in text.
func codeFence(text string) string {
	longest := 2
	for _, run := range backticks.FindAllString(text, -1) {
		longest = max(longest, len(run))
	}
	return strings.Repeat("`", longest+1)
}
