package length

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"mvdan.cc/xurls/v2"
)

// A span is the half-open byte range [start, end) of an entity.
type span struct{ start, end int }

// urlRules is how one network's extractor finds URLs. Both X and Mastodon
// run twitter-text's extractor (extractUrlsWithIndices in JavaScript,
// extract_urls_with_indices in the Ruby gem Mastodon uses), X with its own
// path characters and bare domains allowed, Mastodon with its own path
// characters, more schemes and bare domains refused.
//
// The extractor is one regular expression, tried at every position:
//
//	preceding char, (scheme "://")?, domain, (":" port)?, ("/" path)?, ("?" query)?
//
// This file follows it step by step. mvdan.cc/xurls finds where a URL may
// start and gives the list of top-level domains; twitter-text's own rules
// then decide whether it is one and where it ends, because xurls differs
// from them on purpose in every place below:
//   - xurls knows any scheme (ftp:, mailto:...); twitter-text only http(s)
//     (and Mastodon's few more), and a URL with another scheme is text.
//   - xurls takes IP addresses, pseudo-TLDs (.example, .local, .onion...),
//     user:password@ and any Unicode in a path; twitter-text takes none.
//   - twitter-text refuses a URL right after a letter, a digit, @, $ or #, a
//     bare domain right after - _ . or /, a bare domain with no path made of
//     one label and a two-letter country code ("maison.fr", but not "t.co"),
//     and a domain with a label longer than 63 bytes once in punycode.
//   - a bare domain counts only from its first ASCII label ("日本.example.com"
//     counts "example.com"), and without a path, its port and query are text.
//   - a path or query ends on one of twitter-text's ending characters: "/foo."
//     leaves the period out, "/a_(b)" keeps balanced parentheses.
//
// Where this file still differs from twitter-text:
//   - the list of top-level domains is xurls.TLDs (IANA's root zone and the
//     public suffix list, 2025), not twitter-text's tld_lib.yml (2019): a few
//     TLDs created or retired since then are judged differently;
//   - a Unicode top-level domain counts as generic, never as a country code,
//     for the "one label and a country code" rule;
//   - a URL can only start where xurls sees one, so a bare domain right after
//     "_" ("a_b.example.com") is not found where twitter-text finds
//     "b.example.com".
type urlRules struct {
	schemes         []string // followed by "://", lower case
	withoutProtocol bool     // bare domains are URLs
	pathChar        func(rune) bool
	pathEnding      func(rune) bool // the characters a path may end with
}

var (
	relaxed      = sync.OnceValue(xurls.Relaxed)
	relaxedEmail = sync.OnceValue(func() int { return relaxed().SubexpIndex("relaxedEmail") })
)

// find returns the URLs of s in order.
func (u *urlRules) find(s string) []span {
	var urls []span
	for pos := 0; pos < len(s); {
		start, emailEnd, ok := relaxedMatch(s, pos)
		if !ok {
			break
		}
		if emailEnd >= 0 {
			// An address: the domain after "@" is never a URL.
			pos = emailEnd
			continue
		}
		m, ok := u.match(s, start)
		if !ok {
			pos = start + skipWord(s[start:])
			continue
		}
		if url, ok := u.accept(s, m); ok {
			urls = append(urls, url)
		}
		pos = m.end // the extractor resumes after its match, kept or not
	}
	return urls
}

