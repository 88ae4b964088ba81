// Package blueskytest is a Bluesky PDS and AppView for tests: httptest
// servers that speak the XRPC methods Herald calls as the lexicons define
// them (com.atproto.server.createSession, refreshSession, getServiceAuth;
// com.atproto.repo.uploadBlob, createRecord, getRecord;
// com.atproto.identity.resolveHandle; app.bsky.feed.getPosts and
// app.bsky.actor.getProfile on the AppView), fail the test on a request
// the real service would refuse, keep what they were sent, and answer the
// failures a test queues (a queued failure never served fails the test at
// its end). pipeline/networks/bluesky's TestRealPDS checks the client
// against a real PDS; these fakes are for everything a real PDS cannot be
// made to do on cue.
package blueskytest

import (
	"bytes"
	"encoding/base64"
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

// RecordCIDs and BlobCIDs are real CIDs (dag-cbor and raw) the PDS hands
// out in turn: indigo parses them.
var (
	RecordCIDs = []string{
		"bafyreigks6arfsq3xxfpvqrrwonchxcnu6do76auprhhfomao6c273sixm",
		"bafyreib6epubmabzlffdhckpmvsodmjuro6xuaei2qwevs3t52xnlhaatu",
		"bafyreibopuwahkkqplrgl3hvwu2wrbnfgoj2eau5eqjzjglsmwq2ewxpyy",
		"bafyreiayvq7hgq7qc2eqyuiosp4tkjqrnhm6h5lfinsctaypv4etj5hy4q",
	}
	BlobCIDs = []string{
		"bafkreigks6arfsq3xxfpvqrrwonchxcnu6do76auprhhfomao6c273sixm",
		"bafkreib6epubmabzlffdhckpmvsodmjuro6xuaei2qwevs3t52xnlhaatu",
		"bafkreibopuwahkkqplrgl3hvwu2wrbnfgoj2eau5eqjzjglsmwq2ewxpyy",
		"bafkreiayvq7hgq7qc2eqyuiosp4tkjqrnhm6h5lfinsctaypv4etj5hy4q",
	}
)

// The PDS's one account, and the collection of its posts.
const (
	DID            = "did:plc:heraldtest0000000000000a"
	Handle         = "maison.example.com"
	Password       = "app-pass-word-s3cr"
	PostCollection = "app.bsky.feed.post"
)

// Request is what a server received.
type Request struct {
	Method, Path, Query, Auth, ContentType string
	Body                                   []byte
}

// Record is a record the PDS keeps.
type Record struct {
	CID   string
	Value json.RawMessage
}

// PDS is an httptest server speaking the XRPC methods the client calls
// on a PDS, as the lexicons define them: it asserts each request's method
// and auth header and keeps every request for the tests to check.
type PDS struct {
	t   testing.TB
	srv *httptest.Server
	// sessionExpires, when set, makes the access tokens JWTs whose exp
	// claim is that instant (doctor says how long a session lasts).
	sessionExpires time.Time
	pass           string // the app password, when not Password
	spare          bool   // queued failures may stay unserved (SpareFailures)

	mu       sync.Mutex
	requests []Request
	records  map[string]Record // rkey → record
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
	grants map[string]Grant
}

// Grant is what a service token getServiceAuth issued allows.
type Grant struct {
	Aud, Lxm string
	Exp      int64
}

type failure struct {
	status  int
	header  http.Header
	payload string
}

// NewPDS starts a PDS for the test, closed at its end, with one account
// (DID, Handle, Password) and the handle alice.test besides. A queued
// failure (Fail) that no request took fails the test at its end.
func NewPDS(t testing.TB) *PDS {
	f := &PDS{t: t, records: map[string]Record{}, fail: map[string][]failure{}, grants: map[string]Grant{},
		handles: map[string]string{"alice.test": "did:plc:alice00000000000000000a", Handle: DID}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		f.srv.Close()
		f.mu.Lock()
		defer f.mu.Unlock()
		for nsid, fs := range f.fail {
			if len(fs) > 0 && !f.spare {
				t.Errorf("blueskytest: %d queued failure(s) of %s were never served: the client did not make the calls the test expected", len(fs), nsid)
			}
		}
	})
	return f
}

// URL is the PDS's base URL, for the account's pds: field.
func (f *PDS) URL() string { return f.srv.URL }

// Calls returns the requests made to one XRPC method, in order.
func (f *PDS) Calls(nsid string) []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Request
	for _, r := range f.requests {
		if r.Path == "/xrpc/"+nsid {
			out = append(out, r)
		}
	}
	return out
}

