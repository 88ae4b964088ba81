package schema

import (
	"regexp"
	"strconv"
	"strings"
)

// PatternMeaning returns, for the validator's message about a value that
// does not match a pattern of these schemas ("does not match pattern
// '^...$'"), what the pattern means and how to write a value it accepts.
func PatternMeaning(message string) (string, bool) {
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

// patternMeanings say in words what each pattern of schema/ allows, and
// how to write a value that it does: a regular expression is no message
// for a person. TestPatternMeanings keeps one for every pattern of the schemas.
var patternMeanings = map[string]string{
	`^[A-Za-z0-9][A-Za-z0-9._/-]*$`:              "is not a usable id: use letters, digits, '.', '_', '-' and '/', starting with a letter or digit (no spaces or accents)",
	`^[A-Za-z0-9][A-Za-z0-9_.-]*$`:               "is not a usable name: use letters, digits, '.', '_' and '-', starting with a letter or digit (no spaces or accents)",
	`^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$`:        "is not a BCP 47 language tag: write one such as fr-FR, en-US or de (with a hyphen, not an underscore)",
	`^https?://[^/]+`:                            "is not a URL: write it with http:// or https:// and a host, such as https://cdn.example.com/calendar/",
	`^https?://[^\s/]+`:                          "is not a URL: write it with http:// or https:// and a host, such as https://social.example",
	`^([0-9]+(\.[0-9]+)?(h|m|s|ms))+$`:           "is not a duration: write a number and a unit (h, m, s or ms), such as 90m, 2h or 1h30m",
	`^([0-9]+d|([0-9]+(\.[0-9]+)?(h|m|s|ms))+)$`: "is neither a number of days nor a duration: write one such as 30d or 72h",
	`^([0-9]+d|([0-9]+(h|m|s))+)$`:               "is neither a number of days nor a duration: write one such as 1d, 6h or 1h30m",
	`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`: "is not a Bluesky handle: write the account's domain name without @, such as maison.bsky.social",
	`^(pds$|https?://[^\s/]+)`:                      "is neither pds nor a URL: write pds, or the URL of a video service such as https://video.bsky.app",
	`^urn:li:(person|organization):[A-Za-z0-9_-]+$`: "is not a LinkedIn author: write urn:li:organization:N for a Page, or urn:li:person:ID for a member",
	`^20[0-9]{2}(0[1-9]|1[0-2])$`:                   "is not a LinkedIn-Version: write the year and month as YYYYMM, such as 202511",
	`^[0-9]+$`:                                      "is not a numeric id: write its digits only, in quotes, such as \"17841400000000000\"",
	`^(@[A-Za-z0-9_]{5,}|-?[0-9]+)$`:                "is not a Telegram chat: write @ and the channel's username (5 characters or more), or the chat's numeric id",
	`^#[^\s#]+$`:                                    "is not a hashtag: write # then the tag, without spaces, such as #NoelMaison",
	`^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$`: "is not a set of days: write days (mon, tue, wed, thu, fri, sat, sun) or ranges (mon-fri), separated by commas, such as mon-fri,sun",
	`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$`:                                                                      "is not a time window: write HH:MM-HH:MM on 24 hours, such as 08:00-20:00",
}
