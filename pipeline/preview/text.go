package preview

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/herald-social/herald/pipeline/i18n"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TextOptions shapes the terminal preview.
type TextOptions struct {
	Width int  // of the text inside a box, in cells: a phone shows about 40
	Color bool // red lengths over the limit, dim frames
	// Printer writes the words and dates of the boxes; nil is English.
	Printer *i18n.Printer
}

// WriteText writes one box per post and account: a header with the post,
// account and date (in the printer's language), the text wrapped as a phone would show it, each thread
// part numbered with its length against the limit, and the media with
// their alt text.
func WriteText(w io.Writer, entries []Entry, opts TextOptions) error {
	p := printerOr(opts.Printer)
	width := opts.Width
	if width <= 0 {
		width = 40
	}
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + "\x1b[0m"
	}
	var b strings.Builder
	for _, e := range entries {
		// The top border names the post, cut to fit; the first line says
		// where and when it goes.
		title := " " + e.Post.ID + " "
		if uniseg.StringWidth(title) > width {
			title, _ = cutWidth(title, width-1)
			title += "… "
		}
		b.WriteString(paint("\x1b[2m", "╭─") + paint("\x1b[1m", title) + paint("\x1b[2m", strings.Repeat("─", max(width+1-uniseg.StringWidth(title), 0))+"╮") + "\n")
		line := func(s string) {
			pad := max(width-uniseg.StringWidth(ansi.ReplaceAllString(s, "")), 0)
			b.WriteString(paint("\x1b[2m", "│ ") + s + strings.Repeat(" ", pad) + paint("\x1b[2m", " │") + "\n")
		}
		where := e.Account.Key
		if e.Account.Key != e.Account.Network {
			where += " (" + e.Account.Network + ")"
		}
		for _, l := range wrap(where, width) {
			line(paint("\x1b[1m", l))
		}
		if !e.Post.When.IsZero() { // on a line of its own: a date in words is long
			for _, l := range wrap(p.DateTime(e.Post.When), width) {
				line(paint("\x1b[1m", l))
			}
		}
		for i, part := range e.Rendering.Parts {
			if i > 0 {
				line("")
			}
			count := e.count(p, i)
			if e.Over(i) {
				count = paint("\x1b[31m", count+" — "+p.T("preview.too-long", nil))
			}
			label := count
			if len(e.Rendering.Parts) > 1 {
				label = fmt.Sprintf("%d/%d · %s", i+1, len(e.Rendering.Parts), count)
			}
			line(label)
			for _, l := range wrap(part.Text, width) {
				line(l)
			}
			for _, m := range part.Media {
				alt := m.Alt.Value
				if alt == "" {
					alt = "(" + p.T("preview.no-alt", nil) + ")"
				}
				kind := "preview.image"
				if isVideo(m.Src.Value) {
					kind = "preview.video"
				}
				for j, l := range wrap(p.T(kind, i18n.Args{"Name": path.Base(m.Src.Value), "Alt": alt}), width) {
					if j > 0 {
						l = "  " + l
					}
					line(l)
				}
			}
			if poll := pollLine(p, e); poll != "" && i == 0 {
				for _, l := range wrap(poll, width) {
					line(l)
				}
			}
		}
		for _, note := range e.Notes(p) {
			for j, l := range wrap(p.T("preview.note", i18n.Args{"Note": note}), width-2) { // room for the indent
				if j > 0 {
					l = "  " + l
				}
				line(paint("\x1b[33m", l))
			}
		}
		b.WriteString(paint("\x1b[2m", "╰"+strings.Repeat("─", width+2)+"╯") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// pollLine is "poll: A / B / C, 1d" and what the entry's network makes
// of it (Poll.line) for an entry whose post has a poll its network
// carries (on the first part), else "".
func pollLine(p *i18n.Printer, e Entry) string {
	if e.Poll == nil {
		return ""
	}
	return e.Poll.line(p, e.Account.Network)
}
