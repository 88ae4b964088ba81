package bluesky

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky/blueskytest"
)

func TestPublicAddr(t *testing.T) {
	for addr, public := range map[string]bool{
		"93.184.215.14": true, "2606:2800:21f:cb07:6820:80da:af6b:8b2c": true, "8.8.8.8": true,
		"127.0.0.1": false, "127.8.9.10": false, "::1": false,
		"10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "fd00::1": false,
		"169.254.169.254": false, "fe80::1": false, // cloud metadata, link-local
		"0.0.0.0": false, "::": false, "224.0.0.1": false, "ff02::1": false,
		"100.64.0.1": false, "198.18.0.1": false, "240.0.0.1": false, "255.255.255.255": false,
		"::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "64:ff9b::a00:1": false, "2002:a00:1::": false,
	} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != public {
			t.Errorf("publicAddr(%s) = %v, want %v", addr, got, public)
		}
	}
}

func TestReadOpenGraph(t *testing.T) {
	base, _ := url.Parse("https://news.example.com/2026/article")
	tests := []struct {
		name, page string
		want       card
	}{
		{"open graph", `<!doctype html><html><head><title>Ignored</title>
			<meta property="og:title" content="L&#39;Avent &amp; Noël">
			<meta property="og:description" content="  Vingt-quatre   jours. ">
			<meta property="og:image" content="/img/avent.png"></head><body>`,
			card{title: "L'Avent & Noël", description: "Vingt-quatre jours.", image: "https://news.example.com/img/avent.png"}},
		{"fallbacks", `<html><head><title> Le titre </title><meta name="description" content="La description"></head>`,
			card{title: "Le titre", description: "La description"}},
		{"tags in the body are not read", `<html><head></head><body><meta property="og:title" content="no">`, card{}},
		{"an image that is no http(s) URL", `<meta property="og:title" content="t"><meta property="og:image" content="javascript:alert(1)">`,
			card{title: "t"}},
		{"an absolute image", `<meta property="og:title" content="t"><meta property="og:image:secure_url" content="https://cdn.example.net/a.jpg">`,
			card{title: "t", image: "https://cdn.example.net/a.jpg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readOpenGraph(strings.NewReader(tt.page), base)
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(card{})); diff != "" {
				t.Errorf("card (-want +got):\n%s", diff)
			}
		})
	}
}

// resolver maps host names to addresses, as DNS would.
func resolver(t *testing.T, names map[string]string) func(context.Context, string) ([]netip.Addr, error) {
	return func(_ context.Context, host string) ([]netip.Addr, error) {
		a, ok := names[host]
		if !ok {
			t.Errorf("resolved %s, which the test does not know", host)
			return nil, errors.New("no such host")
		}
		return []netip.Addr{netip.MustParseAddr(a)}, nil
	}
}

