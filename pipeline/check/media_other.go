//go:build !unix

package check

import (
	"os"

	"github.com/herald-social/herald/pipeline/load"
)

// openMedia opens a medium for reading, refusing what is not a regular
// file or a folder (load.NotRegularError) before anything reads it.
func openMedia(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return nil, load.NotRegularError{Kind: "a special file"}
	}
	return os.Open(path)
}
