package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Encode returns the content of a state file: the accounts in key order,
// each account's fields in a fixed order, two-space indentation, a final
// newline. The same File always encodes to the same bytes.
func Encode(f *File) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"accounts\": ")
	if len(f.Accounts) == 0 {
		b.WriteString("{}")
	} else {
		b.WriteString("{")
		for i, key := range f.Keys() {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n    ")
			writeJSON(&b, key, "")
			b.WriteString(": ")
			a := f.Accounts[key]
			if a == nil {
				return nil, fmt.Errorf("account %q has no state", key)
			}
			if err := writeAccount(&b, a); err != nil {
				return nil, fmt.Errorf("account %q: %w", key, err)
			}
		}
		b.WriteString("\n  }")
	}
	if err := writeExtra(&b, f.Extra, "  "); err != nil {
		return nil, err
	}
	b.WriteString("\n}\n")
	return b.Bytes(), nil
}

func writeAccount(b *bytes.Buffer, a *Account) error {
	plain := *a
	if plain.IDs == nil {
		plain.IDs = []string{}
	}
	if plain.Stats == nil {
		plain.Stats = []Sample{}
	}
	var fields bytes.Buffer
	if err := encodeJSON(&fields, plain, "    "); err != nil {
		return err
	}
	body := bytes.TrimSuffix(bytes.TrimRight(fields.Bytes(), "\n"), []byte("}"))
	b.Write(bytes.TrimRight(body, " \n"))
	if err := writeExtra(b, a.Extra, "      "); err != nil {
		return err
	}
	b.WriteString("\n    }")
	return nil
}

// writeExtra writes fields kept from a file, sorted, after the known ones.
func writeExtra(b *bytes.Buffer, extra map[string]json.RawMessage, indent string) error {
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(",\n" + indent)
		writeJSON(b, k, "")
		b.WriteString(": ")
		var v bytes.Buffer
		if err := json.Indent(&v, extra[k], indent, "  "); err != nil {
			return fmt.Errorf("field %q: %w", k, err)
		}
		b.Write(v.Bytes())
	}
	return nil
}

func writeJSON(b *bytes.Buffer, v any, prefix string) {
	if err := encodeJSON(b, v, prefix); err != nil {
		panic(err) // only called on strings
	}
	b.Truncate(b.Len() - 1) // the encoder's newline
}

// encodeJSON encodes v indented, leaving <, > and & as they are: a state
// file is read by people, never embedded in HTML.
func encodeJSON(b *bytes.Buffer, v any, prefix string) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	return enc.Encode(v)
}

// DecodeError is a state file that cannot be read: where, and what is
// wrong with it.
type DecodeError struct {
	Path   string // the file
	Line   int    // 1-based; 0 when unknown
	Column int
	Field  string // the JSON field, dotted: accounts.mastodon.ids
	Err    error
}

func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Err.Error())
	b.WriteString(" (herald writes this file: restore it from git: git log -- " + e.Path +
		" lists its versions, and git checkout <commit> -- " + e.Path + " brings one back)")
	return b.String()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Decode reads the state file at path (used in errors) from its content.
// Anything that is not a state file, down to a status herald does not know
// or a digest of the wrong shape, is a *DecodeError: a journal that cannot
// be trusted stops the publication of its post rather than repeat it.
func Decode(path string, data []byte) (*File, error) {
	d := &decoder{path: path, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	f, err := d.file()
	if err != nil {
		var de *DecodeError
		if !errors.As(err, &de) {
			de = d.errorAt(d.dec.InputOffset(), "", err)
		}
		return nil, de
	}
	return f, nil
}

type decoder struct {
	path string
	data []byte
	dec  *json.Decoder
}

func (d *decoder) file() (*File, error) {
	if len(bytes.TrimSpace(d.data)) == 0 {
		return nil, &DecodeError{Path: d.path, Err: errors.New("the file is empty")}
	}
	if !utf8.Valid(d.data) {
		// Strings of known fields would come back with U+FFFD in place of
		// the bytes, and unknown fields be written back as they are: as
		// invalid UTF-8, which is no JSON.
		bad := 0
		for bad < len(d.data) {
			r, size := utf8.DecodeRune(d.data[bad:])
			if r == utf8.RuneError && size == 1 {
				break
			}
			bad += size
		}
		return nil, d.errorAt(int64(bad), "", errors.New("invalid UTF-8 here: a state file is UTF-8 text"))
	}
	f := &File{Accounts: map[string]*Account{}}
	err := d.object("", func(key string, start int64) error {
		if key != "accounts" {
			return d.extra(&f.Extra, key)
		}
		return d.object("accounts", func(account string, start int64) error {
			a, err := d.account("accounts."+account, start)
			f.Accounts[account] = a
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	end := d.valueStart()
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, d.errorAt(end, "", errors.New("there is more after the object: a state file is one JSON object"))
	}
	return f, nil
}

// object reads a JSON object, calling field for each key with the offset
// where its value starts.
func (d *decoder) object(field string, member func(key string, start int64) error) error {
	start := d.valueStart()
	tok, err := d.dec.Token()
	if err != nil {
		return d.syntax(err)
	}
	if tok != json.Delim('{') {
		return d.errorAt(start, field, fmt.Errorf("is %s, want an object", describe(tok)))
	}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return d.syntax(err)
		}
		key := tok.(string) // More and Token only let a string key through
		if err := member(key, d.valueStart()); err != nil {
			return err
		}
	}
	if _, err := d.dec.Token(); err != nil {
		return d.syntax(err)
	}
	return nil
}

func (d *decoder) extra(m *map[string]json.RawMessage, key string) error {
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return d.syntax(err)
	}
	if *m == nil {
		*m = map[string]json.RawMessage{}
	}
	(*m)[key] = raw
	return nil
}

func (d *decoder) account(field string, start int64) (*Account, error) {
	a := &Account{}
	err := d.object(field, func(key string, start int64) error {
		target := a.field(key)
		if target == nil {
			return d.extra(&a.Extra, key)
		}
		// Decoded straight into the account: one scan of the value and one
		// decoding, where a json.RawMessage then json.Unmarshal took three
		// passes and a copy (most of a report's time on a big calendar).
		if err := d.dec.Decode(target); err != nil {
			if isSyntax(err) {
				return d.syntax(err)
			}
			return d.valueError(field+"."+key, key, start)
		}
		return d.check(a, field+"."+key, key, start)
	})
	if err != nil {
		return nil, err
	}
	if a.Status == "" {
		return nil, d.errorAt(start, field, errors.New(`has no status: want "publishing", "published", "failed" or "missed"`))
	}
	return a, nil
}

func (a *Account) field(name string) any {
	switch name {
	case "status":
		return &a.Status
	case "reason":
		return &a.Reason
	case "run":
		return &a.Run
	case "publishing_since":
		return &a.PublishingSince
	case "lease":
		return &a.Lease
	case "idempotency_key":
		return &a.IdempotencyKey
	case "digest":
		return &a.Digest
	case "published_at":
		return &a.PublishedAt
	case "ids":
		return &a.IDs
	case "urls":
		return &a.URLs
	case "attempts":
		return &a.Attempts
	case "stats":
		return &a.Stats
	}
	return nil
}

// isSyntax reports whether err, from json.Decoder.Decode, is about the
// JSON itself rather than a value of the wrong type for its field.
func isSyntax(err error) bool {
	var se *json.SyntaxError
	return errors.As(err, &se) || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF)
}

