package bluesky

import (
	"context"
	"net/url"
	"strings"
	"sync"

	comatproto "github.com/bluesky-social/indigo/api/atproto"
	"github.com/bluesky-social/indigo/atproto/syntax"

	"github.com/herald-social/herald/pipeline/networks"
)

// resolveHandleNSID resolves a handle to the DID of its account; every
// PDS and AppView answers it without authentication.
const resolveHandleNSID = "com.atproto.identity.resolveHandle"

// resolveParallel is how many handles ResolveHandles asks at once: enough
// for a calendar's few dozen mentions, few for the AppView's rate limit.
const resolveParallel = 8

// ResolveHandles reports which handles name an account, asking the
// account's AppView with com.atproto.identity.resolveHandle (public: no
// app password needed), several at a time: herald check --online warns
// about those that don't, which publish would send as plain text. A 4xx
// answer (the AppView says "Unable to resolve handle") is false; any other
// failure is returned, as the network's and not the handle's.
func (c *Client) ResolveHandles(ctx context.Context, handles []string) (map[string]bool, error) {
	resolved := make(map[string]bool, len(handles))
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	slots := make(chan struct{}, resolveParallel)
	for _, h := range handles {
		h = strings.ToLower(h)
		if _, err := syntax.ParseHandle(h); err != nil {
			mu.Lock()
			resolved[h] = false
			mu.Unlock()
			continue
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			did, err := c.resolveOn(ctx, c.appview, h)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return
			}
			resolved[h] = did != ""
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return resolved, nil
}

// resolveOn resolves handle on host (the PDS or the AppView): its DID, or
// "" when host answers that it names nobody (a 4xx, or no valid DID).
func (c *Client) resolveOn(ctx context.Context, host, handle string) (string, error) {
	var out comatproto.IdentityResolveHandle_Output
	err := c.do(ctx, call{host: host, nsid: resolveHandleNSID, query: url.Values{"handle": {handle}}}, &out)
	switch {
	case networks.KindOf(err) == networks.Permanent:
		return "", nil
	case err != nil:
		return "", err
	}
	if _, err := syntax.ParseDID(out.Did); err != nil {
		return "", nil
	}
	return out.Did, nil
}
