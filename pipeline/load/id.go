package load

import (
	"fmt"
	"path"
	"strings"
)

// StateFolders are the folders herald writes beside the post state files
// state/<id>.json: a post whose id starts with one of them would have its
// journal mixed with them.
var StateFolders = []string{"accounts", "instances"}

// CheckID says what is wrong with a post id as the name of its state file,
// state/<id>.json: nil when it is a clean, relative, slash-separated path
// that names no folder herald writes into. Check reports the error at the
// post, and plan and publish refuse the post rather than skip it.
func CheckID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("the post id is empty")
	case strings.Contains(id, `\`):
		return fmt.Errorf("post id %q holds a backslash: use / between folders", id)
	case strings.HasPrefix(id, "/") || len(id) >= 2 && id[1] == ':':
		return fmt.Errorf("post id %q is an absolute path: give it relative, like news/launch", id)
	case strings.ContainsRune(id, 0):
		return fmt.Errorf("post id %q holds a NUL character", id)
	}
	for _, seg := range strings.Split(id, "/") {
		switch seg {
		case "":
			return fmt.Errorf("post id %q has an empty folder name (// or a / at an end)", id)
		case ".", "..":
			return fmt.Errorf("post id %q is not a clean path (%q as a folder): write it as %q", id, seg, cleanID(id))
		}
	}
	first, _, nested := strings.Cut(id, "/")
	for _, f := range StateFolders {
		if nested && strings.EqualFold(first, f) {
			return fmt.Errorf("post id %q would put its journal in state/%s/, where herald keeps its own files: choose another id", id, f)
		}
	}
	return nil
}

// cleanID is id cleaned as a path, for the message that suggests it.
func cleanID(id string) string {
	c := strings.TrimLeft(path.Clean("/"+id), "/")
	if c == "" {
		return "a name of its own"
	}
	return c
}
