package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is the error for a path that is not a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile reads the regular file at path. The file is opened without
// blocking, and checked to be regular through the open descriptor, so a
// FIFO is refused even when it replaces a file between two checks.
func ReadFile(path string) ([]byte, error) {
	return ReadFileLimit(path, -1)
}

// ReadFileLimit is ReadFile for files of at most limit bytes; a negative
// limit means no limit. A larger file is an error, and no more than limit
// bytes are read even when the file grows meanwhile.
func ReadFileLimit(path string, limit int64) ([]byte, error) {
	f, info, err := open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }() // read-only
	if limit >= 0 && info.Size() > limit {
		return nil, fmt.Errorf("%s: file is %d bytes, larger than the limit of %d", path, info.Size(), limit)
	}
	var r io.Reader = f
	if limit >= 0 {
		r = io.LimitReader(f, limit+1)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if limit >= 0 && int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: file grew over the limit of %d bytes while read", path, limit)
	}
	return data, nil
}

// Open opens the regular file at path for reading, as ReadFile does.
func Open(path string) (*os.File, error) {
	f, _, err := open(path)
	return f, err
}

// open opens path without blocking and returns it with its information
// when it is a regular file.
func open(path string) (*os.File, fs.FileInfo, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = notRegular(path, info.Mode())
	}
	if err != nil {
		_ = f.Close() // read-only
		return nil, nil, err
	}
	return f, info, nil
}

// Check returns ErrNotRegular (wrapped) when path, its symbolic links
// followed, exists and is not a regular file or a folder; it is for files
// that another library reads. A path that does not exist is no error here.
func Check(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return nil //nolint:nilerr // a missing file is the reader's to report
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		return notRegular(path, info.Mode())
	}
	return nil
}

func notRegular(path string, mode fs.FileMode) error {
	return &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(mode))}
}

// kind names the type of a file that is not regular.
func kind(mode fs.FileMode) string {
	switch {
	case mode&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	case mode.IsDir():
		return "a folder"
	}
	return "mode " + mode.String()
}
