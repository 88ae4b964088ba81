//go:build unix

package preview

import (
	"io/fs"
	"syscall"
)

// writeFile is os.WriteFile with the system calls alone: os.OpenFile also
// sets each file non-blocking, fails to add it to the network poller and
// sets it blocking again, five system calls more than writing it takes,
// for each of a site's thousands of pages.
func writeFile(name string, data []byte, perm fs.FileMode) error {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return &fs.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 && err == nil {
		var n int
		n, err = syscall.Write(fd, data)
		switch {
		case err == syscall.EINTR:
			err = nil
		case err == nil && n == 0:
			err = syscall.EIO
		case n > 0:
			data = data[n:]
		}
	}
	if err != nil {
		syscall.Close(fd)
		return &fs.PathError{Op: "write", Path: name, Err: err}
	}
	if err := syscall.Close(fd); err != nil {
		return &fs.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}
