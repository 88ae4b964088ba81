package bluesky

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/bluesky-social/indigo/api/bsky"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// CardOptions say how link cards are fetched.
type CardOptions struct {
	// Disabled leaves link cards out.
	Disabled bool
	// LookupIP resolves a host name; default net.DefaultResolver's
	// LookupNetIP. Every address it gives is checked before it is dialled.
	LookupIP func(ctx context.Context, host string) ([]netip.Addr, error)
	// Timeout bounds the fetch of a card: its page and its image together;
	// default 5 s.
	Timeout time.Duration
}

const (
	cardTimeout  = 5 * time.Second
	maxCardPage  = 1 << 20   // bytes of a page read for its Open Graph tags
	maxCardThumb = 1_000_000 // app.bsky.embed.external's thumb: maxSize
	maxRedirects = 5
)

// errNotPublic is a card fetch refused because the address it would reach
// is not a public one.
var errNotPublic = errors.New("not a public address")

// cardFetcher reads the Open Graph tags of web pages, and their image,
// from the public internet only. Herald builds a link card itself (the
// PDS does not), by hand: no maintained Go library fetches Open Graph
// tags with an address guard.
type cardFetcher struct {
	opts   CardOptions
	client *http.Client
	// allowed says whether an address may be dialled: a public one; tests
	// loosen it to reach one loopback server of theirs.
	allowed func(netip.AddrPort) bool
}

func newCardFetcher(opts CardOptions) *cardFetcher {
	if opts.LookupIP == nil {
		opts.LookupIP = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = cardTimeout
	}
	f := &cardFetcher{opts: opts, allowed: func(ap netip.AddrPort) bool { return publicAddr(ap.Addr()) }}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy's address would be checked, not the page's
		DialContext:            f.dial,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    opts.Timeout,
		ResponseHeaderTimeout:  opts.Timeout,
		MaxResponseHeaderBytes: 64 << 10,
		MaxIdleConns:           4,
		IdleConnTimeout:        30 * time.Second,
	}
	f.client = &http.Client{
		Transport: transport,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("more than %d redirects", maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirect to %s: only http and https are fetched", req.URL.Scheme)
			}
			return nil
		},
	}
	return f
}

// dial resolves the host itself and dials each address in turn through a
// dialer whose Control refuses any address that is not public: the check
// runs on the address actually dialled, for the first request and every
// redirect, whatever DNS answered.
func (f *cardFetcher) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("port %q: %w", portText, err)
	}
	var ips []netip.Addr
	if ip, err := netip.ParseAddr(host); err == nil {
		ips = []netip.Addr{ip}
	} else if ips, err = f.opts.LookupIP(ctx, host); err != nil {
		return nil, err
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("%s has no address", host)
	}
	d := net.Dialer{Control: f.control}
	var firstErr error
	for _, ip := range ips {
		conn, err := d.DialContext(ctx, network, netip.AddrPortFrom(ip.Unmap(), uint16(port)).String())
		if err == nil {
			return conn, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, firstErr
}

// control runs before each connection is made, with its address.
func (f *cardFetcher) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("dial %s: %w", address, err)
	}
	if !f.allowed(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())) {
		return fmt.Errorf("dial %s: %w", ap.Addr(), errNotPublic)
	}
	return nil
}

// notPublic are the IPv4 and IPv6 ranges that netip's predicates do not
// name but that reach no public host: shared address space (CGNAT), the
// IETF protocol assignments, benchmarking, reserved, and the NAT64 and
// 6to4 prefixes, which can embed a private IPv4 address.
var notPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2002::/16"),
}

