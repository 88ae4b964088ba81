// Package doctor checks that a calendar can be published from where herald
// runs: each account of its charter against its network (a read-only call
// with the credentials the environment holds), the files the feed and
// outbox write, and the scheduled workflow that runs herald publish.
//
// It changes nothing: no post, no state file, no publication. Each
// network's client checks its own credentials (networks.Verifier), so a
// network added to the registry needs no code here: a Bluesky check opens
// a session, as any run does; the others make read-only calls (Mastodon
// reads the token's account, Slack calls auth.test...), and a webhook,
// which has none, says where its deliveries go.
package doctor

import (
	"cmp"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/check"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// Status is how a check went.
type Status string

const (
	OK      Status = "ok"
	Warning Status = "warning" // publishing works, or will once someone acts: a credential missing, expiring
	Error   Status = "error"   // publishing to the account fails: a credential rejected, an account unusable
)

// Check is one finding, about one account or the repository.
type Check struct {
	Calendar string `json:"calendar"` // the calendar root, relative to Options.Dir: "." or "brands/a"
	Account  string `json:"account"`  // the account key; "" for the repository
	Network  string `json:"network"`  // the account's network; "" for the repository
	Status   Status `json:"status"`
	Message  string `json:"message"`
}

// Report is what doctor found, by calendar, then account in key order,
// then the repository.
type Report struct {
	Checks []Check
}

// Failed reports whether a check is an error: the exit code is then 1.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Error {
			return true
		}
	}
	return false
}

// Count returns how many checks have status s.
func (r *Report) Count(s Status) int {
	n := 0
	for _, c := range r.Checks {
		if c.Status == s {
			n++
		}
	}
	return n
}

// Options configure a run. The zero value checks the calendars of the
// working directory with the process's environment.
type Options struct {
	Dir   string   // where herald runs; PATHs are relative to it
	Paths []string // as for herald check: the calendars to check

	// Getenv looks credentials up; default os.Getenv.
	Getenv func(string) string
	// Now is the clock, for how long a session or token lasts; default
	// time.Now.
	Now func() time.Time
	// HTTP configures the calls to the networks. Its zero fields are
	// httpx's defaults but for a shorter wait: three attempts within 30
	// seconds, 20 seconds each, since a check that cannot reach its
	// network says so and moves on.
	HTTP httpx.Options
	// Printer writes doctor's own messages in the reader's language; nil
	// is English. What a network answers is quoted as it says it.
	Printer *i18n.Printer
}

// Run checks the calendars opts names. A charter with errors stops it (a
// *load.UsageError, as for herald publish).
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Printer == nil {
		opts.Printer = i18n.English()
	}
	opts.HTTP.MaxAttempts = cmp.Or(opts.HTTP.MaxAttempts, 3)
	opts.HTTP.Budget = cmp.Or(opts.HTTP.Budget, 30*time.Second)
	if opts.HTTP.HTTP == nil {
		opts.HTTP.HTTP = &http.Client{Timeout: 20 * time.Second}
	}
	if opts.HTTP.Now == nil {
		opts.HTTP.Now = opts.Now
	}
	dir, err := filepath.Abs(cmp.Or(opts.Dir, "."))
	if err != nil {
		return nil, err
	}
	// Check reads the charter as publish does, so that doctor refuses
	// what publish refuses; it reads the posts too, which doctor does not
	// need but which cost little next to a network call.
	res, err := check.Calendars(ctx, dir, opts.Paths)
	if err != nil {
		return nil, err
	}
	rep := &Report{}
	repositories := map[string]bool{}
	for _, cal := range res.Calendars {
		name, err := filepath.Rel(dir, cal.Root)
		if err != nil {
			name = cal.Root
		}
		name = filepath.ToSlash(name)
		keys := cal.Charter.AccountKeys()
		found := make([][]Check, len(keys))
		var wg sync.WaitGroup
		for i, key := range keys {
			a := cal.Charter.Accounts[key]
			a.Key = key
			wg.Go(func() {
				found[i] = accountChecks(ctx, &opts, cal, a)
			})
		}
		wg.Wait()
		for i, key := range keys {
			for _, c := range found[i] {
				c.Calendar, c.Account, c.Network = name, key, cal.Charter.Accounts[key].Network
				rep.Checks = append(rep.Checks, c)
			}
		}
		// One check per repository: its calendars share its workflows.
		root, inGit := gitRoot(cal.Root)
		if !repositories[root] || !inGit {
			repositories[root] = true
			c := workflowCheck(opts.Printer, root, inGit)
			c.Calendar = name
			rep.Checks = append(rep.Checks, c)
			if c, ok := protectionCheck(ctx, &opts, root, inGit); ok {
				c.Calendar = name
				rep.Checks = append(rep.Checks, c)
			}
		}
	}
	return rep, ctx.Err()
}
