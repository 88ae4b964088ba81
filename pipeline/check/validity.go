package check

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// validity remembers what the post schema said of the parts of the front
// matters it validated, so that the thousands of posts of a calendar are
// not each validated whole: the validation, with everything jsonschema
// allocates for it, was a good part of check's time.
//
// The schema's root is an object schema ("properties", "required",
// "additionalProperties", "propertyNames" and "unevaluatedProperties":
// false): a front matter is valid when each of its fields is valid under
// the subschema that applies to it, and its set of keys (with the values of
// fields no subschema applies to) passes the root. validity checks each
// field on its own against its compiled subschema, remembered by the
// field's shape, and the root once per set of keys, with a front matter
// whose fields were all found valid. A front matter found not valid is
// validated whole, as before, and its errors reported as that says.
//
// The shape of a value is what its subschema can tell apart of it, read
// from the schema document for the few forms whose meaning is plain:
//   - {"type": "string"}, with "minLength" or not: any two strings of the
//     same length, or both at least minLength long, are alike;
//   - an object schema of the root's form: alike when they have the same
//     keys and their values are alike under the subschema that applies to
//     each;
//   - {"type": "array"} with "items", "minItems" and "maxItems": alike when
//     they have as many items and the items are alike under "items".
//
// Under any other subschema (an enum, a pattern, a $ref, uniqueItems...),
// values are alike only when they are equal. Annotations (description,
// title...) are ignored. A root of another form (the charter's post_schema
// adds an allOf) has no validity: each front matter is validated whole.
type validity struct {
	root   *jsonschema.Schema
	subs   map[string]*jsonschema.Schema // the root's properties, compiled, by name
	shapes map[string]*shape             // and their shapes
	mu     sync.RWMutex
	known  map[string]bool // field name, NUL, shape; or NUL, keys: valid or not
}

// newValidity returns the validity of the schema compiled from doc at url,
// or nil when doc's root is not an object schema of the form above.
func newValidity(comp *jsonschema.Compiler, url string, root *jsonschema.Schema, doc map[string]any) *validity {
	if !objectForm(doc) {
		return nil
	}
	v := &validity{root: root, subs: map[string]*jsonschema.Schema{}, shapes: map[string]*shape{}, known: map[string]bool{}}
	props, _ := doc["properties"].(map[string]any)
	for name, p := range props {
		if !plainName(name) {
			continue // its value is part of the key set
		}
		sub, err := comp.Compile(url + "#/properties/" + name)
		if err != nil {
			return nil
		}
		m, _ := p.(map[string]any)
		v.subs[name], v.shapes[name] = sub, shapeOf(m)
	}
	return v
}

// plainName reports whether a property name needs no escaping in a JSON
// pointer or URL fragment.
func plainName(name string) bool {
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return name != ""
}

// valid reports whether the schema finds the front matter valid, as far as
// what it remembers tells: false means it is not, or may not be.
func (v *validity) valid(value any) bool {
	m, ok := value.(map[string]any)
	if !ok {
		return false
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	key := make([]byte, 0, 256)
	for _, name := range names {
		sub := v.subs[name]
		if sub == nil {
			continue
		}
		key = v.shapes[name].append(append(append(key[:0], name...), 0), m[name])
		ok, known := v.lookup(key)
		if !known {
			ok = sub.Validate(m[name]) == nil
			v.remember(key, ok)
		}
		if !ok {
			return false
		}
	}
	// The root's own keywords see the keys, and the values of the fields
	// no subschema of its properties applies to.
	key = append(key[:0], 0)
	for _, name := range names {
		key = strconv.AppendQuote(key, name)
		if v.subs[name] == nil {
			key = appendValue(append(key, ':'), m[name])
		}
		key = append(key, ',')
	}
	ok, known := v.lookup(key)
	if !known {
		// Every field is valid: the front matter is as valid as its keys.
		ok = v.root.Validate(m) == nil
		v.remember(key, ok)
	}
	return ok
}

func (v *validity) lookup(key []byte) (ok, known bool) {
	v.mu.RLock()
	ok, known = v.known[string(key)]
	v.mu.RUnlock()
	return ok, known
}

func (v *validity) remember(key []byte, ok bool) {
	v.mu.Lock()
	v.known[string(key)] = ok
	v.mu.Unlock()
}

// annotations are the keywords that assert nothing.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$comment": true, "title": true, "description": true,
	"examples": true, "default": true, "deprecated": true, "readOnly": true, "writeOnly": true,
}

