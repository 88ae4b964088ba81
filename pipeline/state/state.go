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
	"io"
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
	// Lease is how long the run that wrote the intent keeps other runs
	// away, from PublishingSince on, as Go writes a duration ("10m0s"):
	// the intent's own, which another run's --lease never shortens. An
	// intent written before herald recorded it has none (see LeaseOf).
	Lease string `json:"lease,omitempty"`
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
	if postID == "accounts" || strings.HasPrefix(postID, "accounts/") {
		return "", fmt.Errorf("post id %q would share state/accounts/ with the accounts' follower counts: give the post another id", postID)
	}
	return Dir + "/" + postID + ".json", nil
}

// MaxFileSize is the largest state file herald reads. A post's journal
// with years of daily engagement samples on a dozen accounts is a few
// hundred kilobytes; anything much larger is not herald's writing, and
// decoding it would cost many times its size in memory.
const MaxFileSize = 4 << 20

// ReadFile reads the state file name (as Path returns it) from the
// calendar, refusing anything that is not a regular file or is larger than
// MaxFileSize, without reading more than that. A file that does not exist
// is fs.ErrNotExist, as from fs.ReadFile.
func ReadFile(calendar fs.FS, name string) ([]byte, error) {
	// Stat before opening: a git tree's Open reads the whole blob, or
	// lists the whole folder.
	info, err := fs.Stat(calendar, name)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		// Never opened: an open of a FIFO waits for a writer forever, and
		// a device never ends.
		what := "not a regular file"
		switch t := info.Mode().Type(); {
		case info.IsDir():
			what = "a folder"
		case t&fs.ModeNamedPipe != 0:
			what = "a named pipe (FIFO)"
		case t&fs.ModeSocket != 0:
			what = "a socket"
		case t&fs.ModeDevice != 0:
			what = "a device"
		}
		return nil, &DecodeError{Path: name, Err: fmt.Errorf("is %s, not a state file", what)}
	}
	if info.Size() > MaxFileSize {
		return nil, tooLarge(name, info.Size())
	}
	f, err := calendar.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read into a buffer of the size the stat gave, as os.ReadFile does:
	// io.ReadAll starts at 512 bytes and grows, copying, to the size of
	// the file. One byte more to see the end at once; the file may have
	// grown since, and reads on then, up to the limit.
	limited := io.LimitReader(f, MaxFileSize+1)
	data := make([]byte, 0, info.Size()+1)
	for {
		n, err := limited.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(name, int64(len(data)))
	}
	return data, nil
}

func tooLarge(name string, size int64) error {
	return &DecodeError{Path: name, Err: fmt.Errorf("%s, more than the %d MiB a state file may hold", sizeText(size), MaxFileSize>>20)}
}

// sizeText writes a size in bytes as people read it: 34.0 MiB, 812 KiB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
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
// its idempotency key, from since (the wall clock) on, for lease.
func (a *Account) Begin(run, key, digest string, since time.Time, lease time.Duration) {
	a.Status = Publishing
	a.Reason = ""
	a.Run = run
	a.PublishingSince = since
	a.Lease = ""
	if lease > 0 {
		a.Lease = lease.String()
	}
	a.IdempotencyKey = key
	a.Digest = digest
}

// Publish records a publication that the network has: its ids and URLs.
func (a *Account) Publish(ids, urls []string, at time.Time) {
	a.Status = Published
	a.Reason = ""
	a.Run = ""
	a.PublishingSince = time.Time{}
	a.Lease = ""
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
	a.Lease = ""
}

// Miss marks the publication missed, for reason.
func (a *Account) Miss(reason string) {
	a.Status = Missed
	a.Reason = reason
	a.Run = ""
	a.PublishingSince = time.Time{}
	a.Lease = ""
}

// LeaseOf returns the lease of a publishing intent: the one its run
// recorded, or, for an intent that records none (written by an older
// herald), fallback.
func (a *Account) LeaseOf(fallback time.Duration) time.Duration {
	if d, err := time.ParseDuration(a.Lease); err == nil && d > 0 {
		return d
	}
	return fallback
}

// LeaseExpired reports whether a publishing intent is older than its lease
// at now (both on the wall clock): its run is taken to be gone. The lease
// is the intent's own (LeaseOf); fallback is for an intent without one.
func (a *Account) LeaseExpired(fallback time.Duration, now time.Time) bool {
	return a.Status == Publishing && !now.Before(a.PublishingSince.Add(a.LeaseOf(fallback)))
}

// AddSample adds an engagement sample, keeping the samples oldest first.
func (a *Account) AddSample(at time.Time, c Counts) {
	i := len(a.Stats)
	for i > 0 && a.Stats[i-1].At.After(at) {
		i--
	}
	a.Stats = slices.Insert(a.Stats, i, Sample{At: at, Counts: c})
}
