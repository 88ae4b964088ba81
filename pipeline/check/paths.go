package check

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/herald-social/herald/pipeline/i18n"
	"github.com/herald-social/herald/pipeline/load"
)

// reservedFolders are the calendar's folders that herald reads posts and
// media from or journals into: a path of the charter naming a file herald
// writes or reads as configuration may not lead into them.
var reservedFolders = []string{".git", "posts", "state", "media"}

// charterPath is a path the charter gives, below the calendar root.
type charterPath struct {
	pointer string // where the charter sets it
	value   string
	read    bool // herald reads it (it must then be a regular file)
}

// charterPaths lists every path of the charter: each feed's path, each
// outbox's dir and post_schema.
func charterPaths(c *load.Charter) []charterPath {
	var paths []charterPath
	for _, key := range c.AccountKeys() {
		a := c.Accounts[key]
		switch a.Network {
		case "feed":
			paths = append(paths, charterPath{"/accounts/" + escapePointer(key) + "/path", a.Path, false})
		case "outbox":
			paths = append(paths, charterPath{"/accounts/" + escapePointer(key) + "/dir", a.Dir, false})
		}
	}
	if c.PostSchema != "" {
		paths = append(paths, charterPath{"/post_schema", c.PostSchema, true})
	}
	return paths
}

// checkPaths reports each path of the charter that leaves the calendar,
// leads into a folder herald keeps for itself or names charter.yaml
// (charter.path), at the path's value. It returns whether post_schema can
// be read.
func (cr *charterRules) checkPaths(r *reporter, node *yaml.Node) (postSchemaOK bool) {
	postSchemaOK = true
	for _, p := range charterPaths(cr.charter) {
		problem := cr.pathProblem(p)
		if problem == "" {
			continue
		}
		_, v := load.AtPointer(node, p.pointer)
		line, col := 0, 0
		if v != nil {
			line, col = v.Line, v.Column
		}
		r.add("charter.path", line, col, "check.charter.path", i18n.Args{"Field": strings.TrimPrefix(strings.ReplaceAll(p.pointer, "/", "."), "."),
			"Value": r.q(p.value), "Problem": problem})
		if p.read {
			postSchemaOK = false
		}
	}
	return postSchemaOK
}

// pathProblem says what is wrong with a path of the charter, "" when
// nothing is.
func (cr *charterRules) pathProblem(p charterPath) string {
	v := p.value
	switch {
	case strings.Contains(v, `\`):
		return cr.p.T("check.path.backslash", nil)
	case path.IsAbs(v) || filepath.IsAbs(v) || filepath.VolumeName(v) != "":
		return cr.p.T("check.path.absolute", nil)
	}
	clean := path.Clean(v)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return cr.p.T("check.path.leaves", nil)
	}
	if msg := reservedProblem(cr.p, clean); msg != "" {
		return msg
	}
	// The path as the disk resolves it: a symbolic link on the way may
	// lead out of the calendar or into one of its reserved folders.
	realRoot, err := cr.realRoot()
	if err != nil {
		return ""
	}
	target := filepath.Join(cr.root, filepath.FromSlash(clean))
	existing, rest := target, ""
	for existing != cr.root {
		if _, err := os.Lstat(existing); err == nil {
			break
		}
		rest = filepath.Join(filepath.Base(existing), rest)
		existing = filepath.Dir(existing)
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		// A link to nothing: where it would lead cannot be told, and
		// herald could not write through it.
		return cr.p.T("check.path.dangling", nil)
	}
	rel, err := filepath.Rel(realRoot, filepath.Join(real, rest))
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return cr.p.T("check.path.symlink-out", nil)
	}
	if msg := reservedProblem(cr.p, filepath.ToSlash(rel)); msg != "" {
		return cr.p.T("check.path.through-symlink", i18n.Args{"Problem": msg})
	}
	if p.read {
		fi, err := os.Stat(target)
		if err == nil && !fi.Mode().IsRegular() {
			return cr.p.T("check.path.not-regular", nil)
		}
	}
	return ""
}

// reservedProblem says why clean, a clean slash-separated path below the
// root, cannot be used: it is the root, charter.yaml or inside a reserved
// folder (in any case: the same folder on macOS and Windows).
func reservedProblem(p *i18n.Printer, clean string) string {
	if clean == "." {
		return p.T("check.path.root", nil)
	}
	if strings.EqualFold(clean, load.CharterFile) {
		return p.T("check.path.charter", nil)
	}
	first, _, _ := strings.Cut(clean, "/")
	if i := slices.IndexFunc(reservedFolders, func(f string) bool { return strings.EqualFold(f, first) }); i >= 0 {
		return p.T("check.path.reserved", i18n.Args{"Folder": reservedFolders[i]})
	}
	return ""
}

// postOutside says whether the post file at abs, which the folder's
// listing does not show as a regular file, is a symbolic link that leads
// out of the calendar: it is then refused unread, as media are, so that
// no message quotes a line of a file outside the calendar.
func (cr *charterRules) postOutside(abs string) (bool, error) {
	realRoot, err := cr.realRoot()
	if err != nil {
		return false, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // a dangling link: reading it says so
	} else if err != nil {
		return false, err
	}
	return real != realRoot && !strings.HasPrefix(real, realRoot+string(filepath.Separator)), nil
}
