package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/herald-social/herald/pipeline/networks/netspec"
)

// FactsPath is the file of an account's cached server facts, relative to
// the calendar root: state/instances/<account>.json.
func FactsPath(account string) (string, error) {
	if account == "" || account == "." || account == ".." || strings.ContainsAny(account, `/\`) {
		return "", fmt.Errorf("account key %q cannot name a file", account)
	}
	return Dir + "/instances/" + account + ".json", nil
}

// ReadFacts reads an account's cached server facts from the calendar.
// ok is false when there are none. A file that exists but cannot be
// decoded is an error that says how to repair it (check reports it at the
// file's path), rather than the defaults quietly applying.
func ReadFacts(calendar fs.FS, account string) (f netspec.Facts, ok bool, err error) {
	name, err := FactsPath(account)
	if err != nil {
		return netspec.Facts{}, false, err
	}
	data, err := ReadFile(calendar, name)
	if errors.Is(err, fs.ErrNotExist) {
		return netspec.Facts{}, false, nil
	}
	if err != nil {
		return netspec.Facts{}, false, err
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return netspec.Facts{}, false, fmt.Errorf("the server's cached limits cannot be read (%v): delete this file, and herald stats reads them again", err)
	}
	if f.MaxCharacters <= 0 {
		return netspec.Facts{}, false, errors.New("the server's cached limits have no positive max_characters: delete this file, and herald stats reads them again")
	}
	return f, true, nil
}

// EncodeFacts is the content of a facts file, indented for review.
func EncodeFacts(f netspec.Facts) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
