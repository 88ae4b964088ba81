// Package httpx is the HTTP client the network clients share: it retries
// what may pass (5xx, 408, 425, connection errors) with capped exponential
// backoff and full jitter, waits out a 429 when the server says how long
// and the wait fits in the run's time budget, and turns every other
// failure into a networks.Error that carries the server's message and
// never a credential.
//
// A request that may have reached the server and is not idempotent (a
// POST without an Idempotency-Key) is never sent twice: its failure is
// Transient, so that the publish engine looks the publication up before it
// tries again.
//
// Written by hand: the retry libraries for Go (hashicorp/go-retryablehttp
// and the like) resend any request whose body they can rewind, which is
// what a publisher must not do, and know neither Mastodon's nor Bluesky's
// rate-limit headers.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
)

// Options configure a Client. The zero value of each field is its default.
type Options struct {
	// Account is the account key the errors name.
	Account string
	// HTTP sends the requests; default a client with a 60 s timeout.
	HTTP *http.Client
	// Budget is how long after New the client may still wait before a
	// retry (the run's time budget); default 2 minutes. A wait that would
	// end later is not made: the call fails (RateLimited, or the last
	// error) and the engine tries again on a later run.
	Budget time.Duration
	// MaxAttempts is how many times one call is sent at most; default 5.
	MaxAttempts int
	// BaseDelay and MaxDelay bound the backoff: before retry n (from 0)
	// the client waits a random time in [0, min(MaxDelay, BaseDelay·2ⁿ));
	// defaults 1 s and 30 s.
	BaseDelay, MaxDelay time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Sleep waits d or until ctx is done; default a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rand returns a number in [0, 1) for the jitter; default math/rand/v2.
	Rand func() float64
	// Secrets are values that must never appear in an error (passwords
	// sent in a body); the Authorization header's credential is always
	// scrubbed.
	Secrets []string
	// Log receives a line for each retry; default nowhere.
	Log io.Writer
}

// Client sends requests for one account within one run's budget.
type Client struct {
	opts     Options
	deadline time.Time
}

// New returns a client whose budget starts now.
func New(opts Options) *Client {
	if opts.HTTP == nil {
		opts.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if opts.Budget <= 0 {
		opts.Budget = 2 * time.Minute
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 5
	}
	if opts.BaseDelay <= 0 {
		opts.BaseDelay = time.Second
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	if opts.Rand == nil {
		opts.Rand = rand.Float64
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	return &Client{opts: opts, deadline: opts.Now().Add(opts.Budget)}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// ErrBudget is what Wait returns when the wait would end past the run's
// budget or the context's deadline.
var ErrBudget = errors.New("the run's time budget is spent")

// Wait waits before the attempt-th retry (from 0) of something the caller
// polls (a medium being processed): a backoff delay with jitter. It
// returns ErrBudget, without waiting, when the wait would end past the
// budget.
func (c *Client) Wait(ctx context.Context, attempt int) error {
	d := c.backoff(attempt)
	if !c.fits(ctx, d) {
		return ErrBudget
	}
	return c.opts.Sleep(ctx, d)
}

// backoff is full jitter: a random delay below the capped exponential.
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.opts.MaxDelay
	if attempt < 30 {
		if d := c.opts.BaseDelay << attempt; d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return time.Duration(c.opts.Rand() * float64(ceiling))
}

// fits reports whether a wait of d ends within the budget and before the
// context's deadline.
func (c *Client) fits(ctx context.Context, d time.Duration) bool {
	end := c.opts.Now().Add(d)
	if end.After(c.deadline) {
		return false
	}
	if dl, ok := ctx.Deadline(); ok && end.After(dl) {
		return false
	}
	return true
}

type idempotentKey struct{}

// MarkIdempotent returns req marked as safe to send again after it may
// have reached the server (a write whose second copy the server refuses
// or merges: a record under a fixed key). GET, HEAD, OPTIONS, PUT and
// DELETE, and any request with an Idempotency-Key header, are so already.
func MarkIdempotent(req *http.Request) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), idempotentKey{}, true))
}

type acceptKey struct{}

// AcceptStatus returns req marked so that Do returns an answer with one of
// these statuses (400 or more) as it returns a success, its body for the
// caller to read: a status a protocol uses for an answer the caller
// understands, such as the Bluesky video service's 409 already_exists,
// whose body names the job that processed the same video before.
func AcceptStatus(req *http.Request, statuses ...int) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), acceptKey{}, statuses))
}

