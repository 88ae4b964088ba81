package networks

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/load"
)

// Env is what a client is made with besides its account: the effects that
// the commands (publish, stats, doctor) inject. The zero value is the real
// ones.
type Env struct {
	// Getenv looks credentials up (HERALD_<KEY>_<FIELD>); nil is
	// os.Getenv. An empty value is an unset one (see LookupEnv).
	Getenv func(string) string
	// HTTP sends the network calls; nil is the client's default.
	HTTP *http.Client
	// Budget is how long a client may keep retrying within the run, and
	// MaxAttempts how many times it sends one call; 0 is httpx's default.
	Budget      time.Duration
	MaxAttempts int
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Log receives a line per retry or skipped step; nil discards them.
	Log io.Writer
	// Store is the calendar, for the channels that write into it (feed,
	// outbox): what they write is committed with the journal.
	Store Store
	// Brand is the charter's brand (a feed's default title).
	Brand string
	// MediaURL is the charter's media_url, the public base URL under
	// which the calendar's files are served; "" when it has none.
	MediaURL string
	// Public asks for a client that reads public engagement without the
	// account's credential where the network allows it (Bluesky's
	// AppView): herald stats. Calls that need the credential then fail
	// NotConfigured.
	Public bool
}

// Open makes the client of an account from its network's package: each
// network package has one, and pipeline/networks/registry maps network
// names onto them.
type Open func(a *load.Account, env Env) (Publisher, error)

// Verifier is what a client implements so that herald doctor can check
// its account with a read-only call: it posts nothing, and says in a
// sentence what the network answered and, when something is wrong, what
// to do.
type Verifier interface {
	Verify(ctx context.Context, now time.Time) Verification
}

// Verification is what Verify found.
type Verification struct {
	Verdict Verdict
	Message string // a sentence for a person, without the account key
}

// Verdict is how a Verification ends.
type Verdict int

const (
	// Verified: the network accepts the credential.
	Verified Verdict = iota + 1
	// Unsure: the network could not be asked, or something needs a look
	// although the credential works.
	Unsure
	// Rejected: the network refuses the credential: publishing fails
	// until a person fixes it.
	Rejected
)

// Reason is what err says without the "account KEY: " its *Error puts
// first, for a line that already names the account.
func Reason(err error, account string) string {
	return strings.TrimPrefix(err.Error(), "account "+account+": ")
}

// Host is a service URL as people name it: its host ("social.example"),
// def when service is empty.
func Host(service, def string) string {
	if service == "" {
		service = def
	}
	if !strings.Contains(service, "://") {
		service = "https://" + service
	}
	if u, err := url.Parse(service); err == nil && u.Host != "" {
		return u.Host
	}
	return service
}

// RejectedCredential reports whether err is the network refusing the
// credential itself (HTTP 401 or 403).
func RejectedCredential(err error) bool {
	e, ok := errors.AsType[*Error](err)
	return ok && (e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden)
}
