package check

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
	"github.com/herald-social/herald/schema"
)

func newCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	// Schemas come from the binary or the calendar, never the network.
	c.LoadURL = func(url string) (_ io.ReadCloser, err error) {
		return nil, fmt.Errorf("%s: herald does not fetch schemas; reference only the charter's post_schema file", url)
	}
	return c
}

// charterSchema is the embedded charter schema, compiled once.
var charterSchema = sync.OnceValue(func() *jsonschema.Schema {
	c := newCompiler()
	if err := c.AddResource(schema.CharterURL, bytes.NewReader(schema.Charter)); err != nil {
		panic(err) // the embedded schema is tested; this is a build defect
	}
	return c.MustCompile(schema.CharterURL)
})

// compilePostSchema builds the schema of this calendar's posts: the
// embedded post schema with the charter's account keys, tags and campaigns
// as the allowed values, and the charter's post_schema for custom fields.
// It returns the schema's validity too (nil when it has none).
func compilePostSchema(c *load.Charter, root string) (*jsonschema.Schema, *validity, error) {
	var doc map[string]any
	if err := json.Unmarshal(schema.Post, &doc); err != nil {
		return nil, nil, err
	}
	props := doc["properties"].(map[string]any)
	accounts := c.AccountKeys()
	props["networks"].(map[string]any)["items"] = allowed(accounts)
	props["tags"].(map[string]any)["items"] = allowed(c.TagNames())
	props["campaign"] = allowed(c.CampaignNames())
	variantKeys := slices.Clone(accounts)
	for _, a := range c.Accounts {
		if !slices.Contains(variantKeys, a.Network) {
			variantKeys = append(variantKeys, a.Network)
		}
	}
	slices.Sort(variantKeys)
	props["variants"].(map[string]any)["propertyNames"] = allowed(variantKeys)

	comp := newCompiler()
	if c.PostSchema != "" {
		extraPath := filepath.Join(root, filepath.FromSlash(c.PostSchema))
		content, err := os.ReadFile(extraPath)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("post_schema: %s does not exist: give its path from the calendar root", c.PostSchema)
		} else if err != nil {
			return nil, nil, fmt.Errorf("post_schema: cannot read %s: %v", c.PostSchema, err)
		}
		extraURL := "file:///calendar/" + strings.TrimPrefix(filepath.ToSlash(c.PostSchema), "/")
		if err := comp.AddResource(extraURL, bytes.NewReader(content)); err != nil {
			return nil, nil, fmt.Errorf("post_schema: %s is not a JSON Schema: %v", c.PostSchema, err)
		}
		// unevaluatedProperties at the root sees the fields the extra
		// schema declares, so custom fields pass and typos still fail.
		doc["allOf"] = []any{map[string]any{"$ref": extraURL}}
	}
	combined, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	if err := comp.AddResource(schema.PostURL, bytes.NewReader(combined)); err != nil {
		return nil, nil, err
	}
	s, err := comp.Compile(schema.PostURL)
	if err != nil {
		return nil, nil, fmt.Errorf("post_schema: %s does not compile: %v", c.PostSchema, err)
	}
	return s, newValidity(comp, schema.PostURL, s, doc), nil
}

// allowed is a schema accepting exactly names (nothing when names is empty).
func allowed(names []string) map[string]any {
	if len(names) == 0 {
		return map[string]any{"not": map[string]any{}}
	}
	values := make([]any, len(names))
	for i, n := range names {
		values[i] = n
	}
	return map[string]any{"type": "string", "enum": values}
}

// schemaIssue is one leaf of a validation error, located in the document.
type schemaIssue struct {
	instance     string // JSON pointer
	keyword      string // the failing keyword: type, enum, required...
	message      string
	propertyName bool // the issue is about the name of the property at instance, not its value
	// inBranch is an issue found by the then or else of an if: the
	// branch's properties then count as not evaluated.
	inBranch bool
}

// leafIssues flattens a validation error into its leaves: the causes that
// say what is wrong, not the "does not validate" wrappers around them.
func leafIssues(err error) []schemaIssue {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []schemaIssue{{message: err.Error()}}
	}
	var out []schemaIssue
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
			out = append(out, schemaIssue{e.InstanceLocation, kw, e.Message,
				strings.Contains(e.KeywordLocation, "/propertyNames/"),
				strings.Contains(e.KeywordLocation, "/then/") || strings.Contains(e.KeywordLocation, "/else/")})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return out
}

// quotedNames reads the property names out of the library's messages for
// "required" ("missing properties: 'date', 'tags'"): it reports them only
// in its message.
var quotedNames = regexp.MustCompile(`'([^']*)'`)

