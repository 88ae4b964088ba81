//go:build !unix

package load

import (
	"io/fs"
	"os"
)

// postFile is a post file opened for reading.
type postFile struct{ *os.File }

func openPost(path string, regular bool) (*postFile, error) {
	if !regular {
		if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
			return nil, &fs.PathError{Op: "open", Path: path, Err: NotRegularError{"a special file"}}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &postFile{f}, nil
}

// size is the file's size, or -1 when it cannot be told.
func (f *postFile) size() int64 {
	fi, err := f.Stat()
	if err != nil {
		return -1
	}
	return fi.Size()
}
