package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/bluesky"
	"github.com/herald-social/herald/pipeline/networks/mastodon"
	"github.com/herald-social/herald/pipeline/publish"
	"github.com/herald-social/herald/pipeline/schedule"
)

// accountChecks checks one account. The checks it returns say nothing of
// the calendar or account: Run fills them in.
func accountChecks(ctx context.Context, opts *Options, cal *check.Calendar, a *load.Account) []Check {
	switch a.Network {
	case "feed", "outbox":
		return []Check{channelCheck(opts, cal, a)}
	case "mastodon":
		return []Check{mastodonCheck(ctx, opts, cal, a)}
	case "bluesky":
		return []Check{blueskyCheck(ctx, opts, cal, a)}
	}
	checks := []Check{otherCheck(opts, cal, a)}
	if a.Network == "linkedin" {
		if c, ok := linkedInExpiry(opts, cal, a); ok {
			checks = append(checks, c)
		}
	}
	return checks
}

// reason is what an error says, without the "account KEY: " the check's
// line already says.
func reason(err error, a *load.Account) string {
	return strings.TrimPrefix(err.Error(), "account "+a.Key+": ")
}

// skippedThenMissed is what herald publish does with the posts of an
// account it cannot publish to, as its plan decides (schedule.Options's
// Configured): it skips them while they are due, then journals them
// missed, which fails that run.
func skippedThenMissed(cal *check.Calendar) string {
	return fmt.Sprintf("herald publish skips the posts that name it while they are due, then reports them missed (past cadence.max_lateness, %s), which fails the run",
		schedule.FormatDuration(cal.Charter.Cadence.Lateness()))
}

// notConfigured is the warning for a credential that is not set.
func notConfigured(err error, cal *check.Calendar, what string) (Check, bool) {
	var ne *networks.Error
	if !errors.As(err, &ne) || ne.Kind != networks.NotConfigured {
		return Check{}, false
	}
	return Check{Status: Warning, Message: fmt.Sprintf("not configured: set %s (%s) in the herald environment's secrets; until then %s",
		ne.Env, what, skippedThenMissed(cal))}, true
}

// rejected reports whether the network refused the credential itself.
func rejected(err error) bool {
	var ne *networks.Error
	return errors.As(err, &ne) && (ne.Status == http.StatusUnauthorized || ne.Status == http.StatusForbidden)
}

