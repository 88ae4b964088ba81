package bluesky

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordCIDs and blobCIDs are real CIDs (dag-cbor and raw) the fake hands
// out in turn: indigo parses them.
var (
	recordCIDs = []string{
		"bafyreigks6arfsq3xxfpvqrrwonchxcnu6do76auprhhfomao6c273sixm",
		"bafyreib6epubmabzlffdhckpmvsodmjuro6xuaei2qwevs3t52xnlhaatu",
		"bafyreibopuwahkkqplrgl3hvwu2wrbnfgoj2eau5eqjzjglsmwq2ewxpyy",
		"bafyreiayvq7hgq7qc2eqyuiosp4tkjqrnhm6h5lfinsctaypv4etj5hy4q",
	}
	blobCIDs = []string{
		"bafkreigks6arfsq3xxfpvqrrwonchxcnu6do76auprhhfomao6c273sixm",
		"bafkreib6epubmabzlffdhckpmvsodmjuro6xuaei2qwevs3t52xnlhaatu",
		"bafkreibopuwahkkqplrgl3hvwu2wrbnfgoj2eau5eqjzjglsmwq2ewxpyy",
		"bafkreiayvq7hgq7qc2eqyuiosp4tkjqrnhm6h5lfinsctaypv4etj5hy4q",
	}
)

const (
	fakeDID      = "did:plc:heraldtest0000000000000a"
	fakeHandle   = "maison.example.com"
	fakePassword = "app-pass-word-s3cr"
)

// request is what the fake received.
type request struct {
	Method, Path, Query, Auth, ContentType string
	Body                                   []byte
}

// storedRecord is a record the fake keeps.
type storedRecord struct {
	CID   string
	Value json.RawMessage
}

// fakePDS is an httptest server speaking the XRPC endpoints the client
// calls, as the lexicons define them, that asserts each request's method
// and auth header and keeps every request for the tests to check.
type fakePDS struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []request
	records  map[string]storedRecord // rkey → record
	blobs    [][]byte
	handles  map[string]string // handle → DID
	access   string            // the access token now valid
	refresh  string            // the refresh token now valid
	tokens   int               // tokens issued
	// expireNext makes the next authenticated call answer ExpiredToken.
	expireNext bool
	// fail answers an XRPC method with a status and body, once each
	// entry (then it is removed); loseAnswer answers createRecord 502
	// after storing the record.
	fail       map[string][]failure
	loseAnswer bool
	// didDocPDS is the PDS endpoint the DID document of a session names
	// (an entryway's sessions name the account's own PDS); "" for none.
	didDocPDS string
	// grants are the service tokens getServiceAuth issued.
	grants map[string]grant
}

// grant is what a service token getServiceAuth issued allows.
type grant struct {
	Aud, Lxm string
	Exp      int64
}

type failure struct {
	status  int
	header  http.Header
	payload string
}

