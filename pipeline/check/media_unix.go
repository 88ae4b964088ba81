//go:build unix

package check

import (
	"io/fs"
	"os"
	"syscall"

	"github.com/herald-social/herald/pipeline/load"
)

// openMedia opens a medium for reading as os.Open does, with the system
// calls alone: os.Open also sets a regular file non-blocking, fails to add
// it to the network poller and sets it blocking again, four system calls
// more for each of a calendar's thousands of media. os.NewFile sees a
// blocking file and leaves the poller alone.
//
// It opens without blocking, as a FIFO's open would wait for a writer
// forever, and refuses what is not a regular file or a folder before
// anything reads it (load.NotRegularError); a regular file is then set
// blocking again.
func openMedia(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil {
			syscall.Close(fd)
			return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
		}
		if kind := st.Mode & syscall.S_IFMT; kind != syscall.S_IFREG && kind != syscall.S_IFDIR {
			syscall.Close(fd)
			return nil, load.NotRegularError{Kind: load.UnixFileKind(kind)}
		}
		if err := syscall.SetNonblock(fd, false); err != nil {
			syscall.Close(fd)
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}
