package length

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MastodonURLLength is what a URL counts on Mastodon unless the server
// says otherwise (configuration.statuses.characters_reserved_per_url of
// /api/v2/instance): StatusLengthValidator's URL_PLACEHOLDER is 23 "x".
const MastodonURLLength = 23

// mastodonURLs is the URL extraction of Mastodon's StatusLengthValidator:
// twitter-text's extract_urls_with_indices with extract_url_without_protocol
// false, on the regular expressions config/initializers/twitter_regex.rb
// redefines: more schemes, and a path of anything but white space,
// parentheses and "?", that does not end with punctuation.
var mastodonURLs = &urlRules{
	schemes: []string{"https", "http", "dat", "dweb", "ipfs", "ipns", "ssb", "gopher", "gemini"},
	pathChar: func(r rune) bool {
		return !unicode.Is(unicode.White_Space, r) && r != '(' && r != ')' && r != '?'
	},
	pathEnding: func(r rune) bool {
		return !unicode.Is(unicode.White_Space, r) && !strings.ContainsRune("()?!*';:=,.$%[]~&|@", r)
	},
}

// mastodonMention is Account::MENTION_RE without its look-behind
// (?<![=/[:word:]]), which mastodonMentions checks: "@user", or
// "@user@domain" of which only "@user" counts.
var mastodonMention = regexp.MustCompile(`^@((?i:[a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?))(?:@([\p{L}\p{M}\p{Nd}\p{Pc}.-]+[\p{L}\p{M}\p{Nd}\p{Pc}]+))?`)

// Mastodon returns the length of a status's text as Mastodon's
// StatusLengthValidator counts it: the grapheme clusters of its "countable
// text", where each URL with a scheme becomes urlLength characters and each
// mention "@user@domain" becomes "@user". A text of white space only
// counts 0. The limit it is held to is the server's max_characters (500 by
// default).
//
// Mastodon counts grapheme clusters (each_grapheme_cluster), not code
// points: an emoji ZWJ sequence or a letter with combining accents is one.
// Where this function differs from the server:
//   - the server's Ruby follows the Unicode version of its Ruby (15.0 for
//     Ruby 3.3), uniseg 15.0 here;
//   - URLs: see urlRules (the top-level domains are xurls.TLDs where
//     Mastodon uses the list of its twitter-text gem, 3.1).
func Mastodon(text string, urlLength int) int {
	if strings.TrimSpace(text) == "" {
		return 0
	}
	type entity struct {
		span
		replacement string
	}
	var entities []entity
	placeholder := strings.Repeat("x", max(urlLength, 0))
	for _, u := range mastodonURLs.find(text) {
		entities = append(entities, entity{u, placeholder})
	}
	for _, m := range mastodonMentions(text) {
		entities = append(entities, entity{m.span, "@" + m.user})
	}
	// Extractor.remove_overlapping_entities: by start, each entity that
	// starts inside the one kept before it is dropped.
	slices.SortStableFunc(entities, func(a, b entity) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, e := range entities {
		if e.start < last {
			continue
		}
		b.WriteString(text[last:e.start])
		b.WriteString(e.replacement)
		last = e.end
	}
	b.WriteString(text[last:])
	return Graphemes(b.String())
}

type mention struct {
	span
	user string
}

// mastodonMentions is Extractor.extract_mentions_or_lists_with_indices:
// each match of MENTION_RE, in order, unless "@", a Latin letter with an
// accent or "://" follows it, or its domain is longer than 253.
func mastodonMentions(text string) []mention {
	var out []mention
	for i := 0; i < len(text); {
		at := strings.IndexByte(text[i:], '@')
		if at < 0 {
			break
		}
		at += i
		if before, _ := utf8.DecodeLastRuneInString(text[:at]); at > 0 && (before == '=' || before == '/' || isWordRune(before)) {
			i = at + 1
			continue
		}
		m := mastodonMention.FindStringSubmatchIndex(text[at:])
		if m == nil {
			i = at + 1
			continue
		}
		end := at + m[1]
		after := text[end:]
		next, _ := utf8.DecodeRuneInString(after)
		domainOK := m[4] < 0 || m[5]-m[4] <= 253
		if domainOK && next != '@' && next != '＠' && !isLatinAccent(next) && !strings.HasPrefix(after, "://") {
			out = append(out, mention{span{at, end}, text[at+m[2] : at+m[3]]})
		}
		i = end
	}
	return out
}

// isWordRune is Ruby's [[:word:]]: a letter, a mark, a decimal digit or a
// connector punctuation.
func isWordRune(r rune) bool {
	return unicode.In(r, unicode.L, unicode.M, unicode.Nd, unicode.Pc)
}
