package doctor

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/schedule"
)

// accountChecks checks one account. The checks it returns say nothing of
// the calendar or account: Run fills them in.
func accountChecks(ctx context.Context, opts *Options, cal *check.Calendar, a *load.Account) []Check {
	if registry.IsChannel(a) {
		return []Check{channelCheck(opts, cal, a)}
	}
	checks := []Check{credentialCheck(ctx, opts, cal, a)}
	if a.Network == "linkedin" {
		if c, ok := linkedInExpiry(opts, cal, a); ok {
			checks = append(checks, c)
		}
	}
	return checks
}

// env is what doctor makes clients with: its own environment and HTTP
// settings.
func (opts *Options) env(cal *check.Calendar, store networks.Store) networks.Env {
	return networks.Env{Getenv: opts.Getenv, HTTP: opts.HTTP.HTTP, Budget: opts.HTTP.Budget,
		MaxAttempts: opts.HTTP.MaxAttempts, Now: opts.HTTP.Now, Log: opts.HTTP.Log, Store: store, Brand: cal.Charter.Brand}
}

// skippedThenMissed is what herald publish does with the posts of an
// account it cannot publish to, as its plan decides (schedule.Options's
// Configured): it skips them while they are due, then journals them
// missed, which fails that run.
func skippedThenMissed(cal *check.Calendar) string {
	return fmt.Sprintf("herald publish skips the posts that name it while they are due, then reports them missed (past cadence.max_lateness, %s), which fails the run",
		schedule.FormatDuration(cal.Charter.Cadence.Lateness()))
}

// credentialCheck makes the account's client as publish does and, when
// the client can (networks.Verifier), asks the network whether it accepts
// the credential.
func credentialCheck(ctx context.Context, opts *Options, cal *check.Calendar, a *load.Account) Check {
	p, err := registry.Open(a, opts.env(cal, nil))
	if ne, ok := errors.AsType[*networks.Error](err); ok && ne.Kind == networks.NotConfigured {
		what := cmp.Or(ne.Help, "its credential")
		return Check{Status: Warning, Message: fmt.Sprintf("not configured: set %s (%s) in the herald environment's secrets; until then %s",
			ne.Env, what, skippedThenMissed(cal))}
	}
	switch {
	case err != nil && !registry.Supported(a.Network):
		// "herald cannot publish to linkedin yet": the plan treats it as
		// an account that is not configured.
		return Check{Status: Warning, Message: networks.Reason(err, a.Key) + ": " + skippedThenMissed(cal)}
	case err != nil:
		return Check{Status: Error, Message: networks.Reason(err, a.Key)}
	}
	v, ok := p.(networks.Verifier)
	if !ok {
		return Check{Status: Warning, Message: fmt.Sprintf("herald doctor cannot check %s credentials yet: herald publish will use them", a.Network)}
	}
	found := v.Verify(ctx, opts.Now())
	status := map[networks.Verdict]Status{networks.Verified: OK, networks.Unsure: Warning, networks.Rejected: Error}[found.Verdict]
	return Check{Status: cmp.Or(status, Warning), Message: found.Message}
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
	ch, err := registry.Open(a, opts.env(cal, networks.DirStore{Root: cal.Root}))
	if err != nil {
		return Check{Status: Error, Message: networks.Reason(err, a.Key)}
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
	if f, ok := ch.(interface{ MaxEntries() int }); ok {
		// A feed keeps its newest entries only: say how many, and where
		// that is set.
		return Check{Status: OK, Message: fmt.Sprintf("writes %s in the calendar, keeping its newest %d entries (max_entries), committed with the journal; needs no credentials", name, f.MaxEntries())}
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
