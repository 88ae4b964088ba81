package report

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/journal"
	"github.com/herald-social/herald/pipeline/publish/gitstore"
	"github.com/herald-social/herald/pipeline/state"
)

// CommitOptions configure how a report's folder is committed.
type CommitOptions struct {
	NoPush bool                // commit locally, never fetch or push
	Getenv func(string) string // credentials for the push
	Wall   func() time.Time    // dates the commit; default time.Now
	Log    io.Writer           // one line per fetch, commit, push
	Git    gitstore.Options
}

// Commit writes files (by name) into dir, a folder inside the report's
// calendar, as one commit pushed the way herald publish and stats push
// their journal (package journal): never forced, built again on the new
// head when someone pushed meanwhile. Outside git the files are written
// in the folder. It returns the commit's short hash, "" when nothing
// changed or outside git, and whether the calendar is in git.
func Commit(ctx context.Context, r *Report, dir string, files map[string][]byte, opts CommitOptions) (hash string, inGit bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	rel, err := filepath.Rel(r.Root, abs)
	rel = filepath.ToSlash(rel)
	if err != nil || rel == ".." || strings.HasPrefix(rel, "../") || !fs.ValidPath(rel) {
		return "", false, &UsageError{fmt.Errorf("--commit: --out %s is outside the calendar (%s): give a folder inside it, such as reports/%s", dir, r.Root, r.Period.Start.Format("2006-01"))}
	}
	if rel == "." || rel == state.Dir || strings.HasPrefix(rel, state.Dir+"/") {
		return "", false, &UsageError{fmt.Errorf("--commit: --out %s would write into the calendar root or state/: give a folder of its own, such as reports/%s", dir, r.Period.Start.Format("2006-01"))}
	}
	if opts.Wall == nil {
		opts.Wall = time.Now
	}
	j, err := journal.Open(ctx, r.Root, journal.GitOptions(opts.Git, opts.NoPush, opts.Getenv, opts.Wall, opts.Log))
	if err != nil {
		return "", false, err
	}
	defer j.Close()
	inGit = j.Repository() != ""
	if err := j.Fetch(ctx); err != nil {
		return "", inGit, err
	}
	changes := map[string][]byte{}
	for name, data := range files {
		changes[rel+"/"+name] = data
	}
	msg := fmt.Sprintf("herald report: %s, %s to %s", r.Brand, r.Period.Start.Format(dayLayout), r.Period.Last().Format(dayLayout))
	hash, err = j.Commit(ctx, msg, func(base fs.FS) (map[string]*state.File, map[string][]byte, error) {
		// The report's files replace what the base holds at those names,
		// whatever it is: the changed period reported again gives the changed
		// bytes, and a push that lost its race builds the changed commit.
		changed := map[string][]byte{}
		for name, data := range changes {
			if old, err := fs.ReadFile(base, name); err == nil && string(old) == string(data) {
				continue
			}
			changed[name] = data
		}
		return nil, changed, nil
	})
	return hash, inGit, err
}
