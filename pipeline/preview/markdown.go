package preview

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/herald-social/herald/pipeline/diag"
)

// Marker is the first line of the Markdown preview, by which a later run
// finds its own pull-request comment to update instead of adding another.
const Marker = "<!-- herald:preview -->"

// WriteMarkdown writes a compact review of the posts for a pull-request
// comment: a table of post, date, networks, lengths and problems, then each
// post's rendering per account, every thread part shown whole. Texts go in
// code blocks, so that a post's @mentions and #numbers do not ping or link
// anyone on GitHub.
func WriteMarkdown(w io.Writer, entries []Entry) error {
	var b strings.Builder
	posts := groupByPost(entries)
	b.WriteString(Marker + "\n")
	fmt.Fprintf(&b, "### Herald preview: %s\n\n", countWord(len(posts), "post"))
	if len(posts) == 0 {
		b.WriteString("No post to preview.\n")
	} else {
		b.WriteString("| Post | Date | Networks | Lengths | Problems |\n| --- | --- | --- | --- | --- |\n")
		for _, group := range posts {
			p := group[0].Post
			var lengths, networks []string
			for _, e := range group {
				networks = append(networks, e.Account.Network)
				l := fmt.Sprintf("%s %d/%d", e.Account.Key, e.Lengths[0], e.Limits[0])
				if e.Limits[0] == 0 {
					l = fmt.Sprintf("%s %d", e.Account.Key, e.Lengths[0])
				}
				for i := range e.Lengths {
					if e.Over(i) {
						l = "**" + l + " ❌**"
						break
					}
				}
				if len(e.Rendering.Parts) > 1 {
					l += fmt.Sprintf(" (%d parts)", len(e.Rendering.Parts))
				}
				lengths = append(lengths, l)
			}
			date := "—"
			if !p.When.IsZero() {
				date = p.When.Format("2006-01-02 15:04")
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", cell(p.ID), date,
				strings.Join(slices.Compact(networks), ", "), strings.Join(lengths, "<br>"), problems(p.Diagnostics))
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
			fmt.Fprintf(&b, "- %s line %d: %s `%s`\n", d.Severity, d.Line, cell(d.Message), d.Rule)
		}
		for _, e := range group {
			fmt.Fprintf(&b, "\n**%s**", e.Account.Key)
			if e.Account.Key != e.Account.Network {
				fmt.Fprintf(&b, " (%s)", e.Account.Network)
			}
			b.WriteString("\n")
			for i, part := range e.Rendering.Parts {
				count := fmt.Sprintf("%d %s", e.Lengths[i], e.Unit)
				if e.Limits[i] > 0 {
					count = fmt.Sprintf("%d/%d %s", e.Lengths[i], e.Limits[i], e.Unit)
				}
				if e.Over(i) {
					count = "**" + count + ", too long ❌**"
				}
				if len(e.Rendering.Parts) > 1 {
					fmt.Fprintf(&b, "\nPart %d/%d, %s\n", i+1, len(e.Rendering.Parts), count)
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
					fmt.Fprintf(&b, "\n%s `%s` — alt: %s\n", icon, cell(m.Src.Value), cell(m.Alt.Value))
				}
				if poll := pollLine(e); poll != "" && i == 0 {
					fmt.Fprintf(&b, "\n📊 %s\n", cell(poll))
				}
			}
			for _, note := range e.Notes() {
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

func problems(ds []diag.Diagnostic) string {
	errs, warns := diag.Count(ds)
	switch {
	case errs > 0 && warns > 0:
		return fmt.Sprintf("❌ %s, %s", countWord(errs, "error"), countWord(warns, "warning"))
	case errs > 0:
		return "❌ " + countWord(errs, "error")
	case warns > 0:
		return "⚠️ " + countWord(warns, "warning")
	}
	return "✅"
}

func countWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
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