func (f *PDS) xrpcError(w http.ResponseWriter, status int, name, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func (f *PDS) answer(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// GrantOf returns what a service token allows; ok is false for a token
// the PDS did not issue.
func (f *PDS) GrantOf(token string) (Grant, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, ok := f.grants[token]
	return g, ok
}

// sessionAnswer is createSession's and refreshSession's answer, with the
// account's DID document when didDocPDS says where its PDS is.
func (f *PDS) sessionAnswer() map[string]any {
	a := map[string]any{"accessJwt": f.access, "refreshJwt": f.refresh, "did": DID, "handle": Handle, "active": true}
	if f.didDocPDS != "" {
		a["didDoc"] = map[string]any{
			"@context":    []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
			"id":          DID,
			"alsoKnownAs": []string{"at://" + Handle},
			"service": []map[string]string{
				{"id": "#bsky_chat", "type": "BskyChatService", "serviceEndpoint": "https://api.bsky.chat"},
				{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": f.didDocPDS},
			},
		}
	}
	return a
}

func (f *PDS) newTokens() {
	f.tokens++
	f.access = fmt.Sprintf("access-jwt-%d", f.tokens)
	f.refresh = fmt.Sprintf("refresh-jwt-%d", f.tokens)
	if !f.sessionExpires.IsZero() {
		// A JWT as a PDS makes one, unsigned here: the client reads its
		// exp claim, never its signature.
		jwt := func(claims string) string {
			return "eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".c2lnbmF0dXJl"
		}
		f.access = jwt(fmt.Sprintf(`{"scope":"com.atproto.appPass","sub":%q,"exp":%d,"n":%d}`, DID, f.sessionExpires.Unix(), f.tokens))
		f.refresh = jwt(fmt.Sprintf(`{"scope":"com.atproto.refresh","sub":%q,"n":%d}`, DID, f.tokens))
	}
}

func (f *PDS) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	req := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"),
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
		// The lexicon's input: identifier and password, and optional
		// authFactorToken and allowTakendown; nothing else.
		var in struct {
			Identifier      string `json:"identifier"`
			Password        string `json:"password"`
			AuthFactorToken string `json:"authFactorToken"`
			AllowTakendown  bool   `json:"allowTakendown"`
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			f.t.Errorf("createSession input %s: %v", body, err)
		}
		if in.Identifier != Handle || in.Password != f.password() {
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
		f.grants[token] = Grant{Aud: q.Get("aud"), Lxm: q.Get("lxm"), Exp: exp}
		f.answer(w, map[string]string{"token": token})
	case "com.atproto.repo.uploadBlob":
		cid := BlobCIDs[len(f.blobs)%len(BlobCIDs)]
		f.blobs = append(f.blobs, body)
		f.answer(w, map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]string{"$link": cid},
			"mimeType": req.ContentType, "size": len(body)}})
	case "com.atproto.repo.createRecord":
		var in struct {
			Repo, Collection, Rkey string
			Record                 json.RawMessage
		}
		if err := json.Unmarshal(body, &in); err != nil || in.Repo != DID || in.Collection != PostCollection || in.Rkey == "" {
			f.t.Errorf("createRecord body %s", body)
			f.xrpcError(w, http.StatusBadRequest, "InvalidRequest", "bad input")
			return
		}
		if _, ok := f.records[in.Rkey]; ok {
			// What a PDS answers for a key that is taken.
			f.xrpcError(w, http.StatusInternalServerError, "InternalServerError", "Internal Server Error")
			return
		}
		cid := RecordCIDs[len(f.records)%len(RecordCIDs)]
		f.records[in.Rkey] = Record{CID: cid, Value: in.Record}
		if f.loseAnswer {
			f.loseAnswer = false
			f.xrpcError(w, http.StatusBadGateway, "", "")
			return
		}
		f.answer(w, map[string]any{"uri": AtURI(in.Rkey), "cid": cid, "validationStatus": "valid"})
	case "com.atproto.repo.getRecord":
		q := r.URL.Query()
		if q.Get("repo") != DID || q.Get("collection") != PostCollection {
			f.t.Errorf("getRecord query %s", r.URL.RawQuery)
		}
		rec, ok := f.records[q.Get("rkey")]
		if !ok {
			f.xrpcError(w, http.StatusBadRequest, "RecordNotFound", "Could not locate record: "+AtURI(q.Get("rkey")))
			return
		}
		f.answer(w, map[string]any{"uri": AtURI(q.Get("rkey")), "cid": rec.CID, "value": rec.Value})
	}
}

// AtURI is the at:// URI of the account's post with record key rkey.
func AtURI(rkey string) string { return "at://" + DID + "/" + PostCollection + "/" + rkey }
