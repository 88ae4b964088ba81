//go:build unix

package load

import (
	"io"
	"io/fs"
	"syscall"
)

// postFile is a post file opened for reading with the system calls alone:
// os.Open also sets a regular file non-blocking, fails to add it to the
// network poller and sets it blocking again, five system calls more than
// reading it takes, for each of a calendar's thousands of posts.
type postFile struct {
	fd   int
	path string
}

func openPost(path string) (*postFile, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == nil {
			return &postFile{fd, path}, nil
		}
		if err != syscall.EINTR {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
	}
}

func (f *postFile) Read(b []byte) (int, error) {
	for {
		n, err := syscall.Read(f.fd, b)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case n == 0 && len(b) > 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// size is the file's size, or -1 when it cannot be told.
func (f *postFile) size() int64 {
	var st syscall.Stat_t
	if syscall.Fstat(f.fd, &st) != nil {
		return -1
	}
	return st.Size
}

func (f *postFile) Close() error { return syscall.Close(f.fd) }
