//go:build !unix

package preview

import (
	"io/fs"
	"os"
)

// writeFile is os.WriteFile.
func writeFile(name string, data []byte, perm fs.FileMode) error {
	return os.WriteFile(name, data, perm)
}