// relaxedMatch finds where relaxed() first matches in s[pos:], as an offset
// in s, and when that match is an e-mail address, where it ends (else
// emailEnd is -1): what relaxed().FindStringSubmatchIndex(s[pos:]) says,
// found faster. The expression is huge (every scheme and top-level domain)
// and Go runs it at about half a microsecond a byte; but none of its
// matches holds ASCII white space, each is at least three bytes long and
// holds a ":" or a "." that is not its last character. So it only runs on
// the words from pos on that could hold such a match, each on its own: the
// first word with a match holds the match the whole text gives, since
// white space is no word character for \b either (TestRelaxedWords checks
// these properties on the expression itself). And a word that starts with
// "http://" or "https://" and a letter or digit, after opening parentheses
// or not, needs no expression at all: a URL starts there, and no e-mail
// address can, nor any match at a parenthesis.
func relaxedMatch(s string, pos int) (start, emailEnd int, ok bool) {
	for pos < len(s) {
		end := pos + strings.IndexAny(s[pos:], asciiSpace)
		if end < pos {
			end = len(s)
		}
		if w := s[pos:end]; len(w) >= minRelaxedMatch &&
			(strings.IndexByte(w, ':') >= 0 || strings.IndexByte(w[:len(w)-1], '.') >= 0) {
			if startsWithWebScheme(w) {
				return pos, -1, true
			}
			// A link in parentheses, as render writes a Markdown link
			// whose text is not its URL: no match starts with "(".
			if p := len(w) - len(strings.TrimLeft(w, "(")); p > 0 && startsWithWebScheme(w[p:]) {
				return pos + p, -1, true
			}
			if loc := relaxed().FindStringSubmatchIndex(w); loc != nil {
				if e := 2 * relaxedEmail(); loc[e] >= 0 {
					return pos + loc[0], pos + loc[1], true
				}
				return pos + loc[0], -1, true
			}
		}
		for pos = end; pos < len(s) && strings.IndexByte(asciiSpace, s[pos]) >= 0; pos++ {
		}
	}
	return 0, 0, false
}

// startsWithWebScheme reports whether w starts with "http://" or
// "https://", in any case, and an ASCII letter or digit.
func startsWithWebScheme(w string) bool {
	for _, scheme := range []string{"http://", "https://"} {
		if len(w) > len(scheme) && strings.EqualFold(w[:len(scheme)], scheme) && isASCIIAlnum(w[len(scheme)]) {
			return true
		}
	}
	return false
}

// asciiSpace is what relaxedMatch splits words on.
const asciiSpace = " \t\n\v\f\r"

// minRelaxedMatch is the length of the shortest match of relaxed(), in
// bytes ("::1", "a.io" and "tel:1" are among the shortest).
const minRelaxedMatch = 3

// skipWord is how far to move on from a position where no URL starts: past
// the letters and digits there, after which twitter-text would refuse a
// start anyway (it must follow something else than a letter or digit).
func skipWord(s string) int {
	for i, r := range s {
		if i > 0 && !(r < utf8.RuneSelf && isASCIIAlnum(byte(r)) || r >= utf8.RuneSelf && unicode.In(r, unicode.L, unicode.M, unicode.N)) {
			return i
		}
	}
	return len(s)
}

// A urlMatch is what the extractor's regular expression matches at a start.
type urlMatch struct {
	start, end  int // the whole match
	scheme      bool
	domain      span
	path, query bool
}

// match applies the extractor's regular expression at byte i of s.
func (u *urlRules) match(s string, i int) (m urlMatch, ok bool) {
	if !validURLPreceding(s, i) {
		return m, false
	}
	m.start = i
	p := i
	for _, scheme := range u.schemes {
		if len(s)-p > len(scheme)+3 && strings.EqualFold(s[p:p+len(scheme)], scheme) && s[p+len(scheme):p+len(scheme)+3] == "://" {
			m.scheme, p = true, p+len(scheme)+3
			break
		}
	}
	m.domain.start = p
	if m.domain.end, ok = domainEnd(s, p); !ok {
		return m, false
	}
	p = m.domain.end
	if p+1 < len(s) && s[p] == ':' && isDigit(s[p+1]) {
		for p++; p < len(s) && isDigit(s[p]); p++ {
		}
	}
	if p < len(s) && s[p] == '/' {
		m.path, p = true, u.pathEnd(s, p)
	}
	if p < len(s) && s[p] == '?' {
		if q := queryEnd(s, p); q > p {
			m.query, p = true, q
		}
	}
	m.end = p
	return m, true
}