// reportSchemaErrors reports each leaf of a validation error at the node
// its instance location names. classify may give a leaf its own rule and
// message (an undeclared account is account.unknown, not a bare enum).
func reportSchemaErrors(r *reporter, rule string, root *yaml.Node, err error,
	classify func(is schemaIssue, value *yaml.Node) (rule, message string)) {
	p := r.printer()
	seen := map[string]bool{}
	issues := leafIssues(err)
	for _, is := range issues {
		if redundantIssue(is, issues) {
			continue
		}
		key, value := load.AtPointer(root, is.instance)
		if value == nil {
			value = &yaml.Node{Line: 1, Column: 1}
		}
		field := fieldName(is.instance)
		ruleID, msg := rule, ""
		line, col := value.Line, value.Column
		if key != nil && (is.propertyName || is.keyword == "required") {
			line, col = key.Line, key.Column // the name, or the object that lacks a field
		}
		switch is.keyword {
		case "unevaluatedProperties", "additionalProperties", "false":
			if key != nil {
				line, col = key.Line, key.Column
			}
			id := "check.schema.unknown-field"
			if rule == "charter.schema" {
				id = "check.schema.unknown-charter-field"
			}
			msg = p.T(id, i18n.Args{"Field": p.Quote(lastToken(is.instance)), "In": inParent(p, is.instance)})
		case "required":
			names := quotedNames.FindAllStringSubmatch(is.message, -1)
			for _, n := range names {
				msg := p.T("check.schema.required", i18n.Args{"Field": p.Quote(n[1]), "In": inParent(p, is.instance+"/x")})
				if !seen[msg] {
					seen[msg] = true
					r.addText(ruleID, line, col, msg)
				}
			}
			continue
		case "pattern":
			msg = p.T("check.schema.field", i18n.Args{"Field": field, "Message": is.message})
			if meaning, ok := schema.PatternMeaning(is.message); ok {
				got := value.Value
				if is.propertyName && key != nil {
					got = key.Value
				}
				msg = p.T("check.schema.pattern."+meaning, i18n.Args{"Field": field, "Value": p.Quote(got)})
			}
		default:
			msg = p.T("check.schema.field", i18n.Args{"Field": field, "Message": is.message})
			if field == "" {
				msg = is.message
			}
			if is.keyword == "type" && strings.HasPrefix(is.message, "expected array, but got ") &&
				value.Kind == yaml.ScalarNode && value.Value != "" {
				// networks: feed, written for networks: [feed]
				msg += fmt.Sprintf(": write a list in brackets, %s: [%s]", lastToken(is.instance), flowItem(value.Value))
			}
		}
		if classify != nil {
			if cr, cm := classify(is, value); cr != "" {
				ruleID, msg = cr, cm
			}
		}
		dedup := fmt.Sprint(line, col, msg)
		if seen[dedup] {
			continue
		}
		seen[dedup] = true
		r.addText(ruleID, line, col, msg)
	}
}

// redundantIssue reports whether is says a field is unknown while another
// issue is about that field's value: a custom field of the wrong type fails
// the post_schema, which then evaluates nothing, but it is not unknown.
func redundantIssue(is schemaIssue, all []schemaIssue) bool {
	unknown := func(s schemaIssue) bool {
		return s.keyword == "unevaluatedProperties" || s.keyword == "additionalProperties" || s.keyword == "false"
	}
	if !unknown(is) {
		return false
	}
	// A field of an object whose other fields break a conditional branch
	// (a bluesky account's pds: that is not a URL) is reported unknown too,
	// as the failing branch's properties don't count as evaluated: the
	// branch's error is enough, and a true typo shows once it is fixed.
	parent := is.instance[:max(strings.LastIndex(is.instance, "/"), 0)]
	return slices.ContainsFunc(all, func(other schemaIssue) bool {
		return !unknown(other) && (other.instance == is.instance || strings.HasPrefix(other.instance, is.instance+"/") ||
			other.inBranch && parent != "" && strings.HasPrefix(other.instance, parent+"/"))
	})
}

// fieldName turns a JSON pointer into the dotted form people read:
// /media/0/alt is media[0].alt.
func fieldName(pointer string) string {
	if pointer == "" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		tok = load.UnescapePointerToken(tok)
		if _, err := strconv.Atoi(tok); err == nil {
			fmt.Fprintf(&b, "[%s]", tok)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func lastToken(pointer string) string {
	return load.UnescapePointerToken(pointer[strings.LastIndex(pointer, "/")+1:])
}

func inParent(p *i18n.Printer, pointer string) string {
	parent := fieldName(pointer[:max(strings.LastIndex(pointer, "/"), 0)])
	if parent == "" {
		return ""
	}
	return p.T("check.schema.in", i18n.Args{"Parent": parent})
}

// flowItem writes a scalar as an item of a YAML flow sequence, quoted
// when it would not read back as itself there (#tag starts a comment).
func flowItem(s string) string {
	if strings.ContainsAny(s, "#:[]{},\"'&*!|>%@`") {
		return strconv.Quote(s)
	}
	return s
}
