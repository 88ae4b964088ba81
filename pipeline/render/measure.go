package render

import (
	"html"
	"regexp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/netspec"
	"github.com/herald-social/herald/pipeline/render/length"
)

// Length is the length of a part's text as the account's network counts
// it against its limit, in the unit UnitOf gives: X's weighted length,
// Bluesky's graphemes, Mastodon's countable text (URLs as 23, remote
// mentions as @user), a Telegram text without its HTML markup, and code
// points elsewhere.
func Length(a *load.Account, text string) int {
	switch a.Network {
	case "x":
		return length.X(text)
	case "bluesky":
		return length.Graphemes(text)
	case "mastodon":
		if a.URLLength > 0 {
			return length.Mastodon(text, a.URLLength) // the server's, cached by herald stats
		}
		return length.Mastodon(text, length.MastodonURLLength)
	case "telegram":
		return length.Characters(telegramVisible(text))
	}
	return length.Characters(text)
}

// HasLimit reports whether a part may ever be too long on the account's
// network: false where Limit is always 0 (webhook, feed, outbox).
func HasLimit(a *load.Account) bool {
	spec, _ := netspec.Lookup(a.Network)
	return spec.TextLimit > 0 || spec.CaptionLimit > 0 || a.Network == "mastodon" && a.MaxCharacters > 0
}

// Limit is the longest a part may be on the account's network, in the unit
// of Length; 0 where the network has none (webhook, feed, outbox). A
// Mastodon account's max_characters replaces the default 500, and a
// Telegram part that carries media is a caption, limited to 1024.
func Limit(a *load.Account, part Part) int {
	spec, _ := netspec.Lookup(a.Network)
	if a.Network == "mastodon" && a.MaxCharacters > 0 {
		return a.MaxCharacters
	}
	if len(part.Media) > 0 && spec.CaptionLimit > 0 {
		return spec.CaptionLimit
	}
	return spec.TextLimit
}

// UnitOf is the unit in which the account's network counts a text: weighted
// for X, graphemes for Bluesky and Mastodon, characters elsewhere.
func UnitOf(a *load.Account) netspec.Unit {
	if spec, ok := netspec.Lookup(a.Network); ok {
		return spec.Unit
	}
	return netspec.Characters
}

// telegramTag is an HTML tag as the Telegram dialect writes it; the text it
// escapes never holds a "<" of its own.
var telegramTag = regexp.MustCompile(`<[^>]*>`)

// telegramVisible is a text in Telegram's HTML parse mode as Telegram
// counts it, "after entities parsing": without its tags, its entities
// resolved.
func telegramVisible(text string) string {
	return html.UnescapeString(telegramTag.ReplaceAllString(text, ""))
}
