package preview

import (
	"cmp"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/render"
	"github.com/herald-social/herald/pipeline/render/facets"
)

// postPage is a post's page: a card per account, as the network shows it.
type postPage struct {
	W *siteWords
	// Lang is the charter's locale: the language of the posts' text, which
	// may differ from the page's (W.Lang).
	Title, Root, Month, Date, ID, Path, Lang string
	Assets                                   template.HTML // the style sheet and scripts, for Root
	Draft                                    bool
	Campaign                                 *campaignView
	Tags                                     []string
	Diagnostics                              []diagView
	Cards                                    template.HTML // see cardsHTML
}

type cardView struct {
	Network string
	Head    template.HTML // the account's avatar, name and handle: see cardHead
	Thread  bool          // several parts
	Parts   []partView
	Notes   []string // what the text will not do on the network (Entry.Notes)
}

// cardHead is how a network shows who posts: the part of a card that is
// the same on every post of an account.
type cardHead struct {
	Brand, Initial, Handle, NetworkName string
}

// partView is one post of a thread. Plain text comes as segments, the
// links, hashtags and mentions with their own kind; text in a markup
// (Telegram or feed HTML, Discord or Slack Markdown) is shown as sent.
type partView struct {
	Raw           bool
	Dialect, Text string // when Raw; Dialect says "Discord Markdown as sent"
	Segments      []segment
	Media         []mediumView
	Count         string // the part's number in a thread, its length and limit
	OverBy        int    // how much too long, in the network's unit
	Over          string // OverBy in words: "12 too many"
}

type segment struct{ Text, Href, Kind string }

type mediumView struct {
	Src, Alt, Name, Why string // Src, from the page, is "" when the medium cannot be shown, and Why says why, with its Name
	Video               bool
}

var networkNames = map[string]string{
	"mastodon": "Mastodon", "bluesky": "Bluesky", "x": "X", "linkedin": "LinkedIn", "facebook": "Facebook",
	"instagram": "Instagram", "threads": "Threads", "discord": "Discord", "slack": "Slack", "telegram": "Telegram",
	"webhook": "Webhook", "feed": "Feed", "outbox": "Outbox",
}

// translatedNetworks are Herald's own channels, whose names are words of
// the language rather than brands.
var translatedNetworks = map[string]bool{"webhook": true, "feed": true, "outbox": true}

var dialectNames = map[render.Dialect]string{
	render.Discord: "Discord Markdown", render.Slack: "Slack mrkdwn", render.Telegram: "Telegram HTML", render.HTML: "HTML",
}

func (s *site) postPage(p *sitePost) *postPage {
	c := s.chip(p)
	pr := s.p
	page := &postPage{
		W: s.words, Title: cmp.Or(p.Title.Value, p.ID), Root: strings.Repeat("../", strings.Count(p.page, "/")),
		ID: p.ID, Path: p.Path, Lang: p.cal.Charter.Locale, Draft: p.IsDraft(),
		Diagnostics: diagViews(pr, p.Diagnostics),
	}
	page.Assets = s.assets[page.Root]
	if !c.when.IsZero() {
		page.Date = pr.DateTime(c.when) + " " + c.when.Format("MST")
		page.Month = "m" + c.when.Format("2006-01")
	}
	if camp, ok := s.campaigns[p.Campaign.Value]; ok {
		page.Campaign = &camp
	}
	for _, t := range p.Tags {
		page.Tags = append(page.Tags, t.Value)
	}
	detected := map[string][]facets.Facet{}      // accounts often get the same text
	entries := postEntries(p.cal, p.Post, false) // the cards find their facets
	cards := make([]cardView, 0, len(entries))
	for _, e := range entries {
		cards = append(cards, s.card(p, e, page.Root, detected))
	}
	page.Cards = cardsHTML(cards, s.words)
	return page
}