// accepted reports whether req accepts an answer of this status.
func accepted(req *http.Request, status int) bool {
	statuses, _ := req.Context().Value(acceptKey{}).([]int)
	return slices.Contains(statuses, status)
}

// idempotent reports whether req may be sent twice.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodTrace:
		return true
	}
	if req.Header.Get("Idempotency-Key") != "" || req.Header.Get("X-Idempotency-Key") != "" {
		return true
	}
	marked, _ := req.Context().Value(idempotentKey{}).(bool)
	return marked
}

// Do sends req, retrying as the package says, and returns a response with
// a status below 400, or one req accepts (AcceptStatus), its body for the
// caller to read and close. Any
// other outcome is a *networks.Error: Transient, RateLimited or
// Permanent; its Err is a *ServerError when the server answered. The
// request's body must be rewindable (GetBody, as http.NewRequest sets it
// for bytes and strings) to be sent again.
func (c *Client) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	replayable := idempotent(req)
	secrets := c.secretsOf(req)
	for attempt := 0; ; attempt++ {
		r, err := rewind(req, attempt)
		if err != nil {
			return nil, &networks.Error{Kind: networks.Transient, Account: c.opts.Account, Err: err}
		}
		resp, err := c.opts.HTTP.Do(r)
		last := attempt+1 >= c.opts.MaxAttempts
		if err != nil {
			e := c.transportError(req, err, secrets)
			if ctx.Err() != nil || last || (!replayable && maySent(err)) {
				return nil, e
			}
			if !c.retry(ctx, req, c.backoff(attempt), attempt, e) {
				return nil, e
			}
			continue
		}
		if resp.StatusCode < 400 || accepted(req, resp.StatusCode) {
			return resp, nil
		}
		e := c.statusError(req, resp, secrets)
		wait, retryable := c.decide(req, resp, replayable, attempt)
		if !retryable || last || !c.retry(ctx, req, wait, attempt, e) {
			return nil, e
		}
	}
}

// decide says whether a failed status may be retried, and after how long.
func (c *Client) decide(req *http.Request, resp *http.Response, replayable bool, attempt int) (time.Duration, bool) {
	code := resp.StatusCode
	// The rate-limit headers say when the window resets on every answer:
	// only a 429 means waiting for it. Other statuses may say Retry-After.
	wait := untilReset(resp.Header.Get("Retry-After"), c.opts.Now())
	if code == http.StatusTooManyRequests {
		wait = serverWait(resp.Header, c.opts.Now())
	}
	if wait <= 0 {
		wait = c.backoff(attempt)
	}
	switch {
	case code == http.StatusTooManyRequests, code == http.StatusServiceUnavailable,
		code == http.StatusRequestTimeout, code == http.StatusTooEarly:
		// The server did not process the request: sending it again is
		// safe whatever it is.
		return wait, true
	case code >= 500:
		// A 500, 502 or 504 may come after the server acted.
		return wait, replayable
	}
	return 0, false
}

// retry waits d before sending again if it fits in the budget, and logs
// it; it reports whether to retry.
func (c *Client) retry(ctx context.Context, req *http.Request, d time.Duration, attempt int, cause error) bool {
	if !c.fits(ctx, d) {
		return false
	}
	fmt.Fprintf(c.opts.Log, "%s %s: %v; retrying in %s (attempt %d of %d)\n",
		req.Method, scrub(req.URL.Path, c.secretsOf(req)), cause, d.Round(time.Millisecond), attempt+2, c.opts.MaxAttempts)
	return c.opts.Sleep(ctx, d) == nil
}

// rewind returns the request to send for the attempt-th time.
func rewind(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 0 || req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	if req.GetBody == nil {
		return nil, fmt.Errorf("%s %s: the request's body cannot be sent again", req.Method, req.URL.Path)
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, nil
}

// FromEnv returns the Options of a client made with env (see
// networks.Env): its HTTP client, budget, attempts, clock and log.
func FromEnv(env networks.Env) Options {
	return Options{HTTP: env.HTTP, Budget: env.Budget, MaxAttempts: env.MaxAttempts, Now: env.Now, Log: env.Log}
}