// accept applies the checks the extractor makes on a match, and returns the
// URL it keeps.
func (u *urlRules) accept(s string, m urlMatch) (span, bool) {
	domain := s[m.domain.start:m.domain.end]
	ascii, ok := punycodeLength(domain)
	// The URL with its domain in punycode, and "https://" when it has no
	// scheme, must be at most 4096 characters long.
	length := utf8.RuneCountInString(s[m.start:m.end]) - utf8.RuneCountInString(domain) + ascii
	if !m.scheme {
		length += len("https://")
	}
	if !ok || length > 4096 {
		return span{}, false
	}
	if m.scheme {
		// A t.co link ends after its slug, and a slug is at most 40 long.
		if strings.EqualFold(domain, "t.co") && m.path {
			p := m.domain.end + 1
			q := p
			for q < len(s) && isASCIIAlnum(s[q]) {
				q++
			}
			if q > p {
				if q-p > 40 {
					return span{}, false
				}
				return span{m.start, q}, true
			}
		}
		return span{m.start, m.end}, true
	}
	if !u.withoutProtocol {
		return span{}, false
	}
	if before, _ := utf8.DecodeLastRuneInString(s[:m.start]); m.start > 0 && strings.ContainsRune("-_./", before) {
		return span{}, false
	}
	start, ok := asciiDomainStart(domain)
	if !ok {
		return span{}, false
	}
	start += m.domain.start
	if !m.path {
		// Without a path, one label and a country code is not a link (except
		// .co and .tv), and the port and query that follow are text.
		ascii := s[start:m.domain.end]
		name, tld, _ := strings.Cut(ascii, ".")
		if !strings.Contains(tld, ".") && len(tld) == 2 && isASCIIAlnum(tld[0]) && name != "" &&
			!strings.EqualFold(tld, "co") && !strings.EqualFold(tld, "tv") {
			return span{}, false
		}
		return span{start, m.domain.end}, true
	}
	return span{start, m.end}, true
}

// punycodeLength returns the length of a domain in punycode, and whether
// each of its labels is 1 to 63 bytes long then, as twitter-text's
// idna.toAscii checks.
func punycodeLength(domain string) (int, bool) {
	n := strings.Count(domain, ".")
	for label := range strings.SplitSeq(domain, ".") {
		a, err := idna.Punycode.ToASCII(label)
		if err != nil || len(a) < 1 || len(a) > 63 {
			return 0, false
		}
		n += len(a)
	}
	return n, true
}

// asciiDomainStart returns where the last run of ASCII labels of a domain
// starts (Latin letters with accents count as ASCII, as in twitter-text's
// validAsciiDomain); the top-level domain itself may be Unicode.
func asciiDomainStart(domain string) (int, bool) {
	tld := strings.LastIndexByte(domain, '.')
	start := -1
	for i := tld; i > 0; {
		j := strings.LastIndexByte(domain[:i], '.') + 1
		label := domain[j:i]
		if strings.IndexFunc(label, func(r rune) bool { return !isASCIIDomainChar(r) }) >= 0 {
			break
		}
		start, i = j, j-1
	}
	return start, start >= 0
}

func isASCIIDomainChar(r rune) bool {
	return r < utf8.RuneSelf && (isASCIIAlnum(byte(r)) || r == '-') || isLatinAccent(r)
}

// domainEnd returns the end of the domain twitter-text's validDomain
// matches at s[i]: labels, the last of which starts with a top-level domain,
// each before it made of domain characters with "-" (and "_" before the
// second-level label) inside only. It tries the most labels first, as the
// regular expression's greedy repetition does.
func domainEnd(s string, i int) (int, bool) {
	var labels []span
	start := i
	for p := i; ; {
		r, n := utf8.DecodeRuneInString(s[p:])
		if n > 0 && (r == '-' || r == '_' || isDomainChar(r)) {
			p += n
			continue
		}
		if p == start {
			break
		}
		labels = append(labels, span{start, p})
		if r != '.' {
			break
		}
		p += n
		start = p
	}
	for k := len(labels) - 1; k >= 1; k-- {
		if !validLabel(s[labels[k-1].start:labels[k-1].end], false) {
			continue
		}
		sub := true
		for _, l := range labels[:k-1] {
			sub = sub && validLabel(s[l.start:l.end], true)
		}
		if !sub {
			continue
		}
		if end, ok := tldEnd(s, labels[k]); ok {
			return end, true
		}
	}
	return 0, false
}

// validLabel reports whether a label below the top-level domain is valid:
// domain characters, with "-" (and "_" in a subdomain) inside only.
func validLabel(l string, subdomain bool) bool {
	first, _ := utf8.DecodeRuneInString(l)
	last, _ := utf8.DecodeLastRuneInString(l)
	return isDomainChar(first) && isDomainChar(last) && (subdomain || !strings.Contains(l, "_"))
}