func (s *site) card(p *sitePost, e Entry, root string, detected map[string][]facets.Facet) cardView {
	a := e.Account
	pr := s.p
	c := cardView{Network: a.Network, Head: s.heads[a], Notes: e.Notes(pr)}
	parts := e.Rendering.Parts
	c.Thread = len(parts) > 1
	for i, part := range parts {
		pv := partView{Count: e.count(pr, i)}
		if c.Thread {
			pv.Count = strconv.Itoa(i+1) + "/" + strconv.Itoa(len(parts)) + " · " + pv.Count
		}
		if e.Over(i) {
			pv.OverBy = e.Lengths[i] - e.Limits[i]
			pv.Over = pr.N("preview.site.over-by", pv.OverBy, nil)
		}
		if d := e.Rendering.Dialect; d != render.Plain {
			pv.Raw, pv.Dialect, pv.Text = true, pr.T("preview.site.as-sent", i18n.Args{"Dialect": dialectNames[d]}), part.Text
		} else {
			fs, ok := detected[part.Text]
			if !ok {
				fs = facets.Detect(part.Text)
				detected[part.Text] = fs
			}
			pv.Segments = segments(part.Text, fs, a)
		}
		for _, m := range part.Media {
			ref := s.media.lookup(p.Post, m.Src.Value)
			mv := mediumView{Video: ref.video, Alt: m.Alt.Value, Name: m.Src.Value}
			if why := ref.whyText(pr); why != "" {
				mv.Why = pr.T("preview.medium.not-shown-as", i18n.Args{"Name": mv.Name, "Why": why})
			}
			if ref.rel != "" {
				mv.Src = root + ref.rel
			}
			pv.Media = append(pv.Media, mv)
		}
		c.Parts = append(c.Parts, pv)
	}
	return c
}

// newCardHead is the head of the cards of an account of a calendar.
func newCardHead(p *i18n.Printer, cal *check.Calendar, a *load.Account) cardHead {
	name := networkNames[a.Network]
	if translatedNetworks[a.Network] {
		name = p.T("preview.site.network."+a.Network, nil)
	}
	h := cardHead{Brand: cal.Charter.Brand, Handle: handleOf(a), NetworkName: cmp.Or(name, a.Network)}
	if a.Network == "feed" && a.Title != "" {
		h.Brand = a.Title
	}
	if a.Key != a.Network {
		h.NetworkName += " · " + a.Key
	}
	if first, _, _, _ := uniseg.FirstGraphemeClusterInString(h.Brand, -1); first != "" {
		h.Initial = strings.ToUpper(first)
	}
	return h
}

// segments cuts text at its facets.
func segments(text string, fs []facets.Facet, a *load.Account) []segment {
	var out []segment
	at := 0
	for _, f := range fs {
		if f.ByteStart < at || f.ByteEnd > len(text) {
			continue
		}
		if f.ByteStart > at {
			out = append(out, segment{Text: text[at:f.ByteStart]})
		}
		out = append(out, segment{Text: text[f.ByteStart:f.ByteEnd], Kind: f.Type, Href: facetHref(f, a)})
		at = f.ByteEnd
	}
	if at < len(text) {
		out = append(out, segment{Text: text[at:]})
	}
	return out
}

// facetHref is where the network links a facet; "" when it does not.
func facetHref(f facets.Facet, a *load.Account) string {
	switch f.Type {
	case facets.Link:
		if a.Network == "instagram" {
			return "" // a caption's links are plain text (Entry.Notes says so)
		}
		if u := strings.ToLower(f.Value); strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
			return f.Value
		}
	case facets.Tag:
		tag := url.PathEscape(f.Value)
		switch a.Network {
		case "bluesky":
			return "https://bsky.app/hashtag/" + tag
		case "mastodon":
			if u, err := url.Parse(a.Server); err == nil && u.Host != "" {
				return "https://" + u.Host + "/tags/" + tag
			}
		case "x":
			return "https://x.com/hashtag/" + tag
		case "linkedin":
			return "https://www.linkedin.com/feed/hashtag/" + tag
		case "facebook":
			return "https://www.facebook.com/hashtag/" + tag
		case "instagram":
			return "https://www.instagram.com/explore/tags/" + tag + "/"
		case "threads":
			return "https://www.threads.net/search?q=%23" + url.QueryEscape(f.Value)
		}
	case facets.Mention:
		switch a.Network {
		case "bluesky":
			return "https://bsky.app/profile/" + url.PathEscape(f.Value)
		case "x":
			return "https://x.com/" + url.PathEscape(f.Value)
		}
	}
	return ""
}

// handleOf is how the network names the account on a post, as far as the
// charter says.
func handleOf(a *load.Account) string {
	switch a.Network {
	case "bluesky":
		if a.Handle != "" {
			return "@" + a.Handle
		}
	case "mastodon":
		if u, err := url.Parse(a.Server); err == nil && u.Host != "" {
			return u.Host
		}
	case "feed":
		return cmp.Or(a.Link, a.Path)
	case "outbox":
		return a.Dir
	}
	return "" // the charter does not say
}
