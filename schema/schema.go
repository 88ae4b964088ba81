// Package schema embeds the JSON Schemas of the charter and of post front
// matter, so that the herald binary validates without any file beside it
// and editors can point their YAML language server at the same files.
package schema

import _ "embed"

// Charter is charter.schema.json: the schema of a calendar's charter.yaml.
//
//go:embed charter.schema.json
var Charter []byte

// Post is post.schema.json: the base schema of a post's front matter.
//
//go:embed post.schema.json
var Post []byte

// CharterURL and PostURL are the schemas' $id values.
const (
	CharterURL = "https://herald.dev/schema/charter.schema.json"
	PostURL    = "https://herald.dev/schema/post.schema.json"
)
