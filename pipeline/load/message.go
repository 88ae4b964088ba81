package load

import (
	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/i18n"
)

// message is a text of the catalog (locales/load.LANG.toml) with its
// values, so that a ParseError or a NodeError can be said in the reader's
// language; a value that is itself a message is said in the same one.
type message struct {
	id   string
	args i18n.Args
}

func msg(id string, args i18n.Args) message { return message{id, args} }

func (m message) text(p *i18n.Printer) string {
	args := make(i18n.Args, len(m.args))
	for k, v := range m.args {
		switch w := v.(type) {
		case message:
			v = w.text(p)
		case quoted:
			v = p.Quote(string(w))
		}
		args[k] = v
	}
	return p.T(m.id, args)
}

// newParseError is a ParseError whose Message is m in English.
func newParseError(rule string, line, col int, m message) *ParseError {
	return &ParseError{Rule: rule, Line: line, Column: col, Message: m.text(i18n.English()), message: m}
}

// Text is the error's message in p's language.
func (e *ParseError) Text(p *i18n.Printer) string {
	if e.message.id == "" {
		return e.Message
	}
	return e.message.text(p)
}

// newNodeError is a NodeError whose Message is m in English.
func newNodeError(n *yaml.Node, m message, expansion bool) *NodeError {
	return &NodeError{Node: n, Message: m.text(i18n.English()), Expansion: expansion, message: m}
}

// Text is the error's message in p's language.
func (e *NodeError) Text(p *i18n.Printer) string {
	if e.message.id == "" {
		return e.Message
	}
	return e.message.text(p)
}

// quoted is a value a message quotes, as the reader's language does.
type quoted string