// tldEnd returns where the top-level domain at the start of label l ends:
// a known TLD followed by anything but an ASCII letter or digit or "@" (it
// may end inside the label, before "-", "_" or a non-ASCII letter), or
// punycode.
func tldEnd(s string, l span) (int, bool) {
	for b := l.end; b > l.start; b-- {
		if b == l.end && b < len(s) && s[b] == '@' || b < l.end && (isASCIIAlnum(s[b]) || !utf8.RuneStart(s[b])) {
			continue
		}
		if _, ok := slices.BinarySearch(xurls.TLDs, strings.ToLower(s[l.start:b])); ok {
			return b, true
		}
	}
	if l.end-l.start > 4 && strings.EqualFold(s[l.start:l.start+4], "xn--") {
		p := l.start + 4
		for p < l.end && (isASCIIAlnum(s[p]) || s[p] == '-') {
			p++
		}
		return p, true
	}
	return 0, false
}

// pathEnd returns the end of the path at s[i] == '/': "/" and the longest
// run of path characters and balanced parentheses that ends with an ending
// character or a closing parenthesis.
func (u *urlRules) pathEnd(s string, i int) int {
	end := i + 1
	for p := i + 1; p < len(s); {
		r, n := utf8.DecodeRuneInString(s[p:])
		switch {
		case r == '(':
			q := u.parens(s, p)
			if q < 0 {
				return end
			}
			p, end = q, q
		case u.pathChar(r) && !(r == utf8.RuneError && n == 1):
			p += n
			if u.pathEnding(r) {
				end = p
			}
		default:
			return end
		}
	}
	return end
}

// parens returns the end of the balanced parentheses at s[i] == '(', one
// level of nesting allowed, or -1.
func (u *urlRules) parens(s string, i int) int {
	run := func(p int) int {
		for p < len(s) {
			r, n := utf8.DecodeRuneInString(s[p:])
			if !u.pathChar(r) || r == utf8.RuneError && n == 1 {
				break
			}
			p += n
		}
		return p
	}
	a := run(i + 1)
	if a < len(s) && s[a] == ')' && a > i+1 {
		return a + 1
	}
	if a < len(s) && s[a] == '(' {
		if b := run(a + 1); b > a+1 && b < len(s) && s[b] == ')' {
			if c := run(b + 1); c < len(s) && s[c] == ')' {
				return c + 1
			}
		}
	}
	return -1
}

// queryEnd returns the end of the query at s[i] == '?', or i when none
// ends with a query ending character.
func queryEnd(s string, i int) int {
	end := i
	for p := i + 1; p < len(s) && strings.IndexByte(queryChars, s[p]) >= 0; p++ {
		if isASCIIAlnum(s[p]) || strings.IndexByte("-_&=#/", s[p]) >= 0 {
			end = p + 1
		}
	}
	return end
}

const queryChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!?*'@();:&=+$/%#[]-_.,~|"

// validURLPreceding reports whether a URL may start at s[i]: not after an
// ASCII letter or digit, @, $, # (or their full-width forms) or a
// non-character.
func validURLPreceding(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	if r < utf8.RuneSelf {
		return !isASCIIAlnum(byte(r)) && r != '@' && r != '$' && r != '#'
	}
	return r != '＠' && r != '＃' && !isInvalidChar(r)
}

// isDomainChar is twitter-text's validDomainChars: anything but its ASCII
// punctuation, white space and non-characters.
func isDomainChar(r rune) bool {
	if r < utf8.RuneSelf && strings.ContainsRune(`!'#%&()*+,\-./:;<=>?@[]^_{|}~$`, r) {
		return false
	}
	return !unicode.IsSpace(r) && r != '\u180E' && !isInvalidChar(r) && r != utf8.RuneError
}

func isInvalidChar(r rune) bool { return r == '\uFFFE' || r == '\uFEFF' || r == '\uFFFF' }

// isLatinAccent is twitter-text's latinAccentChars.
func isLatinAccent(r rune) bool {
	switch {
	case 0xC0 <= r && r <= 0xFF:
		return r != 0xD7 && r != 0xF7
	case 0x100 <= r && r <= 0x24F, 0x300 <= r && r <= 0x36F, 0x1E00 <= r && r <= 0x1EFF:
		return true
	}
	switch r {
	case 0x253, 0x254, 0x256, 0x257, 0x259, 0x25B, 0x263, 0x268, 0x26F, 0x272, 0x289, 0x28B, 0x2BB:
		return true
	}
	return false
}

func isASCIIAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
