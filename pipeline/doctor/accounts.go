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
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
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
func skippedThenMissed(p *i18n.Printer, cal *check.Calendar) string {
	return p.T("doctor.skipped-then-missed", i18n.Args{"Lateness": p.Duration(cal.Charter.Cadence.Lateness())})
}

// credentialCheck makes the account's client as publish does and, when
// the client can (networks.Verifier), asks the network whether it accepts
// the credential.
func credentialCheck(ctx context.Context, opts *Options, cal *check.Calendar, a *load.Account) Check {
	pr := opts.Printer
	p, err := registry.Open(a, opts.env(cal, nil))
	if ne, ok := errors.AsType[*networks.Error](err); ok && ne.Kind == networks.NotConfigured {
		what := cmp.Or(ne.Help, pr.T("doctor.its-credential", nil))
		return Check{Status: Warning, Message: pr.T("doctor.not-configured", i18n.Args{"Env": ne.Env, "What": what, "Then": skippedThenMissed(pr, cal)})}
	}
	switch {
	case err != nil && !registry.Supported(a.Network):
		// "herald cannot publish to linkedin yet": the plan treats it as
		// an account that is not configured.
		return Check{Status: Warning, Message: pr.T("doctor.unsupported", i18n.Args{"Reason": networks.Reason(err, a.Key), "Then": skippedThenMissed(pr, cal)})}
	case err != nil:
		return Check{Status: Error, Message: networks.Reason(err, a.Key)}
	}
	v, ok := p.(networks.Verifier)
	if !ok {
		return Check{Status: Warning, Message: pr.T("doctor.cannot-verify", i18n.Args{"Network": a.Network})}
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
	p := opts.Printer
	if err != nil {
		return Check{Status: Warning, Message: p.T("doctor.linkedin.not-a-date", i18n.Args{"Env": name, "Value": p.Quote(v)})}, true
	}
	local := expires.In(cal.Charter.Location)
	when := p.T("doctor.linkedin.when", i18n.Args{"ISO": local.Format("2006-01-02 15:04 MST"), "DateTime": p.DateTime(local), "Zone": local.Format("MST")})
	left := expires.Sub(opts.Now())
	args := i18n.Args{"When": when, "Left": p.Duration(left.Round(time.Hour)), "Env": name,
		"Renew": p.T("doctor.linkedin.renew", i18n.Args{"Token": a.EnvName("TOKEN"), "Env": name})}
	switch {
	case left <= 0:
		return Check{Status: Warning, Message: p.T("doctor.linkedin.expired", args)}, true
	case left < linkedInNotice:
		return Check{Status: Warning, Message: p.T("doctor.linkedin.expires-soon", args)}, true
	}
	return Check{Status: OK, Message: p.T("doctor.linkedin.expires", args)}, true
}

// channelCheck checks the file a feed writes, or the folder an outbox
// writes into: inside the calendar, and writable by the look of it. They
// need no credentials.
func channelCheck(opts *Options, cal *check.Calendar, a *load.Account) Check {
	p := opts.Printer
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
		return Check{Status: Error, Message: p.T("doctor.channel.outside", i18n.Args{"Target": p.Quote(target)})}
	}
	if msg := writable(p, cal.Root, name, isDir); msg != "" {
		return Check{Status: Error, Message: msg}
	}
	if isDir {
		return Check{Status: OK, Message: p.T("doctor.channel.outbox", i18n.Args{"Dir": name})}
	}
	if f, ok := ch.(interface{ MaxEntries() int }); ok {
		// A feed keeps its newest entries only: say how many, and where
		// that is set.
		return Check{Status: OK, Message: p.T("doctor.channel.feed-max", i18n.Args{"File": name, "Max": p.Int(int64(f.MaxEntries()))})}
	}
	return Check{Status: OK, Message: p.T("doctor.channel.feed", i18n.Args{"File": name})}
}

// writable says what is wrong with writing name (slash-separated, below
// root) as a file, or a folder when isDir: "" when it looks writable.
// It looks, it does not try: doctor writes nothing.
func writable(p *i18n.Printer, root, name string, isDir bool) string {
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
			return p.T("doctor.write.gone", nil)
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
		return p.T("doctor.write.outside", i18n.Args{"Path": rel(existing), "Target": real})
	}
	fi, err := os.Stat(existing)
	if err != nil {
		return fmt.Sprintf("%s: %v", rel(existing), err)
	}
	folder := existing
	switch {
	case existing == target && !isDir:
		if !fi.Mode().IsRegular() {
			return p.T("doctor.write.not-a-file", i18n.Args{"File": name})
		}
		folder = filepath.Dir(target)
		if fi.Mode().Perm()&0o200 == 0 {
			return p.T("doctor.write.read-only-file", i18n.Args{"File": name})
		}
	case !fi.IsDir():
		return p.T("doctor.write.file-for-folder", i18n.Args{"Path": rel(existing), "Name": name})
	}
	dfi, err := os.Stat(folder)
	if err != nil {
		return fmt.Sprintf("%s: %v", rel(folder), err)
	}
	if dfi.Mode().Perm()&0o200 == 0 {
		if folder == root {
			return p.T("doctor.write.read-only-root", i18n.Args{"Name": name})
		}
		return p.T("doctor.write.read-only-folder", i18n.Args{"Folder": rel(folder) + "/", "Name": name})
	}
	return ""
}