// publicAddr reports whether ip is an address of the public internet: not
// loopback, private, link-local (cloud metadata services live there),
// unspecified, multicast, nor one of notPublic.
func publicAddr(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() ||
		ip.IsLinkLocalMulticast() || ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() {
		return false
	}
	for _, p := range notPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// card is what a page says of itself.
type card struct {
	title, description string
	image              string // absolute http(s) URL, "" for none
	thumb              []byte // the image's bytes, nil when it could not be read
	thumbType          string
}

// fetch reads a page's Open Graph tags (og:title, og:description,
// og:image; <title> and the description meta tag when they are missing)
// and its image, within the fetcher's timeout.
func (f *cardFetcher) fetch(ctx context.Context, pageURL string) (*card, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opts.Timeout)
	defer cancel()
	u, err := url.Parse(pageURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%q is not an http(s) URL", pageURL)
	}
	resp, err := f.get(ctx, u.String(), "text/html,application/xhtml+xml")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/html" && mt != "application/xhtml+xml" {
		return nil, fmt.Errorf("%s is %q, not a web page", pageURL, mt)
	}
	c := readOpenGraph(io.LimitReader(resp.Body, maxCardPage), resp.Request.URL)
	if c.title == "" && c.description == "" {
		return nil, fmt.Errorf("%s has neither a title nor a description", pageURL)
	}
	if c.image != "" {
		c.thumb, c.thumbType, _ = f.image(ctx, c.image)
	}
	return c, nil
}

func (f *cardFetcher) get(ctx context.Context, u, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", userAgent)
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return resp, nil
}

// image reads a card's image: at most maxCardThumb bytes of an image type.
func (f *cardFetcher) image(ctx context.Context, u string) ([]byte, string, error) {
	resp, err := f.get(ctx, u, "image/*")
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCardThumb+1))
	if err != nil {
		return nil, "", err
	}
	if len(data) > maxCardThumb {
		return nil, "", fmt.Errorf("%s is larger than %d bytes", u, maxCardThumb)
	}
	mimeType := http.DetectContentType(data)
	switch mimeType {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
		return data, mimeType, nil
	}
	return nil, "", fmt.Errorf("%s is %s, not an image", u, mimeType)
}

// readOpenGraph reads the head of an HTML page for its card; base resolves
// a relative og:image.
func readOpenGraph(r io.Reader, base *url.URL) *card {
	var c card
	var title, description string
	z := html.NewTokenizer(r)
	inTitle := false
	for {
		switch z.Next() {
		case html.ErrorToken:
			return finishCard(&c, title, description, base)
		case html.TextToken:
			if inTitle && c.title == "" {
				title += string(z.Text())
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				inTitle = false
			case atom.Head:
				return finishCard(&c, title, description, base)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch atom.Lookup(name) {
			case atom.Title:
				inTitle = true
			case atom.Body:
				return finishCard(&c, title, description, base)
			case atom.Meta:
				var key, content string
				for hasAttr {
					var k, v []byte
					k, v, hasAttr = z.TagAttr()
					switch string(k) {
					case "property", "name":
						if key == "" || strings.HasPrefix(string(v), "og:") {
							key = strings.ToLower(string(v))
						}
					case "content":
						content = string(v)
					}
				}
				switch key {
				case "og:title":
					c.title = cmpOr(c.title, content)
				case "og:description":
					c.description = cmpOr(c.description, content)
				case "og:image", "og:image:url", "og:image:secure_url":
					c.image = cmpOr(c.image, content)
				case "description":
					description = cmpOr(description, content)
				}
			}
		}
	}
}

func finishCard(c *card, title, description string, base *url.URL) *card {
	c.title = clip(cmpOr(c.title, strings.TrimSpace(title)), 300)
	c.description = clip(cmpOr(c.description, description), 1000)
	if c.image != "" {
		u, err := base.Parse(strings.TrimSpace(c.image))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			c.image = ""
		} else {
			c.image = u.String()
		}
	}
	return c
}

func cmpOr(a, b string) string {
	if a = strings.TrimSpace(a); a != "" {
		return a
	}
	return strings.TrimSpace(b)
}

// clip cuts s to at most n runes, with an ellipsis.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// linkCard builds the app.bsky.embed.external of a link from its page,
// with the page's image uploaded as thumb; nil when the page cannot be
// read (the post goes without a card: a card never fails a post).
func (c *Client) linkCard(ctx context.Context, uri string) *bsky.EmbedExternal_External {
	if c.cards.opts.Disabled {
		return nil
	}
	page, err := c.cards.fetch(ctx, uri)
	if err != nil {
		c.logf("link card of %s left out: %v", uri, err)
		return nil
	}
	ext := &bsky.EmbedExternal_External{Uri: uri, Title: page.title, Description: page.description}
	if page.thumb != nil {
		if blob, err := c.uploadBlob(ctx, page.thumb, page.thumbType); err == nil {
			ext.Thumb = blob
		} else {
			c.logf("link card of %s: image left out: %v", uri, err)
		}
	}
	return ext
}
