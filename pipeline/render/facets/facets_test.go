package facets

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"mvdan.cc/xurls/v2"
)

type detectCase struct {
	text string
	want []Facet
}

// portedCases are the inputs of @atproto/api 0.19.19's
// tests/rich-text-detection.test.ts ("detectFacets", "correctly detects tags
// inline", "correctly detects cashtags inline"), in its order. The want of each
// is what the test expects of RichText.segments there, turned into byte
// ranges: a mention's value is the handle the test's fake resolver gets.
var portedCases = []detectCase{
	// detectFacets suite
	{"no mention", nil},
	{"@handle.com middle end", []Facet{{0, 11, Mention, "handle.com"}}},
	{"start @handle.com end", []Facet{{6, 17, Mention, "handle.com"}}},
	{"start middle @handle.com", []Facet{{13, 24, Mention, "handle.com"}}},
	{"@handle.com @handle.com @handle.com", []Facet{{0, 11, Mention, "handle.com"}, {12, 23, Mention, "handle.com"}, {24, 35, Mention, "handle.com"}}},
	{"@full123-chars.test", []Facet{{0, 19, Mention, "full123-chars.test"}}},
	{"not@right", nil},
	{"@handle.com!@#$chars", []Facet{{0, 11, Mention, "handle.com"}}},
	{"@handle.com\n@handle.com", []Facet{{0, 11, Mention, "handle.com"}, {12, 23, Mention, "handle.com"}}},
	{"parenthetical (@handle.com)", []Facet{{15, 26, Mention, "handle.com"}}},
	{"👨\u200d👩\u200d👧\u200d👧 @handle.com 👨\u200d👩\u200d👧\u200d👧", []Facet{{26, 37, Mention, "handle.com"}}},
	{"start https://middle.com end", []Facet{{6, 24, Link, "https://middle.com"}}},
	{"start https://middle.com/foo/bar end", []Facet{{6, 32, Link, "https://middle.com/foo/bar"}}},
	{"start https://middle.com/foo/bar?baz=bux end", []Facet{{6, 40, Link, "https://middle.com/foo/bar?baz=bux"}}},
	{"start https://middle.com/foo/bar?baz=bux#hash end", []Facet{{6, 45, Link, "https://middle.com/foo/bar?baz=bux#hash"}}},
	{"https://start.com/foo/bar?baz=bux#hash middle end", []Facet{{0, 38, Link, "https://start.com/foo/bar?baz=bux#hash"}}},
	{"start middle https://end.com/foo/bar?baz=bux#hash", []Facet{{13, 49, Link, "https://end.com/foo/bar?baz=bux#hash"}}},
	{"https://newline1.com\nhttps://newline2.com", []Facet{{0, 20, Link, "https://newline1.com"}, {21, 41, Link, "https://newline2.com"}}},
	{"👨\u200d👩\u200d👧\u200d👧 https://middle.com 👨\u200d👩\u200d👧\u200d👧", []Facet{{26, 44, Link, "https://middle.com"}}},
	{"start middle.com end", []Facet{{6, 16, Link, "https://middle.com"}}},
	{"start middle.com/foo/bar end", []Facet{{6, 24, Link, "https://middle.com/foo/bar"}}},
	{"start middle.com/foo/bar?baz=bux end", []Facet{{6, 32, Link, "https://middle.com/foo/bar?baz=bux"}}},
	{"start middle.com/foo/bar?baz=bux#hash end", []Facet{{6, 37, Link, "https://middle.com/foo/bar?baz=bux#hash"}}},
	{"start.com/foo/bar?baz=bux#hash middle end", []Facet{{0, 30, Link, "https://start.com/foo/bar?baz=bux#hash"}}},
	{"start middle end.com/foo/bar?baz=bux#hash", []Facet{{13, 41, Link, "https://end.com/foo/bar?baz=bux#hash"}}},
	{"newline1.com\nnewline2.com", []Facet{{0, 12, Link, "https://newline1.com"}, {13, 25, Link, "https://newline2.com"}}},
	{"a example.com/index.php php link", []Facet{{2, 23, Link, "https://example.com/index.php"}}},
	{"a trailing bsky.app: colon", []Facet{{11, 19, Link, "https://bsky.app"}}},
	{"not.. a..url ..here", nil},
	{"e.g.", nil},
	{"something-cool.jpg", nil},
	{"website.com.jpg", nil},
	{"e.g./foo", nil},
	{"website.com.jpg/foo", nil},
	{"Classic article https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/", []Facet{{16, 94, Link, "https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/"}}},
	{"Classic article https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/ ", []Facet{{16, 94, Link, "https://socket3.wordpress.com/2018/02/03/designing-windows-95s-user-interface/"}}},
	{"https://foo.com https://bar.com/whatever https://baz.com", []Facet{{0, 15, Link, "https://foo.com"}, {16, 40, Link, "https://bar.com/whatever"}, {41, 56, Link, "https://baz.com"}}},
	{"punctuation https://foo.com, https://bar.com/whatever; https://baz.com.", []Facet{{12, 27, Link, "https://foo.com"}, {29, 53, Link, "https://bar.com/whatever"}, {55, 70, Link, "https://baz.com"}}},
	{"parenthentical (https://foo.com)", []Facet{{16, 31, Link, "https://foo.com"}}},
	{"except for https://foo.com/thing_(cool)", []Facet{{11, 39, Link, "https://foo.com/thing_(cool)"}}},
	// tags suite
	{"#a", []Facet{{0, 2, Tag, "a"}}},
	{"#a #b", []Facet{{0, 2, Tag, "a"}, {3, 5, Tag, "b"}}},
	{"#1", nil},
	{"#1a", []Facet{{0, 3, Tag, "1a"}}},
	{"#tag", []Facet{{0, 4, Tag, "tag"}}},
	{"body #tag", []Facet{{5, 9, Tag, "tag"}}},
	{"#tag body", []Facet{{0, 4, Tag, "tag"}}},
	{"body #tag body", []Facet{{5, 9, Tag, "tag"}}},
	{"body #1", nil},
	{"body #1a", []Facet{{5, 8, Tag, "1a"}}},
	{"body #a1", []Facet{{5, 8, Tag, "a1"}}},
	{"#", nil},
	{"#?", nil},
	{"text #", nil},
	{"text # text", nil},
	{"body #thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", []Facet{{5, 70, Tag, "thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}},
	{"body #thisisa65characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", nil},
	{"body #thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", []Facet{{5, 70, Tag, "thisisa64characterstring_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}},
	{"its a #double#rainbow", []Facet{{6, 21, Tag, "double#rainbow"}}},
	{"##hashash", []Facet{{0, 9, Tag, "#hashash"}}},
	{"##", nil},
	{"some #n0n3s@n5e!", []Facet{{5, 15, Tag, "n0n3s@n5e"}}},
	{"works #with,punctuation", []Facet{{6, 23, Tag, "with,punctuation"}}},
	{"strips trailing #punctuation, #like. #this!", []Facet{{16, 28, Tag, "punctuation"}, {30, 35, Tag, "like"}, {37, 42, Tag, "this"}}},
	{"strips #multi_trailing___...", []Facet{{7, 22, Tag, "multi_trailing"}}},
	{"works with #🦋 emoji, and #butter🦋fly", []Facet{{11, 16, Tag, "🦋"}, {28, 42, Tag, "butter🦋fly"}}},
	{"#same #same #but #diff", []Facet{{0, 5, Tag, "same"}, {6, 11, Tag, "same"}, {12, 16, Tag, "but"}, {17, 22, Tag, "diff"}}},
	{"this #\ufe0f\u20e3tag should not be a tag", nil},
	{"this ##\ufe0f\u20e3tag should be a tag", []Facet{{5, 16, Tag, "#\ufe0f\u20e3tag"}}},
	{"this #t\nag should be a tag", []Facet{{5, 7, Tag, "t"}}},
	{"no match (\\u200B): #\u200b", nil},
	{"no match (\\u200Ba): #\u200ba", nil},
	{"match (a\\u200Bb): #a\u200bb", []Facet{{18, 20, Tag, "a"}}},
	{"match (ab\\u200B): #ab\u200b", []Facet{{18, 21, Tag, "ab"}}},
	{"no match (\\u20e2tag): #\u20e2tag", nil},
	{"no match (a\\u20e2b): #a\u20e2b", []Facet{{21, 23, Tag, "a"}}},
	{"match full width number sign (tag): ＃tag", []Facet{{36, 42, Tag, "tag"}}},
	{"match full width number sign (tag): ＃#\ufe0f\u20e3tag", []Facet{{36, 49, Tag, "#\ufe0f\u20e3tag"}}},
	{"no match 1?: #1?", nil},
	// cashtags suite
	{"$AAPL", []Facet{{0, 5, Tag, "$AAPL"}}},
	{"$aapl", []Facet{{0, 5, Tag, "$AAPL"}}},
	{"$A", []Facet{{0, 2, Tag, "$A"}}},
	{"$a", []Facet{{0, 2, Tag, "$A"}}},
	{"$BTC $ETH", []Facet{{0, 4, Tag, "$BTC"}, {5, 9, Tag, "$ETH"}}},
	{"$100", nil},
	{"$GOOGL", []Facet{{0, 6, Tag, "$GOOGL"}}},
	{"$TOOLONG", nil},
	{"check $LEGO now", []Facet{{6, 11, Tag, "$LEGO"}}},
	{"($GOOG)", []Facet{{1, 6, Tag, "$GOOG"}}},
	{"$AAPL.", []Facet{{0, 5, Tag, "$AAPL"}}},
	{"$AAPL, $MSFT!", []Facet{{0, 5, Tag, "$AAPL"}, {7, 12, Tag, "$MSFT"}}},
	{"no$SPACE", nil},
	{"$", nil},
	{"$ AAPL", nil},
	{"$123ABC", nil},
	{"$ABC12", []Facet{{0, 6, Tag, "$ABC12"}}},
	{"$ABC123", nil},
}

// ownCases were checked against detectFacets of @atproto/api 0.19.19 unless
// they say otherwise.
var ownCases = []detectCase{
	// Byte offsets, not runes nor UTF-16 units: "é", "è" and "à" are two
	// bytes each.
	{"Découvrez l'été à Genève : https://example.ch/événements", []Facet{{32, 63, Link, "https://example.ch/événements"}}},
	{"Rendez-vous à l'hôtel, réservé sur example.fr/réservation.", []Facet{{39, 62, Link, "https://example.fr/réservation"}}},
	// Emoji are four bytes, and a ZWJ sequence or a flag is several.
	{"🦋🎉 #GoLang", []Facet{{9, 16, Tag, "GoLang"}}},
	{"👩🏽\u200d💻 on a mis 3 émojis 🇫🇷 avant #Lancement2026!", []Facet{{50, 64, Tag, "Lancement2026"}}},
	{"今日は\u3000＃テスト", []Facet{{12, 24, Tag, "テスト"}}},
	// Numbers are not tags.
	{"#2026", nil},
	{"en #2026 !", nil},
	// One trailing punctuation mark leaves a link, then one unbalanced ")".
	{"see example.org.", []Facet{{4, 15, Link, "https://example.org"}}},
	{"example.org...", []Facet{{0, 13, Link, "https://example.org.."}}},
	{"example.org.)", []Facet{{0, 12, Link, "https://example.org."}}},
	{"(see https://example.org/a)", []Facet{{5, 26, Link, "https://example.org/a"}}},
	{"(https://en.wikipedia.org/wiki/Go_(language))", []Facet{{1, 45, Link, "https://en.wikipedia.org/wiki/Go_(language))"}}},
	{"https://example.org\u3000next", []Facet{{0, 19, Link, "https://example.org"}}},
	// Mentions.
	{"thanks @alice.bsky.social, great talk", []Facet{{7, 25, Mention, "alice.bsky.social"}}},
	{"@alice.bsky.social.", []Facet{{0, 18, Mention, "alice.bsky.social"}}},
	{"(@alice.bsky.social)", []Facet{{1, 19, Mention, "alice.bsky.social"}}},
	{"mail bob@example.com now", nil},
	{"@Alice.Bsky.Social", nil}, // the TLD check is case-sensitive
	{"@alice.com_x", nil},
	{"@nope.invalidtld", nil},
	{"x\u0085@alice.test", nil}, // NEL is a space to Go, not to JavaScript
	{"x\ufeff@alice.test", []Facet{{4, 15, Mention, "alice.test"}}},
	{"\u00a0#tag", []Facet{{2, 6, Tag, "tag"}}},
	{"\u0085#tag", nil},
	// Links that are not.
	{"HTTPS://EXAMPLE.COM", nil},
	{"Example.COM", nil},
	{"foo-bar.com", nil},
	{"sub.foo-bar.com", []Facet{{0, 15, Link, "https://sub.foo-bar.com"}}},
	{"http://", nil},
	{"ftp://example.org", nil},
	// A tag's length is counted in UTF-16 code units, as JavaScript does.
	{"#" + strings.Repeat("🦋", 32), []Facet{{0, 129, Tag, strings.Repeat("🦋", 32)}}},
	{"#" + strings.Repeat("🦋", 33), nil},
	{"#" + strings.Repeat("é", 64), []Facet{{0, 129, Tag, strings.Repeat("é", 64)}}},
	{"#" + strings.Repeat("é", 65), nil},
	// Cashtags.
	{"$AAPL’s", []Facet{{0, 5, Tag, "$AAPL"}}},
	// detectFacets also finds the second facet of each of these, inside the
	// first; Detect drops it as RichText.segments does.
	{"https://example.com/(@alice.test", []Facet{{0, 32, Link, "https://example.com/(@alice.test"}}},
	{"#x(example.com", []Facet{{0, 14, Tag, "x(example.com"}}},
	{"#x($AAPL)", []Facet{{0, 8, Tag, "x($AAPL"}}},
	// detectFacets gives the URI "httpbin.org/get", which has no scheme.
	{"httpbin.org/get", []Facet{{0, 15, Link, "https://httpbin.org/get"}}},
	{"https.com", []Facet{{0, 9, Link, "https://https.com"}}},
	{"", nil},
}

func TestDetect(t *testing.T) {
	for _, set := range []struct {
		name  string
		cases []detectCase
	}{{"ported", portedCases}, {"own", ownCases}} {
		t.Run(set.name, func(t *testing.T) {
			for _, tc := range set.cases {
				t.Run(tc.text, func(t *testing.T) {
					got := Detect(tc.text)
					if diff := cmp.Diff(tc.want, got); diff != "" {
						t.Errorf("Detect(%q) mismatch (-want +got):\n%s", tc.text, diff)
					}
				})
			}
		})
	}
}

func TestTLDsSorted(t *testing.T) {
	// validDomain searches xurls.TLDs by bisection.
	if !slices.IsSorted(xurls.TLDs) {
		t.Fatal("xurls.TLDs is not sorted: validDomain needs another lookup")
	}
}
