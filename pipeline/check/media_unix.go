//go:build unix

package check

import (
	"io/fs"
	"os"
	"syscall"
)

// openMedia opens a medium for reading as os.Open does, with the system
// calls alone: os.Open also sets a regular file non-blocking, fails to add
// it to the network poller and sets it blocking again, four system calls
// more for each of a calendar's thousands of media. os.NewFile sees a
// blocking file and leaves the poller alone.
func openMedia(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == nil {
			return os.NewFile(uintptr(fd), path), nil
		}
		if err != syscall.EINTR {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
	}
}
