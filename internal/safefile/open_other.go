//go:build !unix

package safefile

import "os"

// openNonBlocking checks the path before opening it where O_NONBLOCK does
// not exist; the open descriptor is checked again by the caller.
func openNonBlocking(path string) (*os.File, error) {
	if err := Check(path); err != nil {
		return nil, err
	}
	return os.Open(path)
}
