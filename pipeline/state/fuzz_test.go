package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzDecode feeds Decode arbitrary state files. It never panics; what it
// refuses is a *DecodeError positioned inside the file that says how to
// restore it; what it accepts encodes, and the encoding decodes to the
// same File and encodes to the same bytes: a run that reads a state file
// and writes it back loses nothing and changes nothing.
//
// The seeds, in testdata/fuzz/FuzzDecode, are a file with an account in
// each status, fields a later herald may add, and a few files Decode must
// refuse (a digest of the wrong shape, an unknown status, samples out of
// order, a cut-off file, two objects).
func FuzzDecode(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode("state/p.json", data)
		if err != nil {
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error is %T, not a *DecodeError: %v", err, err)
			}
			lines := bytes.Count(data, []byte("\n")) + 1
			if de.Line < 0 || de.Line > lines || de.Line > 0 && de.Column < 1 {
				t.Fatalf("error at %d:%d in a %d-line file: %v", de.Line, de.Column, lines, err)
			}
			if de.Path != "state/p.json" || de.Err == nil {
				t.Fatalf("error without its file or cause: %+v", de)
			}
			return
		}
		encoded, err := Encode(file)
		if err != nil {
			t.Fatalf("Decode accepted a file that Encode refuses: %v\n%s", err, data)
		}
		if !utf8.Valid(encoded) || !json.Valid(encoded) {
			t.Fatalf("Encode wrote invalid JSON:\n%s", encoded)
		}
		again, err := Decode("state/p.json", encoded)
		if err != nil {
			t.Fatalf("Decode refuses what Encode wrote: %v\n%s", err, encoded)
		}
		if diff := cmp.Diff(file, again, cmpopts.EquateEmpty(), cmp.Comparer(sameJSON)); diff != "" {
			t.Fatalf("Decode(Encode(f)) differs from f (-f +again):\n%s", diff)
		}
		if twice, err := Encode(again); err != nil || !bytes.Equal(twice, encoded) {
			t.Fatalf("a second encoding differs from the first (%v):\n%s\n---\n%s", err, encoded, twice)
		}
	})
}

// sameJSON compares the raw values of fields herald does not know by their
// meaning: Encode indents them.
func sameJSON(a, b json.RawMessage) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}
