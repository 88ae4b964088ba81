package bluesky

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	comatproto "github.com/bluesky-social/indigo/api/atproto"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// auth says which token a call carries.
type auth int

const (
	noAuth      auth = iota // public: the AppView
	accessAuth              // the session's access JWT
	refreshAuth             // the session's refresh JWT (refreshSession only)
)

// call is one XRPC request: a query (GET, params in the URL) or a
// procedure (POST, a JSON body, or raw bytes for uploadBlob).
type call struct {
	host        string // the PDS or the AppView, without a trailing slash
	nsid        string // com.atproto.repo.createRecord
	query       url.Values
	body        any    // a procedure's JSON input
	raw         []byte // a procedure's raw input (a blob), sent as contentType
	contentType string
	auth        auth
	// idempotent marks a POST that may be sent again after it may have
	// reached the server: a record under a fixed key, a blob (its CID is
	// its content), a login.
	idempotent bool
	// accept are the error statuses whose body is the answer to decode
	// (httpx.AcceptStatus): the video service's 409 already_exists.
	accept []int
}

func (c call) method() string {
	if c.body != nil || c.raw != nil {
		return http.MethodPost
	}
	return http.MethodGet
}

// session is what createSession and refreshSession answer.
type session struct {
	access, refresh string
	did, handle     string
	// pds is the endpoint of the account's own PDS, from the DID document
	// the session carries; "" when it carries none.
	pds string
}

// errorName returns the XRPC error name of err ("ExpiredToken",
// "RecordNotFound"), "" when err is no XRPC error answer.
func errorName(err error) string {
	if e, ok := errors.AsType[*httpx.ServerError](err); ok {
		return e.Code
	}
	return ""
}

// largeBody is the size from which a body is sent with the client's
// uploads client, whose timeout leaves time to send it (a video).
const largeBody = 4 << 20

// maxAnswer is the most of an XRPC answer the client reads: the largest
// answers it asks for (25 post views) are far below it.
const maxAnswer = 8 << 20

// do makes an XRPC call and decodes its JSON answer into out (nil: the
// answer is dropped). An authenticated call logs in first when there is no
// session yet, and when the access token has expired it refreshes the
// session once and tries again: never a login per call.
func (c *Client) do(ctx context.Context, x call, out any) error {
	if x.auth == accessAuth {
		s, err := c.session(ctx)
		if err != nil {
			return err
		}
		err = c.send(ctx, x, s.access, out)
		if errorName(err) != "ExpiredToken" {
			return err
		}
		if s, err = c.refreshSession(ctx, s); err != nil {
			return err
		}
		return c.send(ctx, x, s.access, out)
	}
	return c.send(ctx, x, "", out)
}

// send is the one place where a request goes out, through httpx (retries
// and rate limits within the run's budget); each call is built again from
// x, so it can be sent twice.
func (c *Client) send(ctx context.Context, x call, token string, out any) error {
	u := x.host + "/xrpc/" + x.nsid
	if len(x.query) > 0 {
		u += "?" + x.query.Encode()
	}
	var body io.Reader
	contentType := x.contentType
	switch {
	case x.raw != nil:
		body = bytes.NewReader(x.raw)
	case x.body != nil:
		data, err := json.Marshal(x.body)
		if err != nil {
			return fmt.Errorf("%s: encode the request: %w", x.nsid, err)
		}
		body, contentType = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, x.method(), u, body)
	if err != nil {
		return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: fmt.Errorf("%s: %w", x.nsid, err)}
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if x.idempotent {
		req = httpx.MarkIdempotent(req)
	}
	if len(x.accept) > 0 {
		req = httpx.AcceptStatus(req, x.accept...)
	}
	client := c.http
	if len(x.raw) >= largeBody {
		client = c.uploads
	}
	resp, err := client.Do(req)
	if err != nil {
		if e, ok := errors.AsType[*httpx.ServerError](err); ok && e.Status == http.StatusUnauthorized && x.nsid == createSession {
			var ne *networks.Error
			if errors.As(err, &ne) {
				ne.Err = fmt.Errorf("%w (log in as %s with the app password in %s: check both)", ne.Err, c.handle, c.passwordEnv)
			}
		}
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s: read the answer: %w", x.nsid, err)}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &networks.Error{Kind: networks.Transient, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s: the answer is not what the lexicon defines: %v", x.nsid, err)}
	}
	return nil
}

const createSession = "com.atproto.server.createSession"

// session returns the run's session, logging in with createSession the
// first time.
func (c *Client) session(ctx context.Context) (*session, error) {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	if c.noPassword != nil {
		return nil, c.noPassword
	}
	var out comatproto.ServerCreateSession_Output
	in := comatproto.ServerCreateSession_Input{Identifier: c.handle, Password: c.password}
	if err := c.send(ctx, call{host: c.pds, nsid: createSession, body: &in, idempotent: true}, "", &out); err != nil {
		return nil, err
	}
	s = &session{access: out.AccessJwt, refresh: out.RefreshJwt, did: out.Did, handle: out.Handle, pds: pdsEndpoint(out.DidDoc)}
	c.mu.Lock()
	c.sess = s
	c.mu.Unlock()
	return s, nil
}

// refreshSession replaces an expired session old with refreshSession (the
// refresh JWT as bearer). Calls that raced on the same expired session
// refresh it once: the ones that come second find it replaced.
func (c *Client) refreshSession(ctx context.Context, old *session) (*session, error) {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.mu.Lock()
	s := c.sess
	c.mu.Unlock()
	if s != old {
		return s, nil
	}
	var out comatproto.ServerRefreshSession_Output
	err := c.send(ctx, call{host: c.pds, nsid: "com.atproto.server.refreshSession", raw: []byte{}, auth: refreshAuth}, old.refresh, &out)
	if err != nil {
		return nil, err
	}
	s = &session{access: out.AccessJwt, refresh: out.RefreshJwt, did: out.Did, handle: out.Handle, pds: cmpOr(pdsEndpoint(out.DidDoc), old.pds)}
	c.mu.Lock()
	c.sess = s
	c.mu.Unlock()
	return s, nil
}

// pdsEndpoint returns the endpoint of the PDS a DID document names (its
// #atproto_pds service, as the DID specification of atproto defines it),
// "" when it names none. Read by hand: indigo's identity package, which
// reads it too, would bring Prometheus and secp256k1 into the build.
func pdsEndpoint(doc *any) string {
	if doc == nil {
		return ""
	}
	data, err := json.Marshal(*doc)
	if err != nil {
		return ""
	}
	var d struct {
		ID      string `json:"id"`
		Service []struct {
			ID       string `json:"id"`
			Type     string `json:"type"`
			Endpoint any    `json:"serviceEndpoint"`
		} `json:"service"`
	}
	if json.Unmarshal(data, &d) != nil {
		return ""
	}
	for _, s := range d.Service {
		endpoint, ok := s.Endpoint.(string)
		if ok && (s.ID == "#atproto_pds" || s.ID == d.ID+"#atproto_pds") && s.Type == "AtprotoPersonalDataServer" {
			return endpoint
		}
	}
	return ""
}
