// Package facets finds the Bluesky rich-text facets (links, mentions and
// hashtags) in a post's plain text, with the byte ranges the AT Protocol
// expects.
//
// The rules are those of the official client: detectFacets in the
// @atproto/api package (src/rich-text/detection.ts and the regexes of
// src/rich-text/util.ts, version 0.19.19), which the Bluesky app runs on
// every post it sends. No maintained Go library implements them (indigo has
// the facet types but no detection), so they are written here, on Go's
// regexp package, and tested against the cases of the TypeScript package's
// own tests.
//
// Where this package and detectFacets differ, on purpose:
//   - detectFacets may return facets that overlap (a mention written inside a
//     URL, a link inside a hashtag); Detect drops the later of two overlapping
//     facets, which is what RichText.segments does when the app renders them.
//   - detectFacets keeps a bare domain that happens to begin with "http"
//     ("httpbin.org") as a link to "httpbin.org", a URI with no scheme that a
//     PDS rejects; Detect treats it like any other bare domain (TLD check,
//     "https://" prepended).
//   - The TLD check uses xurls.TLDs (IANA's root zone plus the public suffix
//     list) where detectFacets uses the npm package "tlds" (IANA only); the
//     two lists differ by a few retired gTLDs and "onion".
package facets

import (
	"cmp"
	"slices"
)

// The kinds of facet, as the preview JSON names them.
const (
	Link    = "link"
	Tag     = "tag"
	Mention = "mention"
)

// Facet is one rich-text facet: the half-open byte range [ByteStart, ByteEnd)
// of the UTF-8 text it decorates, and what it points at.
type Facet struct {
	ByteStart int    `json:"byteStart"`
	ByteEnd   int    `json:"byteEnd"`
	Type      string `json:"type"`  // Link, Tag or Mention
	Value     string `json:"value"` // the URL, the tag without "#" ("$" and the ticker for a cashtag), the handle without "@"
}

// Detect returns the facets of text in text order. The ranges are byte
// offsets into text, on rune boundaries, and never overlap. A mention's Value
// is the handle as written: resolving it to a DID is the publisher's job.
func Detect(text string) []Facet {
	var found []Facet
	// The order of detectFacets, which decides which of two overlapping
	// facets starting at the same byte survives (none of these rules can make
	// two facets start at the same byte today).
	found = appendMentions(found, text)
	found = appendLinks(found, text)
	found = appendTags(found, text)
	found = appendCashtags(found, text)
	return arrange(found)
}

// arrange sorts facets by start, keeping the detection order among those that
// start at the same byte, and drops each facet that starts inside the previous
// one kept, as RichText.segments does.
func arrange(facets []Facet) []Facet {
	if len(facets) == 0 {
		return nil
	}
	slices.SortStableFunc(facets, func(a, b Facet) int { return cmp.Compare(a.ByteStart, b.ByteStart) })
	kept := facets[:0]
	end := 0
	for _, f := range facets {
		if f.ByteStart < end {
			continue
		}
		kept = append(kept, f)
		end = f.ByteEnd
	}
	return kept
}