// only reports whether the assertions of schema s are among keywords, and
// its "type" is typ.
func only(s map[string]any, typ string, keywords ...string) bool {
	if s["type"] != typ {
		return false
	}
	for k := range s {
		if k != "type" && !annotations[k] && !slices.Contains(keywords, k) {
			return false
		}
	}
	return true
}

// A shape is what a subschema of one of the forms validity knows can tell
// apart of a value. A nil *shape tells values apart by value.
type shape struct {
	kind       byte              // 's'tring, 'o'bject or 'a'rray
	minLength  int               // 's': 0 when there is none
	props      map[string]*shape // 'o': the declared properties
	additional *shape            // 'o': the other keys', under additionalProperties
	items      *shape            // 'a'
}

// shapeOf reads the shape of subschema s, which may be nil (or a boolean
// schema, which comes as nil).
func shapeOf(s map[string]any) *shape {
	sub := func(key string) *shape {
		m, _ := s[key].(map[string]any)
		return shapeOf(m)
	}
	switch {
	case only(s, "string", "minLength"):
		sh := &shape{kind: 's'}
		if least, ok := s["minLength"]; ok {
			n, ok := least.(float64)
			if !ok || n < 0 || n != float64(int(n)) {
				return nil
			}
			sh.minLength = int(n)
		}
		return sh
	case objectForm(s):
		sh := &shape{kind: 'o', props: map[string]*shape{}, additional: sub("additionalProperties")}
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			m, _ := p.(map[string]any)
			sh.props[name] = shapeOf(m)
		}
		return sh
	case only(s, "array", "items", "minItems", "maxItems"):
		return &shape{kind: 'a', items: sub("items")}
	}
	return nil
}

// append appends to b what the shape tells of value.
func (sh *shape) append(b []byte, value any) []byte {
	if sh == nil {
		return appendValue(b, value)
	}
	switch v := value.(type) {
	case string:
		if sh.kind == 's' {
			n := 0 // without minLength, strings are all alike
			if sh.minLength > 0 {
				n = min(utf8.RuneCountInString(v), sh.minLength)
			}
			b = append(b, 's')
			return strconv.AppendInt(b, int64(n), 10)
		}
	case map[string]any:
		if sh.kind == 'o' {
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			b = append(b, '{')
			for _, k := range keys {
				sub, declared := sh.props[k]
				if !declared {
					sub = sh.additional
				}
				b = strconv.AppendQuote(b, k)
				b = sub.append(append(b, ':'), v[k])
				b = append(b, ',')
			}
			return append(b, '}')
		}
	case []any:
		if sh.kind == 'a' {
			b = append(b, '[')
			for _, item := range v {
				b = sh.items.append(b, item)
				b = append(b, ',')
			}
			return append(b, ']')
		}
	}
	return appendValue(b, value)
}

// objectForm reports whether s is the form of object schema above.
func objectForm(s map[string]any) bool {
	unevaluated, ok := s["unevaluatedProperties"]
	return only(s, "object", "properties", "required", "additionalProperties", "propertyNames", "unevaluatedProperties") &&
		(!ok || unevaluated == false)
}

// appendValue appends all of value, as ToValue makes it: two values with
// the same encoding are equal.
func appendValue(b []byte, value any) []byte {
	switch v := value.(type) {
	case nil:
		return append(b, 'n')
	case bool:
		if v {
			return append(b, 't')
		}
		return append(b, 'f')
	case string:
		return strconv.AppendQuote(b, v)
	case json.Number:
		b = append(b, '#')
		return strconv.AppendQuote(b, string(v))
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for _, k := range keys {
			b = strconv.AppendQuote(b, k)
			b = append(b, ':')
			b = appendValue(b, v[k])
			b = append(b, ',')
		}
		return append(b, '}')
	case []any:
		b = append(b, '[')
		for _, item := range v {
			b = appendValue(b, item)
			b = append(b, ',')
		}
		return append(b, ']')
	}
	// ToValue makes no other type; should one appear, Go's syntax for it.
	return fmt.Appendf(b, "%T%#v", value, value)
}
