package schedule

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/herald-social/herald/pipeline/state"
)

// StateFiles reads the state of the calendar at root from its state files,
// state/<post id>.json, as SPEC.md's state contract lays them out:
// {"accounts": {"<key>": {"status": "published", ...}}}.
//
// It only reads, and only the status: the publish package owns these files
// and writes them. It is tolerant: a missing file means nothing recorded,
// and a file it cannot read or parse is an error for that post alone. It
// reads each file once; it is not safe for concurrent use.
func StateFiles(root string) StateReader {
	return &stateFiles{root: root, posts: map[string]postState{}}
}

type stateFiles struct {
	root  string
	posts map[string]postState // by post id, read once
}

type postState struct {
	accounts map[string]state.Status // account key -> status
	err      error
}

func (s *stateFiles) Status(postID, account string) (state.Status, error) {
	ps, ok := s.posts[postID]
	if !ok {
		ps = s.read(postID)
		s.posts[postID] = ps
	}
	return ps.accounts[account], ps.err
}

func (s *stateFiles) read(postID string) postState {
	rel := filepath.Join("state", filepath.FromSlash(postID)+".json")
	if !filepath.IsLocal(rel) {
		return postState{err: fmt.Errorf("state file unreadable: post id %q does not name a file below state/", postID)}
	}
	content, err := state.ReadFile(os.DirFS(s.root), filepath.ToSlash(rel))
	if errors.Is(err, fs.ErrNotExist) {
		return postState{}
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path below, relative to the calendar
		}
		return postState{err: fmt.Errorf("state file unreadable: %s: %w", filepath.ToSlash(rel), err)}
	}
	var file any
	if err := json.Unmarshal(content, &file); err != nil {
		return postState{err: fmt.Errorf("state file unreadable: %s: %v", filepath.ToSlash(rel), err)}
	}
	accounts, err := statuses(file)
	if err != nil {
		return postState{err: fmt.Errorf("state file unreadable: %s: %v", filepath.ToSlash(rel), err)}
	}
	return postState{accounts: accounts}
}

// statuses reads accounts.<key>.status from a decoded state file, and says
// which part is not as the contract has it.
func statuses(file any) (map[string]state.Status, error) {
	top, ok := file.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	out := map[string]state.Status{}
	if top["accounts"] == nil {
		return out, nil
	}
	accounts, ok := top["accounts"].(map[string]any)
	if !ok {
		return nil, errors.New("accounts is not an object")
	}
	for key, a := range accounts {
		if a == nil {
			continue
		}
		acct, ok := a.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("accounts.%s is not an object", key)
		}
		if acct["status"] == nil {
			continue
		}
		status, ok := acct["status"].(string)
		if !ok {
			return nil, fmt.Errorf("accounts.%s.status is not a string", key)
		}
		out[key] = state.Status(status)
	}
	return out, nil
}
