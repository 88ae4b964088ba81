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

// It opens without blocking (O_NONBLOCK changes nothing for a regular file,
// but an open of a FIFO would wait for a writer forever) and, unless the
// folder's listing already said the file is regular, refuses anything else
// (a FIFO, a device, a socket) before a read could block on it.
func openPost(path string, regular bool) (*postFile, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		f := &postFile{fd, path}
		if !regular {
			var st syscall.Stat_t
			if err := syscall.Fstat(fd, &st); err != nil {
				f.Close()
				return nil, &fs.PathError{Op: "stat", Path: path, Err: err}
			}
			if kind := st.Mode & syscall.S_IFMT; kind != syscall.S_IFREG && kind != syscall.S_IFDIR {
				f.Close()
				return nil, &fs.PathError{Op: "open", Path: path, Err: NotRegularError{UnixFileKind(kind)}}
			}
		}
		return f, nil
	}
}

// UnixFileKind names a file type of st_mode (its S_IFMT bits) as people
// know it, for a NotRegularError.
func UnixFileKind(kind uint32) string {
	switch kind {
	case syscall.S_IFIFO:
		return "a named pipe (FIFO)"
	case syscall.S_IFCHR:
		return "a character device"
	case syscall.S_IFBLK:
		return "a block device"
	case syscall.S_IFSOCK:
		return "a socket"
	}
	return "a special file"
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
