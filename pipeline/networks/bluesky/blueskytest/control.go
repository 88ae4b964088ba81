package blueskytest

import (
	"maps"
	"net/http"
	"slices"
	"time"
)

// password is the account's app password: Password, unless
// SetPassword changed it.
func (f *PDS) password() string {
	if f.pass != "" {
		return f.pass
	}
	return Password
}

// SetPassword changes the app password createSession takes.
func (f *PDS) SetPassword(p string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pass = p
}

// SetSessionExpires makes the access tokens JWTs that expire at t, as a
// real PDS's do (herald doctor says how long a session lasts).
func (f *PDS) SetSessionExpires(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sessionExpires = t
}

// Fail queues an answer for an XRPC method: the next call of it gets the
// status, headers and JSON payload instead of the method's answer.
func (f *PDS) Fail(nsid string, status int, header http.Header, payload string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[nsid] = append(f.fail[nsid], failure{status, header, payload})
}

// ExpireNext makes the next authenticated call answer ExpiredToken.
func (f *PDS) ExpireNext() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expireNext = true
}

// LoseNextAnswer makes the next createRecord store the record and answer
// 502, as a gateway that drops the PDS's answer.
func (f *PDS) LoseNextAnswer() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.loseAnswer = true
}

// SetDIDDocPDS makes the sessions carry the account's DID document naming
// url as its PDS (an entryway's sessions name the account's own PDS).
func (f *PDS) SetDIDDocPDS(url string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.didDocPDS = url
}

// DIDDocPDS is what SetDIDDocPDS set, "" for none.
func (f *PDS) DIDDocPDS() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.didDocPDS
}

// Records returns the records the PDS holds, by record key.
func (f *PDS) Records() map[string]Record {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.records)
}

// PutRecord stores a record under a key, as if an earlier run wrote it.
func (f *PDS) PutRecord(rkey string, r Record) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.records[rkey] = r
}

// Blobs returns the blobs uploaded, in order.
func (f *PDS) Blobs() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.blobs)
}

// Requests returns every request the PDS received, in order.
func (f *PDS) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.requests)
}

// SpareFailures lets the test end with queued failures unserved, for a
// test that queues as many as the client may take, not as it must.
func (f *PDS) SpareFailures() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.spare = true
}
