package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"

	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/registry"
	"github.com/herald-social/herald/pipeline/state"
)

// publishers makes each account's publisher once per run.
type publishers struct {
	r    *run
	made map[string]networks.Publisher
	errs map[string]error
}

func newPublishers(r *run) *publishers {
	return &publishers{r: r, made: map[string]networks.Publisher{}, errs: map[string]error{}}
}

// get returns the publisher of a network account (not a channel).
func (p *publishers) get(a *load.Account) (networks.Publisher, error) {
	if pub, ok := p.made[a.Key]; ok {
		return pub, p.errs[a.Key]
	}
	pub, err := p.r.opts.Publishers(a, p.r.env(nil))
	p.made[a.Key], p.errs[a.Key] = pub, err
	return pub, err
}

// channel returns the publisher of a channel account writing into store.
func (p *publishers) channel(a *load.Account, store networks.Store) (networks.Publisher, error) {
	return p.r.opts.Publishers(a, p.r.env(store))
}

// configured is the plan's test of whether an account can publish: nil
// when its publisher can be made (credentials set, network supported).
func (p *publishers) configured(a *load.Account) error {
	if registry.IsChannel(a) {
		return nil
	}
	_, err := p.get(a)
	return err
}

// states reads the journal (state files) of a calendar lazily from one
// base, and keeps the files a commit changes.
type states struct {
	base fs.FS
	// settled reads the files whose accounts are all published or missed
	// with a quick lenient decoder: the plan needs only their statuses, and
	// no run writes over them. The commits' states, which write, read
	// every file strictly.
	settled   bool
	files     map[string]*state.File
	errs      map[string]error
	changed   map[string]bool
	overrides map[[2]string]state.Status // post id, account → status the plan sees
}

func newStates(base fs.FS) *states {
	return &states{base: base, files: map[string]*state.File{}, errs: map[string]error{},
		changed: map[string]bool{}, overrides: map[[2]string]state.Status{}}
}

// planStates are the states a run plans with: see states.settled.
func planStates(base fs.FS) *states {
	s := newStates(base)
	s.settled = true
	return s
}

func (s *states) file(postID string) (*state.File, error) {
	if f, ok := s.files[postID]; ok {
		return f, s.errs[postID]
	}
	var f *state.File
	var err error
	if s.settled {
		f, err = loadSettled(s.base, postID)
	} else {
		f, err = state.Load(s.base, postID)
	}
	s.files[postID], s.errs[postID] = f, err
	return f, err
}

// loadSettled reads a state file as state.Load does, but decodes a file
// whose accounts are all published or missed leniently, keeping only their
// statuses: a calendar of 10,000 posts has as many files, most of them
// settled, and the strict decoder (which says where a file is wrong) takes
// most of a run with nothing due. Any other file, or one the lenient
// decoder refuses, is decoded strictly.
func loadSettled(base fs.FS, postID string) (*state.File, error) {
	name, err := state.Path(postID)
	if err != nil {
		return nil, err
	}
	data, err := state.ReadFile(base, name)
	if errors.Is(err, fs.ErrNotExist) {
		return &state.File{Accounts: map[string]*state.Account{}}, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(data, []byte(`"publishing"`)) && !bytes.Contains(data, []byte(`"failed"`)) {
		var quick struct {
			Accounts map[string]struct {
				Status state.Status `json:"status"`
			} `json:"accounts"`
		}
		if json.Unmarshal(data, &quick) == nil && quick.Accounts != nil {
			f := &state.File{Accounts: make(map[string]*state.Account, len(quick.Accounts))}
			settled := true
			for key, a := range quick.Accounts {
				settled = settled && (a.Status == state.Published || a.Status == state.Missed)
				f.Accounts[key] = &state.Account{Status: a.Status}
			}
			if settled {
				return f, nil
			}
		}
	}
	return state.Decode(name, data)
}

// Status implements schedule.StateReader.
func (s *states) Status(postID, account string) (state.Status, error) {
	if st, ok := s.overrides[[2]string{postID, account}]; ok {
		return st, nil
	}
	f, err := s.file(postID)
	if err != nil {
		return "", fmt.Errorf("state file unreadable: %w", err)
	}
	if a, ok := f.Accounts[account]; ok {
		return a.Status, nil
	}
	return "", nil
}

// override makes the plan see a status other than the journal's: a
// reconciled intent is published, or due again.
func (s *states) override(postID, account string, st state.Status) {
	s.overrides[[2]string{postID, account}] = st
}

func (s *states) changedFiles() map[string]*state.File {
	out := map[string]*state.File{}
	for id := range s.changed {
		out[id] = s.files[id]
	}
	return out
}

// overlay is the calendar as a channel sees it while a commit is built:
// the base, with what the channels wrote on top; writes stay in memory
// and go into the commit.
type overlay struct {
	base   fs.FS
	writes map[string][]byte
}

func overlayOf(base fs.FS) *overlay { return &overlay{base: base, writes: map[string][]byte{}} }

func (o *overlay) ReadFile(name string) ([]byte, error) {
	if data, ok := o.writes[name]; ok {
		return data, nil
	}
	return fs.ReadFile(o.base, name)
}

func (o *overlay) WriteFile(name string, data []byte) error {
	if err := networks.CheckName(name); err != nil {
		return err
	}
	o.writes[name] = append([]byte(nil), data...)
	return nil
}