// valueError explains why the value of key, which the decoder has just
// read from start on, does not fit its field. It decodes the value again,
// alone, into a fresh account: the error, and the offset it gives, are
// then those of the value by itself, whatever the decoder buffered.
func (d *decoder) valueError(field, key string, start int64) error {
	raw := bytes.TrimRight(d.data[start:d.dec.InputOffset()], " \t\r\n")
	err := json.Unmarshal(raw, (&Account{}).field(key))
	if err == nil {
		// Cannot happen: the decoder refused these bytes a moment ago.
		return d.errorAt(start, field, errors.New("cannot be read"))
	}
	offset := start
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Offset > 0 {
		offset += te.Offset - 1
	}
	return d.errorAt(offset, field, explain(err))
}

var digestShape = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// check checks the value of one field beyond its JSON type.
func (d *decoder) check(a *Account, field, key string, start int64) error {
	switch key {
	case "status":
		if !a.Status.valid() {
			return d.errorAt(start, field, fmt.Errorf(`is %q, want "publishing", "published", "failed" or "missed"`, a.Status))
		}
	case "lease":
		if lease, err := time.ParseDuration(a.Lease); err != nil || lease <= 0 {
			return d.errorAt(start, field, fmt.Errorf("is %q, want a positive duration such as \"10m0s\"", a.Lease))
		}
	case "digest":
		if !digestShape.MatchString(a.Digest) {
			return d.errorAt(start, field, fmt.Errorf("is %q, want sha256: and 64 lowercase hex digits", a.Digest))
		}
	case "stats":
		for i := 1; i < len(a.Stats); i++ {
			if a.Stats[i].At.Before(a.Stats[i-1].At) {
				return d.errorAt(start, field, fmt.Errorf("sample %d (%s) is older than the one before it: samples go oldest first", i+1, a.Stats[i].At.Format(time.RFC3339)))
			}
		}
	}
	return nil
}

// valueStart returns the offset of the next value: past the spaces, and
// the colon after a key, that the decoder has not read yet.
func (d *decoder) valueStart() int64 {
	off := d.dec.InputOffset()
	for off < int64(len(d.data)) && strings.IndexByte(" \t\r\n:,", d.data[off]) >= 0 {
		off++
	}
	return off
}

func (d *decoder) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return d.errorAt(se.Offset, "", errors.New(strings.TrimPrefix(se.Error(), "json: ")))
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return d.errorAt(int64(len(d.data)), "", errors.New("the file ends in the middle of the JSON: it was cut short"))
	}
	return d.errorAt(d.dec.InputOffset(), "", err)
}

func (d *decoder) errorAt(offset int64, field string, err error) *DecodeError {
	offset = min(max(offset, 0), int64(len(d.data)))
	before := d.data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := len(before) - bytes.LastIndexByte(before, '\n')
	return &DecodeError{Path: d.path, Line: line, Column: col, Field: field, Err: err}
}

// explain says what is wrong with a value in the words of JSON, not Go.
func explain(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		where := ""
		if field := strings.TrimPrefix(te.Field, "Counts."); field != "" {
			where = " in " + field
		}
		return fmt.Errorf("a %s%s, want %s", te.Value, where, jsonType(te.Type))
	}
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%q is not a time as RFC 3339 writes it (2026-12-01T09:00:00+01:00)", pe.Value)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

func jsonType(t reflect.Type) string {
	if t == reflect.TypeFor[time.Time]() {
		return "a time (a string)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return t.String()
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return string(v)
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}
