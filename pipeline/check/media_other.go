//go:build !unix

package check

import "os"

// openMedia opens a medium for reading.
func openMedia(path string) (*os.File, error) { return os.Open(path) }
