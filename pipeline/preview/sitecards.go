package preview

import (
	"fmt"
	"html/template"
	"strings"
)

// The cards of a post page are written here rather than by post.html:
// they are most of the site's markup, a range of parts in a range of cards
// with a range of segments in each, and html/template spent more time on
// them, by reflection, than the rest of the site took. They are written
// exactly as post.html wrote them (TestCardsLikeTemplate keeps the template
// they replace and compares), each value escaped as html/template escapes
// it where it goes: escapeText in text and in an attribute's quoted value,
// escapeURL in a quoted href or src.

// cardsHTML writes the cards of a page, or says that there are none, with
// the site's words.
func cardsHTML(cards []cardView, w *siteWords) template.HTML {
	size := 100
	for _, c := range cards {
		size += 200 + len(c.Head) + 40*len(c.Notes)
		for _, p := range c.Parts {
			size += 200 + len(p.Text)
			for _, s := range p.Segments {
				size += len(s.Text) + len(s.Href) + 60
			}
			size += 200 * len(p.Media)
		}
	}
	b := make([]byte, 0, size)
	for _, c := range cards {
		b = c.appendHTML(b, w)
	}
	if len(cards) == 0 {
		b = append(b, "\n<p class=\"empty\">"...)
		b = appendText(b, w.NoAccount)
		b = append(b, "</p>"...)
	}
	return template.HTML(b) // every value escaped below
}

func (c cardView) appendHTML(b []byte, w *siteWords) []byte {
	b = append(b, "\n<article class=\"card net-"...)
	b = appendText(b, c.Network)
	b = append(b, "\">\n"...)
	b = append(b, c.Head...)
	b = append(b, "\n<ol class=\"thread"...)
	if c.Thread {
		b = append(b, " multi"...)
	}
	b = append(b, "\">"...)
	for _, p := range c.Parts {
		b = p.appendHTML(b, w)
	}
	b = append(b, "\n</ol>"...)
	for _, n := range c.Notes {
		b = append(b, "\n<p class=\"note\">"...)
		b = appendText(b, n)
		b = append(b, "</p>"...)
	}
	return append(b, "\n</article>"...)
}

func (p partView) appendHTML(b []byte, w *siteWords) []byte {
	b = append(b, "\n<li class=\"part\">"...)
	if p.Raw {
		b = append(b, "\n<p class=\"dialect\">"...)
		b = appendText(b, p.Dialect)
		b = append(b, "</p><pre class=\"raw\">"...)
		b = appendText(b, p.Text)
		b = append(b, "</pre>"...)
	} else {
		b = append(b, "\n<p class=\"text\">"...)
		for _, s := range p.Segments {
			switch {
			case s.Href != "":
				b = append(b, "<a class=\""...)
				b = appendText(b, s.Kind)
				b = append(b, "\" href=\""...)
				b = appendURL(b, s.Href)
				b = append(b, "\" rel=\"nofollow noopener noreferrer\">"...)
				b = appendText(b, s.Text)
				b = append(b, "</a>"...)
			case s.Kind != "":
				b = append(b, "<span class=\""...)
				b = appendText(b, s.Kind)
				b = append(b, "\">"...)
				b = appendText(b, s.Text)
				b = append(b, "</span>"...)
			default:
				b = appendText(b, s.Text)
			}
		}
		b = append(b, "</p>"...)
	}
	for _, m := range p.Media {
		b = append(b, "\n<figure class=\"medium\">"...)
		switch {
		case m.Video:
			b = append(b, "<video src=\""...)
			b = appendURL(b, m.Src)
			b = append(b, "\" controls preload=\"none\" title=\""...)
			b = appendText(b, m.Alt)
			b = append(b, "\"></video>"...)
		case m.Src != "":
			b = append(b, "<img src=\""...)
			b = appendURL(b, m.Src)
			b = append(b, "\" alt=\""...)
			b = appendText(b, m.Alt)
			b = append(b, "\" loading=\"lazy\">"...)
		default:
			b = append(b, "<span class=\"missing\">"...)
			b = appendText(b, m.Why)
			b = append(b, "</span>"...)
		}
		if m.Alt == "" {
			b = append(b, "<figcaption class=\"error\">"...)
			b = appendText(b, w.NoAlt)
			b = append(b, "</figcaption>"...)
		}
		b = append(b, "\n</figure>"...)
	}
	b = append(b, "\n<footer class=\"length"...)
	if p.OverBy != 0 {
		b = append(b, " over"...)
	}
	b = append(b, "\">"...)
	b = appendText(b, p.Count)
	if p.OverBy != 0 {
		b = append(b, " <span class=\"badge over\">"...)
		b = appendText(b, p.Over)
		b = append(b, "</span>"...)
	}
	return append(b, "</footer>\n</li>"...)
}

// textReplacements are html/template's replacements in text and in quoted
// attribute values, where it escapes a string with its htmlEscaper and
// attrEscaper: NUL, quotes, "&", "+", "<" and ">".
var textReplacements = [...]string{
	0: "\uFFFD", '"': "&#34;", '&': "&amp;", '\'': "&#39;", '+': "&#43;", '<': "&lt;", '>': "&gt;",
}

// appendText appends s as html/template writes a string in text or in a
// quoted attribute value. It goes byte by byte where html/template goes
// rune by rune: the bytes it replaces are ASCII, and neither leaves the
// bytes of other characters, or bytes that are not UTF-8, otherwise than
// as they are.
func appendText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; int(c) < len(textReplacements) && textReplacements[c] != "" {
			b = append(b, s[start:i]...)
			b = append(b, textReplacements[c]...)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

// appendURL appends s as html/template writes a string at the start of a
// quoted URL attribute (href, src): a URL with a scheme other than http,
// https or mailto as "#ZgotmplZ"; every byte but letters, digits, the
// reserved and unreserved characters and valid percent escapes
// percent-encoded; then escaped as in text.
func appendURL(b []byte, s string) []byte {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		return append(b, "#ZgotmplZ"...)
	}
	var norm []byte
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("!#$&*+,/:;=?@[]-._~", c) >= 0:
			continue
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			continue
		}
		norm = append(norm, s[written:i]...)
		norm = fmt.Appendf(norm, "%%%02x", c)
		written = i + 1
	}
	if norm == nil {
		return appendText(b, s)
	}
	return appendText(b, string(append(norm, s[written:]...)))
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
