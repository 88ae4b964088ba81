package bluesky

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// resolveHandleAppView answers com.atproto.identity.resolveHandle as the
// public AppView does: GET, no Authorization, the DID of a known handle,
// 400 InvalidRequest "Unable to resolve handle" for another; "down.test"
// makes it fail with a 502.
func resolveHandleAppView(t *testing.T, dids map[string]string) (*httptest.Server, func() []string) {
	var (
		mu    sync.Mutex
		asked []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/xrpc/com.atproto.identity.resolveHandle" {
			t.Errorf("AppView: %s %s, want GET /xrpc/com.atproto.identity.resolveHandle", r.Method, r.URL.Path)
		}
		if a := r.Header.Get("Authorization"); a != "" {
			t.Errorf("AppView: Authorization %q sent to a public endpoint", a)
		}
		if q := r.URL.Query(); len(q) != 1 || len(q["handle"]) != 1 {
			t.Errorf("AppView: query %q, want handle= alone", r.URL.RawQuery)
		}
		h := r.URL.Query().Get("handle")
		mu.Lock()
		asked = append(asked, h)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch did, ok := dids[h]; {
		case h == "down.test":
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprint(w, `{"error":"UpstreamFailure","message":"upstream is down"}`)
		case ok:
			fmt.Fprintf(w, `{"did":%q}`, did)
		default:
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error":"InvalidRequest","message":"Unable to resolve handle"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}
}

func TestResolveHandles(t *testing.T) {
	srv, asked := resolveHandleAppView(t, map[string]string{
		"atelier.bsky.social": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
		"bizarre.bsky.social": "not a did",
	})
	// No app password: the AppView is public. The PDS is never asked.
	a := &load.Account{Key: "bluesky", Network: "bluesky", Handle: "maison.bsky.social", PDS: "http://127.0.0.1:1", AppView: srv.URL}
	c, err := New(a, Options{Getenv: func(string) (string, bool) { return "", false }, Public: true,
		Retry: httpx.Options{Sleep: func(context.Context, time.Duration) error { return nil }, MaxAttempts: 2}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ResolveHandles(t.Context(), []string{"Atelier.bsky.social", "inconnu.bsky.social", "bizarre.bsky.social", "pas un handle"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"atelier.bsky.social": true, "inconnu.bsky.social": false, "bizarre.bsky.social": false, "pas un handle": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ResolveHandles (-want +got):\n%s", diff)
	}
	if n := len(asked()); n != 3 {
		t.Errorf("asked %v, want the three valid handles once each", asked())
	}

	// An AppView that fails is the network's problem, not the handle's.
	_, err = c.ResolveHandles(t.Context(), []string{"atelier.bsky.social", "down.test"})
	if err == nil || !strings.Contains(err.Error(), "upstream is down") {
		t.Errorf("with a failing AppView: %v, want its message", err)
	}
}
