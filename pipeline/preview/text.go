package preview

import (
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/rivo/uniseg"
)

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// TextOptions shapes the terminal preview.
type TextOptions struct {
	Width int  // of the text inside a box, in cells: a phone shows about 40
	Color bool // red lengths over the limit, dim frames
}

// WriteText writes one box per post and account: a header with the post,
// account and date, the text wrapped as a phone would show it, each thread
// part numbered with its length against the limit, and the media with
// their alt text.
func WriteText(w io.Writer, entries []Entry, opts TextOptions) error {
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
		if !e.Post.When.IsZero() {
			where += " · " + e.Post.When.Format("Mon 2006-01-02 15:04")
		}
		for _, l := range wrap(where, width) {
			line(paint("\x1b[1m", l))
		}
		for i, part := range e.Rendering.Parts {
			if i > 0 {
				line("")
			}
			count := fmt.Sprintf("%d/%d", e.Lengths[i], e.Limits[i])
			if e.Limits[i] == 0 {
				count = fmt.Sprintf("%d", e.Lengths[i])
			}
			count += " " + string(e.Unit)
			if e.Over(i) {
				count = paint("\x1b[31m", count+" — too long")
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
					alt = "(no alt text)"
				}
				kind := "image "
				if isVideo(m.Src.Value) {
					kind = "video "
				}
				for j, l := range wrap(kind+path.Base(m.Src.Value)+": "+alt, width) {
					if j > 0 {
						l = "  " + l
					}
					line(l)
				}
			}
			if poll := pollLine(e); poll != "" && i == 0 {
				for _, l := range wrap(poll, width) {
					line(l)
				}
			}
		}
		for _, note := range e.Notes() {
			for j, l := range wrap("note: "+note, width-2) { // room for the indent
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
func pollLine(e Entry) string {
	if e.Poll == nil {
		return ""
	}
	return e.Poll.line(e.Account.Network)
}
