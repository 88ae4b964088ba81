package check

import (
	"os"
	"path/filepath"

	"github.com/herald-social/herald/pipeline/diag"
	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// nestedCalendars finds the calendars inside a calendar's posts/: a folder
// there holding a charter.yaml is a calendar of its own, which publishes
// the posts below it; the outer calendar must not publish them too. It is
// asked about each folder of the walk in turn, and stats each folder once.
type nestedCalendars struct {
	postsDir string
	roots    map[string]string // folder: the nested calendar's root it is in, "" for none
}

func newNestedCalendars(root string) *nestedCalendars {
	return &nestedCalendars{postsDir: filepath.Join(root, "posts"), roots: map[string]string{}}
}

// rootOf returns the root of the nested calendar holding folder dir (below
// posts/), "" when there is none.
func (n *nestedCalendars) rootOf(dir string) string {
	if dir == n.postsDir || len(dir) <= len(n.postsDir) {
		return ""
	}
	if root, ok := n.roots[dir]; ok {
		return root
	}
	root := n.rootOf(filepath.Dir(dir)) // the outermost one holds the posts
	if root == "" {
		if fi, err := os.Stat(filepath.Join(dir, load.CharterFile)); err == nil && fi.Mode().IsRegular() {
			root = dir
		}
	}
	n.roots[dir] = root
	return root
}

// nestedDiagnostic is the error about a calendar nested at root, inside
// this calendar's posts/, reported at its charter.yaml.
func (c *calendarCheck) nestedDiagnostic(root string) (diag.Diagnostic, bool) {
	charterAbs := filepath.Join(root, load.CharterFile)
	r := &reporter{p: c.p, path: c.displayPath(charterAbs), severities: c.rules.severities}
	nested := c.displayPath(root)
	r.add("calendar.nested", 1, 1,
		"check.calendar.nested", i18n.Args{"Nested": nested})
	if len(r.diags) == 0 {
		return diag.Diagnostic{}, false
	}
	return r.diags[0], true
}

// nestedPost reads a post of a calendar nested at root: the outer calendar
// does not check it with its own rules, and keeps it, when it keeps posts,
// with the nested calendar's error, so that plan and publish name it and
// say why this calendar does not publish it.
func (c *calendarCheck) nestedPost(abs string, d diag.Diagnostic, buf *[]byte) *Post {
	if !c.keepPosts || !c.cal.InScope(abs) {
		return nil
	}
	content, err := load.ReadPostInto(*buf, abs)
	if cap(content) > cap(*buf) {
		*buf = content[:0]
	}
	if err != nil {
		return nil // the nested calendar reports it
	}
	rel, _ := filepath.Rel(c.cal.Root, abs)
	post, err := load.ParsePost(filepath.ToSlash(rel), content)
	if err != nil {
		return nil
	}
	post.Front = nil
	return &Post{Post: post, Path: c.displayPath(abs), Abs: abs, Diagnostics: []diag.Diagnostic{d}}
}
