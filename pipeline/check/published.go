package check

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/publication"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/state"
)

// checkPublished warns about a post edited after it was published: for
// each account its state file records as published, the post is rendered
// for the account as publish sends it (state.NewPublication, the one
// implementation publish uses too) and its digest compared with the one
// journaled. Publish never publishes it again, so the edit would silently
// go nowhere.
func (cr *charterRules) checkPublished(r *reporter, p *load.Post, when time.Time) {
	if cr.skipPublished {
		return
	}
	published := cr.publishedDigests(p.ID)
	if len(published) == 0 {
		return
	}
	calendar := cr.publishedFiles()
	for _, a := range cr.targets(p) {
		st, ok := published[a.Key]
		if !ok {
			continue
		}
		pub, err := publication.New(p, a, calendar, when, cr.charter.Locale)
		if err != nil || pub.Digest == st.Digest {
			continue // a missing medium is check's media.missing
		}
		pos := bodyStart(p)
		if _, variant := p.TextFor(a.Key, a.Network); variant != nil {
			pos = variant.Text
		}
		id, args := "check.post.edited-after-publish", i18n.Args{"Account": a.Key}
		if loc := cr.charter.Location; !st.PublishedAt.IsZero() && loc != nil {
			id, args["Day"] = "check.post.edited-after-publish-on", isoDayText(cr.p, st.PublishedAt.In(loc).Format(time.DateOnly))
		}
		r.at("post.edited-after-publish", pos, id, args)
	}
}

// publishedFiles is the calendar as the rule digests it: each medium is
// hashed once per run, however many posts and accounts carry it.
func (cr *charterRules) publishedFiles() *summedFS {
	cr.summed.once.Do(func() {
		cr.summed.fs = &summedFS{FS: os.DirFS(cr.root), sums: map[string]fileSum{}}
	})
	return cr.summed.fs
}

// summedFS is a calendar folder that remembers the SHA-256 of the files
// it hashed (publication.FileSummer).
type summedFS struct {
	fs.FS
	mu   sync.Mutex
	sums map[string]fileSum
}

type fileSum struct {
	sum []byte
	err error
}

// FileSum implements publication.FileSummer.
func (s *summedFS) FileSum(name string) ([]byte, error) {
	s.mu.Lock()
	fsum, ok := s.sums[name]
	s.mu.Unlock()
	if !ok {
		fsum.sum, fsum.err = publication.FileSHA256(s.FS, name)
		s.mu.Lock()
		s.sums[name] = fsum
		s.mu.Unlock()
	}
	return fsum.sum, fsum.err
}

// journaled is what check needs of a publication in a state file.
type journaled struct {
	Status      state.Status `json:"status"`
	Digest      string       `json:"digest"`
	PublishedAt time.Time    `json:"published_at"`
}

// publishedDigests reads the accounts a post's state file records as
// published with a digest. Most posts of a large calendar have a state
// file: it is read with a quick look for a publication first, and decoded
// leniently (a state file that is not valid is herald plan's and
// publish's to report, with its position).
func (cr *charterRules) publishedDigests(postID string) map[string]journaled {
	if !cr.hasState() {
		return nil // nothing was published: no file to look for
	}
	name, err := state.Path(postID)
	if err != nil {
		return nil
	}
	// state.ReadFile never opens a FIFO or device, which would block.
	data, err := state.ReadFile(os.DirFS(cr.root), name)
	if err != nil || !bytes.Contains(data, []byte(`"published"`)) {
		return nil
	}
	var f struct {
		Accounts map[string]journaled `json:"accounts"`
	}
	if json.Unmarshal(data, &f) != nil {
		return nil
	}
	for key, a := range f.Accounts {
		if a.Status != state.Published || a.Digest == "" {
			delete(f.Accounts, key)
		}
	}
	return f.Accounts
}
