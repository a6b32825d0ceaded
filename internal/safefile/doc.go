// Package safefile reads files of an untrusted repository without ever
// blocking: only regular files are read. A FIFO, a device or a socket
// named like a manifest would make a plain read wait forever (or read
// without end), so it is refused with ErrNotRegular before any byte is
// read.
package safefile
