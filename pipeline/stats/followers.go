package stats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/state"
)

// FollowerSample is an account's follower count at one time.
type FollowerSample struct {
	At        time.Time `json:"at"`
	Followers int64     `json:"followers"`
}

// FollowersPath is the file of an account's follower counts, relative to
// the calendar root: state/accounts/<key>.json.
func FollowersPath(account string) (string, error) {
	if err := networks.CheckName(account); err != nil {
		return "", fmt.Errorf("account key %w", err)
	}
	return networks.JoinName(state.Dir, "accounts/"+account+".json")
}

// ReadFollowers reads an account's follower counts, oldest first, from the
// calendar (a folder or a git tree): none when the file does not exist.
func ReadFollowers(calendar fs.FS, account string) ([]FollowerSample, error) {
	name, err := FollowersPath(account)
	if err != nil {
		return nil, err
	}
	data, err := state.ReadFile(calendar, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return decodeFollowers(name, data)
}

func decodeFollowers(name string, data []byte) ([]FollowerSample, error) {
	restore := " (herald writes this file: restore it from git, e.g. git checkout HEAD -- " + name + ")"
	var out []FollowerSample
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%s: %v: want an array of {\"at\", \"followers\"}%s", name, err, restore)
	}
	for i, s := range out {
		if s.At.IsZero() {
			return nil, fmt.Errorf("%s: sample %d has no \"at\"%s", name, i+1, restore)
		}
		if i > 0 && s.At.Before(out[i-1].At) {
			return nil, fmt.Errorf("%s: sample %d (%s) is older than the one before it: samples go oldest first%s", name, i+1, s.At.Format(time.RFC3339), restore)
		}
	}
	return out, nil
}

// encodeFollowers writes the samples one per line, oldest first, with a
// final newline: the same samples always give the same bytes, and each run
// adds one line to the diff.
func encodeFollowers(samples []FollowerSample) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("[")
	for i, s := range samples {
		if i > 0 {
			b.WriteString(",")
		}
		line, err := json.Marshal(s)
		if err != nil {
			return nil, err
		}
		b.WriteString("\n  ")
		b.Write(line)
	}
	if len(samples) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	return b.Bytes(), nil
}

// addFollowers adds a sample, keeping the samples oldest first; a sample
// already there at the same time is kept as it is (a run applied again on
// a newer head). It reports whether it added one.
func addFollowers(samples []FollowerSample, s FollowerSample) ([]FollowerSample, bool) {
	i := len(samples)
	for i > 0 && samples[i-1].At.After(s.At) {
		i--
	}
	if i > 0 && samples[i-1].At.Equal(s.At) {
		return samples, false
	}
	return slices.Insert(samples, i, s), true
}
