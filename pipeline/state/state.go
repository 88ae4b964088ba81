// Package state is the publication journal of a post: the file
// state/<post id>.json, written by herald only, that says per account
// whether the post is being published, was published (with the network's
// ids), failed or was missed, and the engagement collected since.
//
// The file is made to be reviewed in a diff: two-space indentation, one
// value per line, keys in a fixed order (accounts sorted), a final
// newline. Fields that a later herald adds are kept as they are when this
// one rewrites the file.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// Dir is the folder, below the calendar root, that holds the state files.
const Dir = "state"

// Status is where the publication of a post on one account stands.
type Status string

const (
	// Publishing is an intent: a run is about to publish, or publishing,
	// since PublishingSince. Other runs leave it alone for the lease; after
	// it, the next run reconciles it with the network first.
	Publishing Status = "publishing"
	Published  Status = "published" // the network has it: IDs say where
	Failed     Status = "failed"    // the last attempt failed: Reason says why
	Missed     Status = "missed"    // found due too late to publish: Reason says why
)

func (s Status) valid() bool {
	return s == Publishing || s == Published || s == Failed || s == Missed
}

// File is the state file of one post.
type File struct {
	Accounts map[string]*Account // by account key
	// Extra holds the fields of the file that this herald does not know,
	// written back as they were.
	Extra map[string]json.RawMessage
}

// Account is the publication of a post on one account. The JSON field
// order is the order of the fields here.
type Account struct {
	Status Status `json:"status"`
	// Reason says why the post failed or was missed, in a sentence.
	Reason string `json:"reason,omitempty"`
	// Run names the run that wrote a publishing intent.
	Run string `json:"run,omitempty"`
	// PublishingSince is when the intent was written, on the wall clock:
	// the lease runs from it.
	PublishingSince time.Time `json:"publishing_since,omitzero"`
	// IdempotencyKey is what the network was (or will be) sent for this
	// content: see IdempotencyKey.
	IdempotencyKey string `json:"idempotency_key,omitempty"`
	// Digest is the content digest of what was (or will be) published: see
	// Digest. A post whose digest changed after it was published was
	// edited since.
	Digest      string    `json:"digest,omitempty"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	IDs         []string  `json:"ids"`            // the network's ids, one per thread part
	URLs        []string  `json:"urls,omitempty"` // where people see them
	Attempts    []Attempt `json:"attempts,omitempty"`
	Stats       []Sample  `json:"stats"` // oldest first

	// Extra holds the fields of the account that this herald does not
	// know, written back as they were.
	Extra map[string]json.RawMessage `json:"-"`
}

// Attempt is a failed try at publishing.
type Attempt struct {
	At    time.Time `json:"at"`
	Kind  string    `json:"kind,omitempty"` // transient, rate-limited, permanent, not-configured
	Error string    `json:"error"`
}

// Sample is the engagement of a publication at one time: the counts the
// network gives, summed over the parts of a thread.
type Sample struct {
	At time.Time `json:"at"`
	Counts
}

// Path returns the state file of a post, relative to the calendar root:
// state/<id>.json.
func Path(postID string) (string, error) {
	if !fs.ValidPath(postID) || postID == "." || strings.Contains(postID, `\`) {
		return "", fmt.Errorf("post id %q is not a clean slash-separated path inside the calendar", postID)
	}
	return Dir + "/" + postID + ".json", nil
}

// Load reads the state file of a post from the calendar (a folder, or a
// git tree), or returns an empty File when the post has none.
func Load(calendar fs.FS, postID string) (*File, error) {
	name, err := Path(postID)
	if err != nil {
		return nil, err
	}
	data, err := ReadFile(calendar, name)
	if errors.Is(err, fs.ErrNotExist) {
		return &File{Accounts: map[string]*Account{}}, nil
	}
	if err != nil {
		return nil, err
	}
	return Decode(name, data)
}

// Account returns the publication on an account, added empty if the file
// has none yet.
func (f *File) Account(key string) *Account {
	if f.Accounts == nil {
		f.Accounts = map[string]*Account{}
	}
	a, ok := f.Accounts[key]
	if !ok {
		a = &Account{}
		f.Accounts[key] = a
	}
	return a
}

// Keys returns the account keys, sorted.
func (f *File) Keys() []string {
	keys := make([]string, 0, len(f.Accounts))
	for k := range f.Accounts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Begin records a publishing intent of run for the content digest, with
// its idempotency key, from since (the wall clock) on.
func (a *Account) Begin(run, key, digest string, since time.Time) {
	a.Status = Publishing
	a.Reason = ""
	a.Run = run
	a.PublishingSince = since
	a.IdempotencyKey = key
	a.Digest = digest
}

// Publish records a publication that the network has: its ids and URLs.
func (a *Account) Publish(ids, urls []string, at time.Time) {
	a.Status = Published
	a.Reason = ""
	a.Run = ""
	a.PublishingSince = time.Time{}
	a.PublishedAt = at
	a.IDs = slices.Clone(ids)
	a.URLs = slices.Clone(urls)
}

// Fail records a failed attempt of a kind (transient, rate-limited,
// permanent, not-configured; "" when unknown) and marks the publication
// failed with the error as its reason. The error message must hold no
// secret: the networks' errors do not.
func (a *Account) Fail(kind string, err error, at time.Time) {
	a.Attempts = append(a.Attempts, Attempt{At: at, Kind: kind, Error: err.Error()})
	a.Status = Failed
	a.Reason = err.Error()
	a.Run = ""
	a.PublishingSince = time.Time{}
}

// Miss marks the publication missed, for reason.
func (a *Account) Miss(reason string) {
	a.Status = Missed
	a.Reason = reason
	a.Run = ""
	a.PublishingSince = time.Time{}
}

// LeaseExpired reports whether a publishing intent is older than lease at
// now (both on the wall clock): its run is taken to be gone.
func (a *Account) LeaseExpired(lease time.Duration, now time.Time) bool {
	return a.Status == Publishing && !now.Before(a.PublishingSince.Add(lease))
}

// AddSample adds an engagement sample, keeping the samples oldest first.
func (a *Account) AddSample(at time.Time, c Counts) {
	i := len(a.Stats)
	for i > 0 && a.Stats[i-1].At.After(at) {
		i--
	}
	a.Stats = slices.Insert(a.Stats, i, Sample{At: at, Counts: c})
}

// ReadFile is fs.ReadFile for a file of state/, refusing what is not a
// regular file (a named pipe, a device, a socket) before opening it: an
// open of a FIFO waits for a writer forever, and a device never ends.
func ReadFile(calendar fs.FS, name string) ([]byte, error) {
	fi, err := fs.Stat(calendar, name)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() && !fi.IsDir() { // a folder's read fails at once, as it always did
		what := "a special file"
		switch t := fi.Mode().Type(); {
		case t&fs.ModeNamedPipe != 0:
			what = "a named pipe (FIFO)"
		case t&fs.ModeSocket != 0:
			what = "a socket"
		case t&fs.ModeDevice != 0:
			what = "a device"
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("it is %s, not a regular file: Herald never reads one; remove it, or restore the file from git (git checkout -- %s)", what, name)}
	}
	return fs.ReadFile(calendar, name)
}
