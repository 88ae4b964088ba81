package facets

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/xurls/v2"
)

// The rules below are those of the regexes of @atproto/api's
// src/rich-text/util.ts (MENTION_REGEX, URL_REGEX, TAG_REGEX,
// TRAILING_PUNCTUATION_REGEX, CASHTAG_REGEX) and of the checks detectFacets
// makes on their matches. Those regexes start with what must come before a
// facet (the start of the text, a space, "("), which leaves Go's regexp
// nothing to search for quickly; so each rule here finds the character that
// starts its facets ("@", "#", "$", or a space or "(" for links), checks what
// precedes it by hand, and matches the rest with an anchored regexp.
// reference_test.go holds the regexes as util.ts writes them and checks that
// both give the same facets.
//
// What Go's regexp cannot say is done by hand too: JavaScript's \s, which is
// not Go's; the lookaheads, checked after the match; and JavaScript's
// case-insensitive [a-z], which is ASCII only (Go's (?i) would also take 'ſ'
// and the Kelvin sign).

// jsSpace is the body of a character class matching what JavaScript's \s
// matches: its WhiteSpace and LineTerminator code points (U+FEFF included,
// U+0085 not, unlike Go's unicode.IsSpace).
const jsSpace = `\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`

// notInTag is what ends a hashtag: JavaScript's \s, the soft hyphen, the
// zero-width characters and the combining U+20E2.
const notInTag = jsSpace + `\x{AD}\x{2060}\x{200B}\x{200C}\x{200D}\x{20E2}`

