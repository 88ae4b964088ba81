package networks

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
)

// Kind says what the engine may do after a failed call.
type Kind int

const (
	// Transient is trouble that may pass: a timeout, a 5xx, a dropped
	// connection. The publication may exist all the same: look it up
	// before trying again.
	Transient Kind = iota + 1
	// RateLimited is the network asking to wait (HTTP 429); RetryAfter
	// says how long when the network says it.
	RateLimited
	// Permanent is a request the network refuses as it is (4xx): the same
	// call fails again until the post or the charter changes.
	Permanent
	// NotConfigured is an account whose credentials are not set; Env
	// names the variable to set. Nothing was sent.
	NotConfigured
	// Unsupported is something the network cannot do (Stats of a feed).
	Unsupported
)

func (k Kind) String() string {
	switch k {
	case Transient:
		return "transient"
	case RateLimited:
		return "rate-limited"
	case Permanent:
		return "permanent"
	case NotConfigured:
		return "not-configured"
	case Unsupported:
		return "unsupported"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ErrUnsupported is what a Publisher returns for something its network
// cannot do; errors.Is(err, ErrUnsupported) holds for any *Error of kind
// Unsupported.
var ErrUnsupported = errors.New("not supported by this network")

// Error is a failed call to a network, with what kind of failure it is.
// Its message never holds a credential: clients build it from what the
// network answered, never from the request they sent.
type Error struct {
	Kind       Kind
	Account    string        // the account key
	Status     int           // the HTTP status, 0 when there was none
	RetryAfter time.Duration // RateLimited: how long to wait, 0 when the network did not say
	Env        string        // NotConfigured: the environment variable to set
	// Help is, for NotConfigured, what the variable holds and where a
	// person gets it, for herald doctor; "" when the client says nothing.
	Help string
	Err  error // what went wrong
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Account != "" {
		fmt.Fprintf(&b, "account %s: ", e.Account)
	}
	switch e.Kind {
	case NotConfigured:
		fmt.Fprintf(&b, "not configured: set %s", e.Env)
		if e.Err != nil {
			fmt.Fprintf(&b, " (%v)", e.Err)
		}
		return b.String()
	case RateLimited:
		b.WriteString("rate limited")
		if e.RetryAfter > 0 {
			fmt.Fprintf(&b, ", retry after %s", e.RetryAfter)
		}
		b.WriteString(": ")
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d: ", e.Status)
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString(e.Kind.String() + " failure")
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrUnsupported) hold for an Unsupported error.
func (e *Error) Is(target error) bool {
	return target == ErrUnsupported && e.Kind == Unsupported
}

// KindOf returns the kind of err: that of the *Error it wraps, Transient
// for any other error (nothing says the publication did not go through),
// 0 for nil.
func KindOf(err error) Kind {
	if err == nil {
		return 0
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	if errors.Is(err, ErrUnsupported) {
		return Unsupported
	}
	return Transient
}

// Retryable reports whether trying again later may succeed.
func Retryable(err error) bool {
	k := KindOf(err)
	return k == Transient || k == RateLimited
}

// LookupEnv turns a Getenv into the lookup Credential takes: an empty
// variable is an unset one, as CI systems pass a secret that isn't set.
// nil is os.LookupEnv.
func LookupEnv(getenv func(string) string) func(string) (string, bool) {
	if getenv == nil {
		return os.LookupEnv
	}
	return func(name string) (string, bool) {
		v := getenv(name)
		return v, v != ""
	}
}

// Secret is a credential a client reads from the environment.
type Secret struct {
	Field string // TOKEN, PASSWORD...: the variable is HERALD_<KEY>_<FIELD>
	What  string // what it is, in a few words: "access token"
	// Help says what exactly to put there and where a person gets it,
	// for herald doctor: "an app password of maison.bsky.social, from
	// Settings > Privacy and security > App passwords".
	Help string
}

// Credential returns an account's secret from the environment, as
// HERALD_<KEY>_<FIELD>, or a NotConfigured error that names the variable
// and what to put in it (never a value). getenv is os.LookupEnv, or a
// test's.
func Credential(getenv func(string) (string, bool), a *load.Account, s Secret) (string, error) {
	name := a.EnvName(s.Field)
	v, ok := getenv(name)
	if !ok || strings.TrimSpace(v) == "" {
		return "", &Error{Kind: NotConfigured, Account: a.Key, Env: name, Help: s.Help,
			Err: fmt.Errorf("%s is not set: it holds the %s of %s account %q", name, s.What, a.Network, a.Key)}
	}
	return v, nil
}

// HTTPError classifies a network's HTTP answer that is not a success:
// 429 is RateLimited (with its Retry-After, in seconds or as a date, from
// now), 408, 425 and 5xx are Transient, any other status Permanent. msg is
// what the network said, in a sentence; it must not hold the request.
func HTTPError(account string, resp *http.Response, now time.Time, msg string) *Error {
	e := &Error{Account: account, Status: resp.StatusCode, Err: errors.New(msg)}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		e.Kind = RateLimited
		e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly, code >= 500:
		e.Kind = Transient
		if code == http.StatusServiceUnavailable {
			e.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), now)
		}
	default:
		e.Kind = Permanent
	}
	return e
}

// retryAfter reads a Retry-After header (RFC 9110 §10.2.3): a number of
// seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}