// host is a service URL as people name it: its host.
func host(service, def string) string {
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

func mastodonCheck(ctx context.Context, opts *Options, cal *check.Calendar, a *load.Account) Check {
	c, err := mastodon.New(a, mastodon.Options{Getenv: networks.LookupEnv(opts.Getenv), HTTP: opts.HTTP})
	if c, ok := notConfigured(err, cal, "an access token with the scopes read:accounts read:statuses write:media write:statuses"); ok {
		return c
	}
	if err != nil {
		return Check{Status: Error, Message: reason(err, a)}
	}
	server := host(a.Server, "")
	acct, err := c.VerifyCredentials(ctx)
	switch {
	case err == nil:
		if !strings.Contains(acct, "@") {
			acct += "@" + server
		}
		return Check{Status: OK, Message: fmt.Sprintf("%s accepts the token of @%s (GET /api/v1/accounts/verify_credentials)", server, acct)}
	case rejected(err):
		return Check{Status: Error, Message: fmt.Sprintf("rejected: %s: make a new access token on %s (Preferences > Development) and set it in %s",
			reason(err, a), server, a.EnvName("TOKEN"))}
	}
	return Check{Status: Warning, Message: fmt.Sprintf("could not reach %s, the token was not checked: %s", server, reason(err, a))}
}

func blueskyCheck(ctx context.Context, opts *Options, cal *check.Calendar, a *load.Account) Check {
	c, err := bluesky.New(a, bluesky.Options{Getenv: networks.LookupEnv(opts.Getenv), Retry: opts.HTTP})
	if c, ok := notConfigured(err, cal, "an app password of "+a.Handle+", from Settings > Privacy and security > App passwords"); ok {
		return c
	}
	if err != nil {
		return Check{Status: Error, Message: reason(err, a)}
	}
	pds := host(a.PDS, load.DefaultPDS)
	s, err := c.Login(ctx)
	switch {
	case err == nil:
		msg := fmt.Sprintf("logged in as @%s on %s", s.Handle, pds)
		if s.AccessExpires.IsZero() {
			return Check{Status: OK, Message: msg + ": publish logs in once per run, nothing to do"}
		}
		left := s.AccessExpires.Sub(opts.Now())
		if left <= 0 {
			return Check{Status: Warning, Message: fmt.Sprintf("%s, but the session's access token expired at %s: is this machine's clock right?",
				msg, s.AccessExpires.Format(time.RFC3339))}
		}
		return Check{Status: OK, Message: fmt.Sprintf("%s: session lasts %s: publish logs in once per run, nothing to do", msg, lasting(left))}
	case rejected(err):
		// The client's error already says which handle and variable.
		return Check{Status: Error, Message: "rejected: " + reason(err, a)}
	}
	return Check{Status: Warning, Message: fmt.Sprintf("could not reach %s, the app password was not checked: %s", pds, reason(err, a))}
}

// lasting says how long a session lasts, in whole hours (or minutes under
// an hour and a half).
func lasting(d time.Duration) string {
	if d < 90*time.Minute {
		m := int(d.Round(time.Minute) / time.Minute)
		if m == 1 {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", m)
	}
	return fmt.Sprintf("%d hours", int(d.Round(time.Hour)/time.Hour))
}

// otherCheck is an account on a network herald has no checks for: it
// says what herald publish does with it.
func otherCheck(opts *Options, cal *check.Calendar, a *load.Account) Check {
	_, err := publish.NewPublisher(a, publish.Env{Getenv: opts.Getenv, Brand: cal.Charter.Brand})
	if c, ok := notConfigured(err, cal, "its credential"); ok {
		return c
	}
	if err != nil {
		// "herald cannot publish to linkedin yet", or a client's own
		// refusal: the plan treats both as an account that is not
		// configured.
		return Check{Status: Warning, Message: reason(err, a) + ": " + skippedThenMissed(cal)}
	}
	return Check{Status: Warning, Message: fmt.Sprintf("herald doctor cannot check %s credentials yet: herald publish will use them", a.Network)}
}

// LinkedIn's access tokens last 60 days; doctor warns this long before.
const linkedInNotice = 14 * 24 * time.Hour

// linkedInExpiry checks HERALD_<KEY>_TOKEN_EXPIRES, when set: LinkedIn
// says when a token expires only when it is made, so the team writes it
// down there.
func linkedInExpiry(opts *Options, cal *check.Calendar, a *load.Account) (Check, bool) {
	name := a.EnvName("TOKEN_EXPIRES")
	v := strings.TrimSpace(opts.Getenv(name))
	if v == "" {
		return Check{}, false
	}
	expires, err := time.Parse(time.RFC3339, v)
	if err != nil {
		// A date alone: the token is taken to expire as that day starts,
		// in the charter's time zone.
		expires, err = time.ParseInLocation(time.DateOnly, v, cal.Charter.Location)
	}
	if err != nil {
		return Check{Status: Warning, Message: fmt.Sprintf("%s is %q, not a date: use RFC 3339 (2027-01-31T12:00:00Z) or YYYY-MM-DD", name, v)}, true
	}
	when := expires.In(cal.Charter.Location).Format("2006-01-02 15:04 MST")
	left := expires.Sub(opts.Now())
	renew := fmt.Sprintf("make a new token (they last 60 days), and set it in %s and its expiry in %s", a.EnvName("TOKEN"), name)
	switch {
	case left <= 0:
		return Check{Status: Warning, Message: fmt.Sprintf("the LinkedIn token expired on %s: %s", when, renew)}, true
	case left < linkedInNotice:
		return Check{Status: Warning, Message: fmt.Sprintf("the LinkedIn token expires on %s, in %s: %s", when, schedule.FormatDuration(left.Round(time.Hour)), renew)}, true
	}
	return Check{Status: OK, Message: fmt.Sprintf("the LinkedIn token expires on %s, in %s (%s says)", when, schedule.FormatDuration(left.Round(time.Hour)), name)}, true
}

// channelCheck checks the file a feed writes, or the folder an outbox
// writes into: inside the calendar, and writable by the look of it. They
// need no credentials.
func channelCheck(opts *Options, cal *check.Calendar, a *load.Account) Check {
	_, err := publish.NewPublisher(a, publish.Env{Getenv: opts.Getenv, Store: networks.DirStore{Root: cal.Root}, Brand: cal.Charter.Brand})
	if err != nil {
		return Check{Status: Error, Message: reason(err, a)}
	}
	target, isDir := a.Path, false
	if a.Network == "outbox" {
		target, isDir = a.Dir, true
	}
	name, err := networks.JoinName(target, "")
	if err != nil {
		return Check{Status: Error, Message: fmt.Sprintf("%q is not inside the calendar", target)}
	}
	if msg := writable(cal.Root, name, isDir); msg != "" {
		return Check{Status: Error, Message: msg}
	}
	if isDir {
		return Check{Status: OK, Message: fmt.Sprintf("writes into %s/ in the calendar, committed with the journal; needs no credentials", name)}
	}
	return Check{Status: OK, Message: fmt.Sprintf("writes %s in the calendar, committed with the journal; needs no credentials", name)}
}

// writable says what is wrong with writing name (slash-separated, below
// root) as a file, or a folder when isDir: "" when it looks writable.
// It looks, it does not try: doctor writes nothing.
func writable(root, name string, isDir bool) string {
	target := filepath.Join(root, filepath.FromSlash(name))
	// The nearest part of the path that exists: the rest is made.
	existing := target
	for {
		_, err := os.Lstat(existing)
		if err == nil {
			break
		}
		// ENOTDIR: a file stands where a folder of the path goes; it is
		// found on the way up.
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Sprintf("%s: %v", name, err)
		}
		if existing == root {
			return "the calendar's folder is gone"
		}
		existing = filepath.Dir(existing)
	}
	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			return p
		}
		return filepath.ToSlash(r)
	}
	realRoot, err1 := filepath.EvalSymlinks(root)
	real, err2 := filepath.EvalSymlinks(existing)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("%s: %v", rel(existing), errors.Join(err1, err2))
	}
	if real != realRoot && !strings.HasPrefix(real, realRoot+string(filepath.Separator)) {
		return fmt.Sprintf("%s leads outside the calendar (a symbolic link to %s): herald writes only inside it", rel(existing), real)
	}
	fi, err := os.Stat(existing)
	if err != nil {
		return fmt.Sprintf("%s: %v", rel(existing), err)
	}
	folder := existing
	switch {
	case existing == target && !isDir:
		if !fi.Mode().IsRegular() {
			return fmt.Sprintf("%s is not a file: the feed is written there", name)
		}
		folder = filepath.Dir(target)
		if fi.Mode().Perm()&0o200 == 0 {
			return fmt.Sprintf("%s is read-only: the feed is written there", name)
		}
	case !fi.IsDir():
		return fmt.Sprintf("%s is a file, where herald needs a folder to write %s", rel(existing), name)
	}
	dfi, err := os.Stat(folder)
	if err != nil {
		return fmt.Sprintf("%s: %v", rel(folder), err)
	}
	if dfi.Mode().Perm()&0o200 == 0 {
		where := rel(folder) + "/"
		if folder == root {
			where = "the calendar's folder"
		}
		return fmt.Sprintf("%s is read-only: herald writes %s there", where, name)
	}
	return ""
}
