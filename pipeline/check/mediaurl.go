package check

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// mediaURLParallel is how many media URLs check --online fetches at once,
// as many as it resolves Bluesky handles.
const mediaURLParallel = 8

// mediaURLBudget bounds the time check --online spends on media URLs,
// all of them: check is interactive.
const mediaURLBudget = 15 * time.Second

// mediaUse is a medium that a post in scope sends to a network that
// fetches it from the charter's media_url (Instagram, Threads).
type mediaUse struct {
	url      string   // media_url, then the medium's path below the calendar root
	file     string   // the local file, symbolic links resolved
	size     int64    // the local file's
	maxBytes int64    // the most a target network takes of it; what a GET reads at most
	networks []string // the target networks that fetch it, in the post's order
	pos      pos      // the medium's src
}

// mediaURLUses returns the media of a post that one of its targets
// fetches from media_url, with their public URL; none when the charter
// has no media_url (media.url-missing says so), and none but commit set
// when it names a {commit}, which check cannot know.
func (cr *charterRules) mediaURLUses(p *load.Post, abs string) (uses []mediaUse, commit bool) {
	base := cr.charter.MediaURL
	if base == "" || len(p.Media) == 0 {
		return nil, false
	}
	var fetchers []*load.Account
	for _, a := range cr.targets(p) {
		if spec(a).NeedsMediaURL {
			fetchers = append(fetchers, a)
		}
	}
	if len(fetchers) == 0 {
		return nil, false
	}
	if strings.Contains(base, "{commit}") {
		return nil, true
	}
	for _, m := range p.Media {
		if !m.Src.IsSet() || strings.Contains(m.Src.Value, "://") || filepath.IsAbs(m.Src.Value) || strings.HasPrefix(m.Src.Value, "/") {
			continue // media.outside says so
		}
		file := mediaPath(abs, m.Src.Value)
		rel, err := filepath.Rel(cr.root, file)
		if err != nil || !within(cr.root, file) {
			continue
		}
		real, err := cr.cachedRealPath(file)
		if err != nil {
			continue // media.missing
		}
		sniffed := cr.sniff(real)
		if sniffed.err != nil {
			continue
		}
		u, err := url.JoinPath(base, filepath.ToSlash(rel))
		if err != nil {
			continue // the charter's schema checks media_url
		}
		use := mediaUse{url: u, file: real, size: sniffed.size, pos: posOf(m.Src)}
		for _, a := range fetchers {
			if !slices.Contains(use.networks, a.Network) {
				use.networks = append(use.networks, a.Network)
			}
			if _, maxBytes := spec(a).Accepts(sniffed.mimeType); maxBytes > use.maxBytes {
				use.maxBytes = maxBytes
			}
		}
		// A file over every limit is media.size's; the URL is still read
		// as far as the file goes, to say whether it is served.
		use.maxBytes = max(use.maxBytes, sniffed.size)
		uses = append(uses, use)
	}
	return uses, false
}

// mediaURLResult is what the public URL of a medium answered.
type mediaURLResult struct {
	rule string // "" when it serves the file's bytes
	id   string // of the message, with its args
	args i18n.Args
	err  error // the network's trouble, not the post's
}

// checkMediaURLs fetches the public URL of every medium that posts in
// scope send to Instagram or Threads, each URL once, several at a time
// within mediaURLBudget, and compares what it serves with the file
// (SHA-256): a 4xx answer is media.url-unreachable, other bytes
// media.url-mismatch, each a warning at the medium's src. A URL it could
// not fetch (a 5xx, a time-out) makes no diagnostic: it returns one line
// that says so, for stderr.
func (c *calendarCheck) checkMediaURLs(ctx context.Context, client *http.Client, summaries []*summary) (unchecked []string) {
	type where struct {
		path string
		use  mediaUse
	}
	byURL := map[string][]where{}
	commit := 0
	for _, s := range summaries {
		if s == nil {
			continue
		}
		for _, u := range s.mediaURLs {
			byURL[u.url] = append(byURL[u.url], where{s.path, u})
		}
		if s.mediaURLCommit {
			commit++
		}
	}
	if commit > 0 {
		unchecked = append(unchecked, c.p.T("check.unchecked.media-commit", i18n.Args{"N": commit}))
	}
	if len(byURL) == 0 {
		return unchecked
	}
	ctx, cancel := context.WithTimeout(ctx, mediaURLBudget)
	defer cancel()
	urls := slices.Sorted(maps.Keys(byURL))
	results := make([]mediaURLResult, len(urls))
	slots := make(chan struct{}, mediaURLParallel)
	var wg sync.WaitGroup
	for i, u := range urls {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			results[i] = fetchMedium(ctx, c.p, client, byURL[u][0].use)
		})
	}
	wg.Wait()
	var failed []string
	var firstErr error
	for i, u := range urls {
		res := results[i]
		if res.err != nil {
			failed = append(failed, u)
			if firstErr == nil {
				firstErr = res.err
			}
			continue
		}
		if res.rule == "" {
			continue
		}
		for _, w := range byURL[u] {
			r := &reporter{p: c.p, path: w.path, severities: c.rules.severities}
			r.at(res.rule, w.use.pos.text(), res.id, res.args)
			c.diags = append(c.diags, r.diags...)
		}
	}
	if len(failed) > 0 {
		unchecked = append(unchecked, c.p.T("check.unchecked.media", i18n.Args{"N": len(failed), "First": failed[0], "Err": firstErr}))
	}
	return unchecked
}

// fetchMedium GETs a medium's public URL, reading at most one byte more
// than use.maxBytes, and compares its SHA-256 with the local file's.
func fetchMedium(ctx context.Context, p *i18n.Printer, client *http.Client, use mediaUse) mediaURLResult {
	who := andList(p, use.networks)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, use.url, nil)
	if err != nil {
		return mediaURLResult{err: err}
	}
	resp, err := client.Do(req)
	if err != nil {
		return mediaURLResult{err: err}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode >= 500:
		return mediaURLResult{err: fmt.Errorf("GET %s: %s", use.url, resp.Status)}
	case resp.StatusCode != http.StatusOK:
		return mediaURLResult{rule: "media.url-unreachable", id: "check.media.url-unreachable",
			args: i18n.Args{"URL": use.url, "Status": resp.Status, "Who": who}}
	}
	served := sha256.New()
	n, err := io.Copy(served, io.LimitReader(resp.Body, use.maxBytes+1))
	if err != nil {
		return mediaURLResult{err: fmt.Errorf("GET %s: %w", use.url, err)}
	}
	local, err := hashFile(use.file)
	if err != nil {
		return mediaURLResult{err: err}
	}
	switch {
	case n > use.maxBytes:
		return mediaURLResult{rule: "media.url-mismatch", id: "check.media.url-larger",
			args: i18n.Args{"URL": use.url, "Max": humanBytes(p, use.maxBytes), "Size": humanBytes(p, use.size), "Who": who}}
	case !bytes.Equal(served.Sum(nil), local):
		return mediaURLResult{rule: "media.url-mismatch", id: "check.media.url-mismatch",
			args: i18n.Args{"URL": use.url, "There": humanBytes(p, n), "Here": humanBytes(p, use.size), "Who": who}}
	}
	return mediaURLResult{}
}

// hashFile returns the SHA-256 of a file.
func hashFile(path string) ([]byte, error) {
	f, err := openMedia(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
