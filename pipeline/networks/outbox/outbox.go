// Package outbox is the outbox channel: each publication is written into
// the calendar, under the account's dir, as DIR/<post id>.json (what was
// published, for programs) and DIR/<post id>.txt (the text, for people).
// It needs no credentials, and the engine commits the files with the
// post's state.
package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/state"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
)

// Outbox publishes to the files of one outbox account.
type Outbox struct {
	account string
	dir     string // slash-separated, below the calendar root
	store   networks.Store
	mu      sync.Mutex
}

var _ networks.Publisher = (*Outbox)(nil)

// New returns the channel of an outbox account, which writes through store
// (the calendar).
func New(a *load.Account, store networks.Store) (*Outbox, error) {
	if a.Network != "outbox" {
		return nil, fmt.Errorf("account %s is a %s account, not an outbox", a.Key, a.Network)
	}
	dir, err := networks.JoinName(a.Dir, "")
	if err != nil {
		return nil, fmt.Errorf("account %s: dir %q must be a folder inside the calendar, such as outbox", a.Key, a.Dir)
	}
	return &Outbox{account: a.Key, dir: dir, store: store}, nil
}

// record is the content of DIR/<post id>.json. The first five fields are
// SPEC.md's contract; the order of the fields is the order in the file.
type record struct {
	Post           string    `json:"post"`
	Account        string    `json:"account"`
	Parts          []string  `json:"parts"`
	Media          []medium  `json:"media"`
	PublishedAt    time.Time `json:"published_at"`
	Title          string    `json:"title,omitempty"`
	Date           time.Time `json:"date,omitzero"` // the post's date
	Lang           string    `json:"lang,omitempty"`
	Digest         string    `json:"digest"`
	IdempotencyKey string    `json:"idempotency_key"`
	Poll           *poll     `json:"poll,omitempty"`
}

// poll is the post's poll, as Mastodon's API takes it.
type poll struct {
	Options    []string `json:"options"`
	ExpiresIn  int64    `json:"expires_in"` // seconds
	Multiple   bool     `json:"multiple"`
	HideTotals bool     `json:"hide_totals"`
}

type medium struct {
	Path string `json:"path"` // relative to the calendar root
	Alt  string `json:"alt"`
	Type string `json:"type"` // MIME type
	Part int    `json:"part"` // the part it goes with, from 1
}

// names returns the files of a post: DIR/<id>.json and DIR/<id>.txt.
func (o *Outbox) names(postID string) (jsonName, textName string, err error) {
	if err = networks.CheckName(postID); err == nil {
		jsonName, err = networks.JoinName(o.dir, postID+".json")
	}
	if err != nil {
		return "", "", &networks.Error{Kind: networks.Permanent, Account: o.account,
			Err: fmt.Errorf("post id %q cannot name a file inside %s: %w", postID, o.dir, err)}
	}
	return jsonName, strings.TrimSuffix(jsonName, ".json") + ".txt", nil
}

// Publish writes the publication's text, then its record: the record is
// what Lookup looks for, so a crash between the two leaves no record and
// the next run writes both again. Publishing the same content again
// writes nothing.
func (o *Outbox) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if err := ctx.Err(); err != nil {
		return networks.Result{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	jsonName, textName, err := o.names(p.PostID)
	if err != nil {
		return networks.Result{}, err
	}
	if r, found, err := o.lookup(p, jsonName); err != nil || found {
		return r, err
	}
	content, err := encode(recordOf(o.account, p))
	if err != nil {
		return networks.Result{}, err
	}
	if err := o.store.WriteFile(textName, []byte(text(p))); err != nil {
		return networks.Result{}, o.writeError(err)
	}
	if err := o.store.WriteFile(jsonName, content); err != nil {
		return networks.Result{}, o.writeError(err)
	}
	return networks.Result{IDs: []string{jsonName}, Files: []string{textName, jsonName}}, nil
}

// Lookup finds the record of the publication: DIR/<post id>.json with the
// same digest. A record of other content (the post before an edit) is not
// this publication.
func (o *Outbox) Lookup(ctx context.Context, p networks.Publication) (networks.Result, bool, error) {
	if err := ctx.Err(); err != nil {
		return networks.Result{}, false, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	jsonName, _, err := o.names(p.PostID)
	if err != nil {
		return networks.Result{}, false, err
	}
	return o.lookup(p, jsonName)
}

func (o *Outbox) lookup(p networks.Publication, jsonName string) (networks.Result, bool, error) {
	data, err := o.store.ReadFile(jsonName)
	if errors.Is(err, fs.ErrNotExist) {
		return networks.Result{}, false, nil
	}
	if err != nil {
		return networks.Result{}, false, o.writeError(err)
	}
	var r struct {
		Post   string `json:"post"`
		Digest string `json:"digest"`
	}
	if err := json.Unmarshal(data, &r); err != nil {
		return networks.Result{}, false, &networks.Error{Kind: networks.Permanent, Account: o.account,
			Err: fmt.Errorf("%s is not an outbox record (%v): restore it from git, or delete it to publish again", jsonName, err)}
	}
	if r.Post != p.PostID || r.Digest != p.Digest {
		return networks.Result{}, false, nil
	}
	return networks.Result{IDs: []string{jsonName}}, true, nil
}

// Stats is not something an outbox has.
func (o *Outbox) Stats(ctx context.Context, ids []string) ([]state.Counts, error) {
	return nil, &networks.Error{Kind: networks.Unsupported, Account: o.account,
		Err: fmt.Errorf("an outbox has no engagement: %w", networks.ErrUnsupported)}
}

func (o *Outbox) writeError(err error) error {
	// A file that cannot be written stays so until someone acts.
	return &networks.Error{Kind: networks.Permanent, Account: o.account, Err: err}
}

func recordOf(account string, p networks.Publication) record {
	r := record{
		Post: p.PostID, Account: account, Title: p.Title, Date: p.When, Lang: p.Lang,
		Parts: make([]string, len(p.Parts)), Media: []medium{},
		PublishedAt: p.At, Digest: p.Digest, IdempotencyKey: p.IdempotencyKey,
	}
	if r.PublishedAt.IsZero() {
		r.PublishedAt = p.When
	}
	if p.Poll != nil {
		r.Poll = &poll{Options: p.Poll.Options, ExpiresIn: int64(p.Poll.ExpiresIn.Seconds()),
			Multiple: p.Poll.Multiple, HideTotals: p.Poll.HideTotals}
	}
	for i, part := range p.Parts {
		r.Parts[i] = part.Text
		for _, m := range part.Media {
			r.Media = append(r.Media, medium{Path: m.Path, Alt: m.Alt, Type: m.MIME, Part: i + 1})
		}
	}
	return r
}

// text is the publication as people read it: the parts, a blank line
// between them.
func text(p networks.Publication) string {
	texts := make([]string, len(p.Parts))
	for i, part := range p.Parts {
		texts[i] = part.Text
	}
	return strings.Join(texts, "\n\n") + "\n"
}

func encode(r record) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Open makes the outbox of an account for the registry (networks.Open):
// it writes into env.Store.
func Open(a *load.Account, env networks.Env) (networks.Publisher, error) {
	c, err := New(a, env.Store)
	if err != nil {
		return nil, err // not a typed nil in the interface
	}
	return c, nil
}
