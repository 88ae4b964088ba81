package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
	"github.com/herald-social/herald/pipeline/state"
)

// payload is the body of a delivery (SPEC.md: the contract; the order
// of the fields is the order in the body).
type payload struct {
	Type      string `json:"type"`      // herald.post
	Timestamp string `json:"timestamp"` // when it is sent, RFC 3339
	Data      data   `json:"data"`
}

type data struct {
	Post     string   `json:"post"`     // the post's id
	Account  string   `json:"account"`  // the account key
	Date     string   `json:"date"`     // the post's date, RFC 3339
	Title    string   `json:"title"`    // "" when it has none
	Campaign string   `json:"campaign"` // "" when it has none
	Tags     []string `json:"tags"`
	Parts    []string `json:"parts"` // the texts, as render makes them for a webhook
	Media    []medium `json:"media"`
}

type medium struct {
	Src    string `json:"src"`    // relative to the calendar root
	Alt    string `json:"alt"`    // alt text
	Type   string `json:"type"`   // MIME type
	SHA256 string `json:"sha256"` // of the file, lowercase hex
	// URL is the file under the charter's media_url; absent without it,
	// and when media_url names a {commit}, which a client cannot know
	// before the results commit.
	URL string `json:"url,omitempty"`
}

// body builds the JSON a publication is delivered as, sent at now.
func (c *Client) body(p networks.Publication, now time.Time) ([]byte, error) {
	d := data{Post: p.PostID, Account: p.Account, Date: p.When.Format(time.RFC3339), Title: p.Title,
		Campaign: p.Campaign, Tags: append([]string{}, p.Tags...), Parts: []string{}, Media: []medium{}}
	for _, part := range p.Parts {
		d.Parts = append(d.Parts, part.Text)
		for _, m := range part.Media {
			sum, err := fileSHA256(p, m.Path)
			if err != nil {
				return nil, err
			}
			md := medium{Src: m.Path, Alt: m.Alt, Type: m.MIME, SHA256: sum}
			if c.mediaURL != "" && !strings.Contains(c.mediaURL, "{commit}") {
				if md.URL, err = url.JoinPath(c.mediaURL, m.Path); err != nil {
					return nil, fmt.Errorf("media_url %q: %v", c.mediaURL, err)
				}
			}
			d.Media = append(d.Media, md)
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(payload{Type: "herald.post", Timestamp: now.UTC().Format(time.RFC3339), Data: d}); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func fileSHA256(p networks.Publication, name string) (string, error) {
	if p.Files == nil {
		return "", fmt.Errorf("medium %s: the publication has no calendar to read it from", name)
	}
	f, err := p.Files.Open(name)
	if err != nil {
		return "", fmt.Errorf("medium %s: %w", name, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("medium %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// sign is the Standard Webhooks signature of a delivery: v1, and the
// base64 HMAC-SHA256 of "id.timestamp.body".
func sign(key []byte, id string, timestamp int64, body []byte) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + strconv.FormatInt(timestamp, 10) + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Publish delivers p: one signed POST, whose webhook-id is p's
// idempotency key. Result.IDs is that webhook-id.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if p.IdempotencyKey == "" {
		return networks.Result{}, &networks.Error{Kind: networks.Permanent, Account: c.account,
			Err: errors.New("the publication has no idempotency key to send as webhook-id")}
	}
	now := c.now()
	body, err := c.body(p, now)
	if err != nil {
		return networks.Result{}, &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.target.String(), bytes.NewReader(body))
	if err != nil {
		return networks.Result{}, &networks.Error{Kind: networks.Permanent, Account: c.account,
			Err: fmt.Errorf("the request to %s cannot be made", c.host)}
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "herald")
	req.Header.Set("webhook-id", p.IdempotencyKey)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sign(c.key, p.IdempotencyKey, ts, body))
	// The receiver dedupes by webhook-id: sending again is safe.
	resp, err := c.http.Do(httpx.MarkIdempotent(req))
	if err != nil {
		return networks.Result{}, c.hidePath(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return networks.Result{}, &networks.Error{Kind: networks.Permanent, Account: c.account, Status: resp.StatusCode,
			Err: fmt.Errorf("%s answered %s, not a 2xx: give the account the receiver's final URL (redirects are not followed)", c.host, resp.Status)}
	}
	return networks.Result{IDs: []string{p.IdempotencyKey}}, nil
}

// hidePath takes a secret URL's path out of what httpx says of the
// request it sent.
func (c *Client) hidePath(err error) error {
	if se, ok := errors.AsType[*httpx.ServerError](err); ok && c.secretURL {
		se.Path = "(" + c.urlEnv + ")"
	}
	return err
}

// Lookup answers not found: a receiver cannot be asked what it received.
// The engine then delivers p again with the same webhook-id, which the
// receiver dedupes (see the package doc).
func (c *Client) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	return networks.Result{}, false, nil
}

// Stats is Unsupported: a webhook has no engagement to read.
func (c *Client) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	return nil, &networks.Error{Kind: networks.Unsupported, Account: c.account,
		Err: errors.New("a webhook has no engagement to read")}
}

// Verify implements networks.Verifier without a request: a webhook has no
// read-only call, so what the receiver makes of a delivery is known at
// publish time only. It says where deliveries go (the host alone: the URL
// may be a secret) and that they are signed.
func (c *Client) Verify(ctx context.Context, now time.Time) networks.Verification {
	where := "the charter's url"
	if c.secretURL {
		where = c.urlEnv
	}
	return networks.Verification{Verdict: networks.Unsure,
		Message: fmt.Sprintf("deliveries go to %s (from %s), signed with %s; nothing was sent: a webhook has no read-only call, so the receiver's answer is checked when herald publish delivers",
			c.host, where, c.secretEnv)}
}