func newFakePDS(t *testing.T) *fakePDS {
	f := &fakePDS{t: t, records: map[string]storedRecord{}, fail: map[string][]failure{}, grants: map[string]grant{},
		handles: map[string]string{"alice.test": "did:plc:alice00000000000000000a", fakeHandle: fakeDID}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakePDS) URL() string { return f.srv.URL }

// calls returns the requests made to one XRPC method.
func (f *fakePDS) calls(nsid string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []request
	for _, r := range f.requests {
		if r.Path == "/xrpc/"+nsid {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakePDS) xrpcError(w http.ResponseWriter, status int, name, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func (f *fakePDS) answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// grantOf returns what a service token allows; ok is false for a token
// the fake did not issue.
func (f *fakePDS) grantOf(token string) (grant, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.grants[token]
	return g, ok
}

// sessionAnswer is createSession's and refreshSession's answer, with the
// account's DID document when didDocPDS says where its PDS is.
func (f *fakePDS) sessionAnswer() map[string]any {
	a := map[string]any{"accessJwt": f.access, "refreshJwt": f.refresh, "did": fakeDID, "handle": fakeHandle, "active": true}
	if f.didDocPDS != "" {
		a["didDoc"] = map[string]any{
			"@context":    []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
			"id":          fakeDID,
			"alsoKnownAs": []string{"at://" + fakeHandle},
			"service": []map[string]string{
				{"id": "#bsky_chat", "type": "BskyChatService", "serviceEndpoint": "https://api.bsky.chat"},
				{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": f.didDocPDS},
			},
		}
	}
	return a
}

func (f *fakePDS) newTokens() {
	f.tokens++
	f.access = fmt.Sprintf("access-jwt-%d", f.tokens)
	f.refresh = fmt.Sprintf("refresh-jwt-%d", f.tokens)
}

func (f *fakePDS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	req := request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
		ContentType: r.Header.Get("Content-Type"), Body: body}
	f.requests = append(f.requests, req)
	nsid := strings.TrimPrefix(r.URL.Path, "/xrpc/")
	if fs := f.fail[nsid]; len(fs) > 0 {
		f.fail[nsid] = fs[1:]
		for k, v := range fs[0].header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(fs[0].status)
		io.WriteString(w, fs[0].payload)
		return
	}
	method := map[string]string{
		"com.atproto.server.createSession":   http.MethodPost,
		"com.atproto.server.refreshSession":  http.MethodPost,
		"com.atproto.identity.resolveHandle": http.MethodGet,
		"com.atproto.repo.uploadBlob":        http.MethodPost,
		"com.atproto.repo.createRecord":      http.MethodPost,
		"com.atproto.repo.getRecord":         http.MethodGet,
		"com.atproto.server.getServiceAuth":  http.MethodGet,
	}[nsid]
	if method == "" {
		f.xrpcError(w, http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented")
		return
	}
	if r.Method != method {
		f.t.Errorf("%s %s: want %s", r.Method, r.URL.Path, method)
		f.xrpcError(w, http.StatusBadRequest, "InvalidRequest", "wrong method")
		return
	}
	if r.Method == http.MethodPost && nsid != "com.atproto.server.refreshSession" && nsid != "com.atproto.repo.uploadBlob" &&
		r.Header.Get("Content-Type") != "application/json" {
		f.t.Errorf("%s: Content-Type %q, want application/json", nsid, r.Header.Get("Content-Type"))
	}
	switch nsid {
	case "com.atproto.server.createSession":
		if req.Auth != "" {
			f.t.Errorf("createSession sent Authorization %q", req.Auth)
		}
		var in struct{ Identifier, Password string }
		if err := json.Unmarshal(body, &in); err != nil || in.Identifier != fakeHandle || in.Password != fakePassword {
			f.xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password "+in.Password)
			return
		}
		f.newTokens()
		f.answer(w, f.sessionAnswer())
		return
	case "com.atproto.server.refreshSession":
		if req.Auth != "Bearer "+f.refresh {
			f.t.Errorf("refreshSession with Authorization %q, want the refresh JWT %q", req.Auth, f.refresh)
			f.xrpcError(w, http.StatusBadRequest, "InvalidToken", "Token could not be verified")
			return
		}
		f.newTokens()
		f.answer(w, f.sessionAnswer())
		return
	case "com.atproto.identity.resolveHandle":
		if req.Auth != "" {
			f.t.Errorf("resolveHandle sent Authorization %q: it is public", req.Auth)
		}
		did, ok := f.handles[r.URL.Query().Get("handle")]
		if !ok {
			f.xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Unable to resolve handle")
			return
		}
		f.answer(w, map[string]string{"did": did})
		return
	}
	// The repository's methods need the access JWT.
	if req.Auth != "Bearer "+f.access || f.access == "" {
		f.t.Errorf("%s with Authorization %q, want the access JWT %q", nsid, req.Auth, f.access)
		f.xrpcError(w, http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required")
		return
	}
	if f.expireNext {
		f.expireNext = false
		f.xrpcError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
		return
	}
	switch nsid {
	case "com.atproto.server.getServiceAuth":
		// As the PDS checks it: an audience, an expiry in the hour to
		// come, a method-bound token.
		q := r.URL.Query()
		exp, err := strconv.ParseInt(q.Get("exp"), 10, 64)
		if q.Get("aud") == "" || q.Get("lxm") == "" || err != nil {
			f.t.Errorf("getServiceAuth query %s: want aud, lxm and exp", r.URL.RawQuery)
			f.xrpcError(w, http.StatusBadRequest, "InvalidRequest", "Error: Params must have the property \"aud\"")
			return
		}
		if ttl := time.Until(time.Unix(exp, 0)); ttl <= 0 || ttl > time.Hour {
			f.xrpcError(w, http.StatusBadRequest, "BadExpiration", "cannot request a token with an expiration more than an hour in the future")
			return
		}
		token := fmt.Sprintf("service-jwt-%d", len(f.grants)+1)
		f.grants[token] = grant{Aud: q.Get("aud"), Lxm: q.Get("lxm"), Exp: exp}
		f.answer(w, map[string]string{"token": token})
	case "com.atproto.repo.uploadBlob":
		cid := blobCIDs[len(f.blobs)%len(blobCIDs)]
		f.blobs = append(f.blobs, body)
		f.answer(w, map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]string{"$link": cid},
			"mimeType": req.ContentType, "size": len(body)}})
	case "com.atproto.repo.createRecord":
		var in struct {
			Repo, Collection, Rkey string
			Record                 json.RawMessage
		}
		if err := json.Unmarshal(body, &in); err != nil || in.Repo != fakeDID || in.Collection != postCollection || in.Rkey == "" {
			f.t.Errorf("createRecord body %s", body)
			f.xrpcError(w, http.StatusBadRequest, "InvalidRequest", "bad input")
			return
		}
		if _, ok := f.records[in.Rkey]; ok {
			// What a PDS answers for a key that is taken.
			f.xrpcError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
			return
		}
		cid := recordCIDs[len(f.records)%len(recordCIDs)]
		f.records[in.Rkey] = storedRecord{CID: cid, Value: in.Record}
		if f.loseAnswer {
			f.loseAnswer = false
			f.xrpcError(w, http.StatusBadGateway, "", "")
			return
		}
		f.answer(w, map[string]any{"uri": atURI(in.Rkey), "cid": cid, "validationStatus": "valid"})
	case "com.atproto.repo.getRecord":
		q := r.URL.Query()
		if q.Get("repo") != fakeDID || q.Get("collection") != postCollection {
			f.t.Errorf("getRecord query %s", r.URL.RawQuery)
		}
		rec, ok := f.records[q.Get("rkey")]
		if !ok {
			f.xrpcError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+atURI(q.Get("rkey")))
			return
		}
		f.answer(w, map[string]any{"uri": atURI(q.Get("rkey")), "cid": rec.CID, "value": rec.Value})
	}
}

func atURI(rkey string) string { return "at://" + fakeDID + "/" + postCollection + "/" + rkey }

// decode is a JSON value as a generic tree, for cmp.Diff against what the
// lexicon defines.
func decode(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
	return v
}
