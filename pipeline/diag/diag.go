// Package diag holds the one diagnostic type every stage of Herald reports
// problems with, and the output formats that print them.
//
// A stage collects diagnostics, Sort orders them by position, and a format
// prints them. Positions are carried as numbers from the parser to the
// printer; nothing formats a position into a string and parses it back.
package diag

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says how serious a diagnostic is. Off is used only by severity
// overrides in the charter; a diagnostic is never reported as off.
type Severity int

const (
	Off Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	default:
		return "off"
	}
}

// ParseSeverity reads a severity as written in the charter's rules: map.
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "off":
		return Off, nil
	}
	return Off, fmt.Errorf("unknown severity %q: use error, warning or off", s)
}

// Diagnostic is a problem found at a position in a file. Line and Column
// are 1-based; 0 means the whole file (or line).
type Diagnostic struct {
	Path     string   // slash-separated, relative to the working directory when possible
	Line     int      // 1-based
	Column   int      // 1-based, in characters (code points), as editors count
	Severity Severity //
	Rule     string   // stable rule id, such as "voice.banned"
	Message  string   // what is wrong and what to do
}

// Compare orders diagnostics by path, line, column, then rule and message so
// that output is stable whatever order the checks ran in.
func Compare(a, b Diagnostic) int {
	return cmp.Or(
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Message, b.Message),
	)
}

// Sort orders diagnostics with Compare and drops exact duplicates.
func Sort(ds []Diagnostic) []Diagnostic {
	slices.SortFunc(ds, Compare)
	return slices.Compact(ds)
}

// Count returns how many diagnostics have each severity.
func Count(ds []Diagnostic) (errors, warnings int) {
	for _, d := range ds {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		}
	}
	return errors, warnings
}