var (
	// A handle after "@": handle characters, cut where a word ends.
	handleRE = regexp.MustCompile(`^[a-zA-Z0-9.-]+\b`)

	// An http(s) URL (group 1), or a bare domain (group 2: ASCII labels, no
	// hyphen, the first one starting with a letter) and what follows it, up
	// to the next space.
	linkRE = regexp.MustCompile(`^(?:([hH][tT][tT][pP][sS]?://[^` + jsSpace + `]+)|([a-zA-Z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9]+)+)[^` + jsSpace + `]*)`)

	// A tag after "#" or "＃": up to the next space or zero-width character,
	// with at least one character that is neither a digit nor punctuation.
	tagRE = regexp.MustCompile(`^[^` + notInTag + `]*[^0-9\pP` + notInTag + `]+[^` + notInTag + `]*`)

	// A ticker after "$": a letter and up to four letters or digits.
	tickerRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]{0,4}`)
)

// maxTagLen is the longest tag detectFacets keeps, counted as JavaScript
// counts a string's length: in UTF-16 code units. The lexicon's own limit (64
// graphemes, 640 bytes) is never the tighter one.
const maxTagLen = 64

func appendMentions(facets []Facet, text string) []Facet {
	for i := 0; ; {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			return facets
		}
		at += i
		i = at + 1
		if !after(text, at, true) {
			continue
		}
		m := handleRE.FindStringIndex(text[i:spaceFrom(text, i)])
		if m == nil {
			continue
		}
		i += m[1]
		if f, ok := mentionFacet(at, text[at+1:i]); ok {
			facets = append(facets, f)
		}
	}
}

func mentionFacet(at int, handle string) (Facet, bool) {
	if !validDomain(handle) && !strings.HasSuffix(handle, ".test") {
		return Facet{}, false // probably not a handle
	}
	return Facet{ByteStart: at, ByteEnd: at + len("@") + len(handle), Type: Mention, Value: handle}, true
}

func appendLinks(facets []Facet, text string) []Facet {
	return appendLinksWhere(facets, text, mayLink)
}

// appendLinksWhere tries linkRE after every space and "(" where may says a
// link can start; the tests compare mayLink with trying everywhere.
func appendLinksWhere(facets []Facet, text string, may func(string) bool) []Facet {
	next := 0 // links do not nest: one ends at a space, where the next may start
	try := func(start int) {
		if start < next || start == len(text) || !may(text[start:]) {
			return
		}
		m := linkRE.FindStringSubmatchIndex(text[start:spaceFrom(text, start)])
		if m == nil {
			return
		}
		next = start + m[1]
		domain := ""
		if m[4] >= 0 {
			domain = text[start+m[4] : start+m[5]]
		}
		if f, ok := linkFacet(start, text[start:next], domain); ok {
			facets = append(facets, f)
		}
	}
	try(0)
	for i, r := range text {
		if r == '(' || isJSSpace(r) {
			try(i + utf8.RuneLen(r))
		}
	}
	return facets
}

// mayLink reports whether linkRE may match at the start of s: s starts
// with "http" in any case, or with an ASCII letter, letters and digits, a
// "." and a letter or digit. Most words are neither, and need no regexp.
func mayLink(s string) bool {
	if len(s) >= 4 && s[0]|0x20 == 'h' && s[1]|0x20 == 't' && s[2]|0x20 == 't' && s[3]|0x20 == 'p' {
		return true
	}
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	i := 1
	for i < len(s) && (isASCIILetter(s[i]) || '0' <= s[i] && s[i] <= '9') {
		i++
	}
	return i+1 < len(s) && s[i] == '.' && (isASCIILetter(s[i+1]) || '0' <= s[i+1] && s[i+1] <= '9')
}

func isASCIILetter(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// linkFacet makes the facet of link, found at byte start, where domain is
// the bare domain it starts with, or "" if it starts with a scheme.
func linkFacet(start int, link, domain string) (Facet, bool) {
	uri := link
	if domain == "" {
		// detectFacets takes only a lowercase scheme: "HTTPS://x.org" is
		// not a link.
		if !strings.HasPrefix(uri, "http") {
			return Facet{}, false
		}
	} else {
		if !validDomain(domain) {
			return Facet{}, false
		}
		uri = "https://" + uri
	}
	// One trailing punctuation mark, then one closing parenthesis that closes
	// nothing in the link, belong to the sentence.
	end := start + len(link)
	if strings.ContainsRune(".,;:!?", rune(uri[len(uri)-1])) {
		uri = uri[:len(uri)-1]
		end--
	}
	if strings.HasSuffix(uri, ")") && !strings.Contains(uri, "(") {
		uri = uri[:len(uri)-1]
		end--
	}
	return Facet{ByteStart: start, ByteEnd: end, Type: Link, Value: uri}, true
}

func appendTags(facets []Facet, text string) []Facet {
	wide := -1 // the next "＃" from i on, or len(text)
	for i := 0; ; {
		// strings.IndexAny(text[i:], "#＃"), without its slow way with a
		// set that is not ASCII.
		if wide < i {
			if wide = strings.Index(text[i:], "＃"); wide < 0 {
				wide = len(text)
			} else {
				wide += i
			}
		}
		hash := strings.IndexByte(text[i:wide], '#')
		if hash < 0 && wide == len(text) {
			return facets
		}
		if hash < 0 {
			hash = wide
		} else {
			hash += i
		}
		_, size := utf8.DecodeRuneInString(text[hash:])
		i = hash + size
		if !after(text, hash, false) {
			continue
		}
		m := tagRE.FindStringIndex(text[i:spaceFrom(text, i)])
		if m == nil {
			continue // "#" alone, or followed by digits and punctuation only
		}
		body := text[i : i+m[1]]
		i += m[1]
		if f, ok := tagFacet(hash, size, body); ok {
			facets = append(facets, f)
		}
	}
}

// tagFacet makes the facet of the tag whose hash sign, of size bytes, is at
// byte hash and is followed by body.
func tagFacet(hash, size int, body string) (Facet, bool) {
	if strings.HasPrefix(body, "\uFE0F") {
		return Facet{}, false // the keycap emoji #️⃣, not a tag
	}
	tag := strings.TrimRightFunc(body, unicode.IsPunct)
	if tag == "" || utf16Len(tag) > maxTagLen {
		return Facet{}, false
	}
	return Facet{ByteStart: hash, ByteEnd: hash + size + len(tag), Type: Tag, Value: tag}, true
}

// appendCashtags adds the "$TICKER" tags that detectFacets finds since
// @atproto/api 0.18.14, as tag facets whose value is "$" and the ticker in
// upper case.
func appendCashtags(facets []Facet, text string) []Facet {
	for i := 0; ; {
		dollar := strings.IndexByte(text[i:], '$')
		if dollar < 0 {
			return facets
		}
		dollar += i
		i = dollar + 1
		if !after(text, dollar, true) {
			continue
		}
		m := tickerRE.FindStringIndex(text[i:spaceFrom(text, i)])
		if m == nil || !cashtagEnds(text[i+m[1]:]) {
			continue
		}
		i += m[1]
		facets = append(facets, cashtagFacet(dollar, text[dollar+1:i]))
	}
}

func cashtagFacet(dollar int, ticker string) Facet {
	return Facet{ByteStart: dollar, ByteEnd: dollar + len("$") + len(ticker), Type: Tag, Value: "$" + strings.ToUpper(ticker)}
}

// cashtagEnds reports whether rest, the text after a ticker, starts with what
// may end one: the end of the text, a space or closing punctuation.
func cashtagEnds(rest string) bool {
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return isJSSpace(r) || strings.ContainsRune(`.,;:!?)"'’`, r)
}

// after reports whether a facet may start at byte i of text: at its start,
// after a space or, if paren, after "(".
func after(text string, i int, paren bool) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return isJSSpace(r) || paren && r == '('
}

// spaceFrom returns the index of the first space in text at or after byte i,
// or len(text): no facet goes past it.
func spaceFrom(text string, i int) int {
	for j, r := range text[i:] {
		if isJSSpace(r) {
			return i + j
		}
	}
	return len(text)
}

// isJSSpace reports whether JavaScript's \s matches r (see jsSpace).
func isJSSpace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
		return true
	}
	return 0x2000 <= r && r <= 0x200A
}

// validDomain reports whether s ends with a dot and a top-level domain, in
// lower case as the TLD list spells them (detectFacets does not fold case
// either: "Example.COM" is not a domain to it).
func validDomain(s string) bool {
	dot := strings.LastIndexByte(s, '.')
	if dot < 0 {
		return false
	}
	_, ok := slices.BinarySearch(xurls.TLDs, s[dot+1:])
	return ok
}

// utf16Len is the length JavaScript gives s: the number of UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