// site is a web server on loopback that counts the requests it gets.
func site(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// onlyLoopback is a guard that lets the fetcher reach one port on
// loopback, where a test's site listens, and nothing else that is not
// public.
func onlyLoopback(port string) func(netip.AddrPort) bool {
	return func(ap netip.AddrPort) bool {
		return publicAddr(ap.Addr()) || (ap.Addr().IsLoopback() && fmt.Sprint(ap.Port()) == port)
	}
}

func port(srv *httptest.Server) string {
	u, _ := url.Parse(srv.URL)
	return u.Port()
}

func TestLinkCard(t *testing.T) {
	thumb := pngOf(t, 4, 2)
	page, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/article":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><meta property="og:title" content="Le calendrier de l'Avent">
				<meta property="og:description" content="Une case par jour."><meta property="og:image" content="/thumb.png"></head></html>`)
		case "/thumb.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(thumb)
		default:
			http.NotFound(w, r)
		}
	})
	f := blueskytest.NewPDS(t)
	c := newClient(t, f.URL(), "", CardOptions{LookupIP: resolver(t, map[string]string{"news.example.com": "127.0.0.1"})})
	c.cards.allowed = onlyLoopback(port(page))
	link := "http://news.example.com:" + port(page) + "/article"
	p := networks.Publication{PostID: "p", Parts: []networks.Part{{Text: "Lisez " + link + " !"}, {Text: "Sans carte : " + link}}, When: time.Now()}
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	uploads := f.Calls("com.atproto.repo.uploadBlob")
	if len(uploads) != 2 || uploads[0].ContentType != "image/png" || string(uploads[0].Body) != string(thumb) {
		t.Fatalf("uploadBlob: %d calls, want the card's image as image/png for each part", len(uploads))
	}
	creates := f.Calls("com.atproto.repo.createRecord")
	got := decode(t, creates[0].Body).(map[string]any)["record"].(map[string]any)["embed"]
	want := decode(t, []byte(`{"$type":"app.bsky.embed.external","external":{"uri":"`+link+`",
		"title":"Le calendrier de l'Avent","description":"Une case par jour.",
		"thumb":{"$type":"blob","ref":{"$link":"`+blueskytest.BlobCIDs[0]+`"},"mimeType":"image/png","size":`+fmt.Sprint(len(thumb))+`}}}`))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("embed (-want +got):\n%s", diff)
	}
}

func TestLinkCardGuard(t *testing.T) {
	page, hits := site(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<meta property="og:title" content="secret">`)
	})
	redirect, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	names := map[string]string{"news.example.com": "10.20.30.40", "loopback.example.com": "127.0.0.1",
		"public.example.com": "127.0.0.1", "internal.example.com": "10.0.0.7"}
	tests := []struct {
		name      string
		url       string
		loosen    bool // the redirecting site, on loopback, may be reached
		notPublic bool // refused by the address guard
	}{
		{"loopback address", page.URL, false, true},
		{"a name resolving to loopback", "http://loopback.example.com:" + port(page) + "/", false, true},
		{"a public-looking name resolving to 10.x", "http://news.example.com:" + port(page) + "/", false, true},
		{"a redirect to a private address", "http://public.example.com:" + port(redirect) + "/?to=" + url.QueryEscape("http://internal.example.com:"+port(page)+"/"), true, true},
		{"a redirect to loopback", "http://public.example.com:" + port(redirect) + "/?to=" + url.QueryEscape(page.URL), true, true},
		{"a redirect to file:", "http://public.example.com:" + port(redirect) + "/?to=" + url.QueryEscape("file:///etc/passwd"), true, false},
		{"not http", "ftp://public.example.com/", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newCardFetcher(CardOptions{LookupIP: resolver(t, names)})
			if tt.loosen {
				f.allowed = onlyLoopback(port(redirect))
			}
			before := hits.Load()
			_, err := f.fetch(context.Background(), tt.url)
			if err == nil {
				t.Fatal("the card was fetched")
			}
			if errors.Is(err, errNotPublic) != tt.notPublic {
				t.Errorf("error %v; want the address guard's refusal: %v", err, tt.notPublic)
			}
			if hits.Load() != before {
				t.Error("the page was reached")
			}
		})
	}

	// Through Publish: the post goes out without a card.
	pds := blueskytest.NewPDS(t)
	c := newClient(t, pds.URL(), "", CardOptions{LookupIP: resolver(t, names)})
	p := networks.Publication{PostID: "p", Parts: []networks.Part{{Text: "Lisez http://news.example.com:" + port(page) + "/ !"}}, When: time.Now()}
	if _, err := c.Publish(context.Background(), p); err != nil {
		t.Fatalf("a card that cannot be fetched failed the post: %v", err)
	}
	if _, ok := decode(t, pds.Calls("com.atproto.repo.createRecord")[0].Body).(map[string]any)["record"].(map[string]any)["embed"]; ok {
		t.Error("the post has an embed")
	}
}

func TestLinkCardLimits(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	big := strings.Repeat("<p>x</p>", maxCardPage/8+1)
	srv, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/slow":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "/long": // the tags come after the first megabyte
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, big+`<title>too far</title>`)
		case "/pdf":
			w.Header().Set("Content-Type", "application/pdf")
			fmt.Fprint(w, `<title>not a page</title>`)
		case "/big-image":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<title>Page</title><meta property="og:image" content="/big.png">`)
		case "/big.png":
			w.Write(append(pngOf(t, 1, 1), make([]byte, maxCardThumb)...))
		case "/not-image":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<title>Page</title><meta property="og:image" content="/slow">`)
		}
	})
	f := newCardFetcher(CardOptions{Timeout: 300 * time.Millisecond})
	f.allowed = onlyLoopback(port(srv))
	ctx := context.Background()

	start := time.Now()
	if _, err := f.fetch(ctx, srv.URL+"/slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a page that does not answer: %v, want the deadline", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("a page that does not answer took %s", d)
	}
	if _, err := f.fetch(ctx, srv.URL+"/long"); err == nil {
		t.Error("a title after the first megabyte was read")
	}
	if _, err := f.fetch(ctx, srv.URL+"/pdf"); err == nil {
		t.Error("a PDF made a card")
	}
	c, err := f.fetch(ctx, srv.URL+"/big-image")
	if err != nil || c.title != "Page" || c.thumb != nil {
		t.Errorf("a page whose image is over %d bytes: %+v, %v; want a card without thumb", maxCardThumb, c, err)
	}
	c, err = f.fetch(ctx, srv.URL+"/not-image")
	if err != nil || c.title != "Page" || c.thumb != nil {
		t.Errorf("a page whose image does not come: %+v, %v; want a card without thumb", c, err)
	}
}
