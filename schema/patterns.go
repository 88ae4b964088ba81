package schema

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// PatternMeaning returns, for the validator's message about a value that
// does not match a pattern of these schemas ("does not match pattern
// '^...$'"), the key of the sentence that says what the pattern means
// (check.schema.pattern.KEY in the message catalog).
func PatternMeaning(message string) (key string, ok bool) {
	m := patternInMessage.FindStringSubmatch(message)
	if m == nil {
		return "", false
	}
	meaning, ok := patternMeanings[unquotePattern(m[1])]
	return meaning, ok
}

// patternInMessage finds the pattern in the library's message for a
// value that does not match it.
var patternInMessage = regexp.MustCompile(`^does not match pattern '(.*)'$`)

// unquotePattern undoes the quoting of the library's message (Go's %q,
// with ' escaped and " not).
func unquotePattern(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, `\'`, `'`), `"`, `\"`)
	if u, err := strconv.Unquote(`"` + s + `"`); err == nil {
		return u
	}
	return s
}

// patternMeanings name what each pattern of schema/ allows: the key of
// its sentence in the message catalog (check.schema.pattern.KEY in
// pipeline/i18n/locales), which says it in words and how to write a value
// that it accepts: a regular expression is no message for a person.
// TestPatternMeanings keeps one for every pattern of the schemas.
var patternMeanings = map[string]string{
	`^[a-z0-9][a-z0-9-]*$`:                       "slug",
	`^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$`:            "key-date",
	`^[A-Za-z0-9][A-Za-z0-9._/-]*$`:              "id",
	`^[A-Za-z0-9][A-Za-z0-9_.-]*$`:               "name",
	`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`:        "locale",
	`^https?://[^/]+`:                            "url-base",
	`^https?://[^\s/]+`:                          "url",
	`^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$`:           "duration",
	`^([0-9]+d|([0-9]+(\.[0-9]+)?(h|m|s|ms))+)$`: "days-or-duration",
	`^([0-9]+d|([0-9]+(h|m|s))+)$`:               "days-or-duration-short",
	`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`: "bluesky-handle",
	`^(pds$|https?://[^\s/]+)`:                      "pds-or-url",
	`^urn:li:(person|organization):[A-Za-z0-9_-]+$`: "linkedin-author",
	`^20[0-9]{2}(0[1-9]|1[0-2])$`:                   "linkedin-version",
	`^[0-9]+$`:                                      "numeric-id",
	`^(@[A-Za-z0-9_]{5,}|-?[0-9]+)$`:                "telegram-chat",
	`^#[^\s#]+$`:                                    "hashtag",
	`^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$`: "days",
	`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$`:                                                                      "time-window",
}

// PatternKeys lists the keys PatternMeaning returns, for the test that
// the catalog has a sentence for each.
func PatternKeys() []string {
	keys := make([]string, 0, len(patternMeanings))
	for _, k := range patternMeanings {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
