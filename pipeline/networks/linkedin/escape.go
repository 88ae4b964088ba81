package linkedin

import "strings"

// reserved are the characters of LinkedIn's "little" text format, which
// the Posts API reads commentary in: each must be escaped with a
// backslash to stand for itself, else LinkedIn reads it as the start of
// a mention, hashtag or template and may cut the text there
// (https://learn.microsoft.com/linkedin/marketing/community-management/shares/little-text-format,
// its Text element: | { } @ [ ] ( ) < > # \ * _ ~).
const reserved = `|{}@[]()<>#\*_~`

// Escape returns text as little text whose plain reading is text itself:
// every reserved character escaped. A hashtag is therefore sent as the
// text the preview showed, not as a LinkedIn hashtag element.
func Escape(text string) string {
	var b strings.Builder
	b.Grow(len(text) + 8)
	for _, r := range text {
		if strings.ContainsRune(reserved, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Unescape returns the plain text of escaped little text: a backslash
// before a reserved character is dropped.
func Unescape(little string) string {
	var b strings.Builder
	rs := []rune(little)
	for i := 0; i < len(rs); i++ {
		if rs[i] == '\\' && i+1 < len(rs) && strings.ContainsRune(reserved, rs[i+1]) {
			i++
		}
		b.WriteRune(rs[i])
	}
	return b.String()
}
