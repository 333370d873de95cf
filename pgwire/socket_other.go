//go:build !linux

package pgwire

import (
	"io"
	"net"
)

// newSocket returns nc: the raw-syscall socket (socket_linux.go) is
// Linux-only, and elsewhere net.Conn's own Read and Write serve.
func newSocket(nc net.Conn) io.ReadWriter { return nc }
