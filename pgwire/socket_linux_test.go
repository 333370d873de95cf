package pgwire

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

func TestRawSocketWrapsTCP(t *testing.T) {
	server, _ := tcpPair(t)
	if _, ok := newSocket(server).(*rawSocket); !ok {
		t.Fatalf("newSocket(%T) is not a rawSocket", server)
	}
}

// TestRawSocketLargeWriteAndRead sends more than the socket buffers hold in
// one Write, so the write side must park on EAGAIN and resume, while the
// peer reads in small pieces through the raw Read.
func TestRawSocketLargeWriteAndRead(t *testing.T) {
	server, client := tcpPair(t)
	w := newSocket(server)
	r := newSocket(client)
	payload := make([]byte, 16<<20)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	errc := make(chan error, 1)
	go func() {
		n, err := w.Write(payload)
		if err == nil && n != len(payload) {
			err = io.ErrShortWrite
		}
		errc <- err
	}()
	got := make([]byte, 0, len(payload))
	buf := make([]byte, 4093)
	for len(got) < len(payload) {
		n, err := r.Read(buf)
		if err != nil {
			t.Fatalf("read after %d bytes: %v", len(got), err)
		}
		got = append(got, buf[:n]...)
	}
	if err := <-errc; err != nil {
		t.Fatalf("write: %v", err)
	}
	if !bytes.Equal(got, payload) {
		t.Fatal("bytes read differ from bytes written")
	}
}

func TestRawSocketEOFAndDeadline(t *testing.T) {
	server, client := tcpPair(t)
	s := newSocket(server)

	// A deadline wakes a Read that is parked waiting for data, with a
	// timeout error (Server.Shutdown relies on this).
	if err := server.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	_, err := s.Read(make([]byte, 8))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read past deadline: got %v, want a deadline error", err)
	}
	if err := server.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}

	// Data then EOF once the peer closes.
	if _, err := client.Write([]byte("abc")); err != nil {
		t.Fatal(err)
	}
	client.Close()
	got, err := io.ReadAll(s)
	if err != nil || string(got) != "abc" {
		t.Fatalf("ReadAll = %q, %v; want \"abc\", nil", got, err)
	}

	// Writing to a peer that has gone eventually fails instead of hanging.
	var werr error
	for i := 0; i < 100 && werr == nil; i++ {
		_, werr = s.Write(make([]byte, 64<<10))
	}
	if werr == nil {
		t.Fatal("writes to a closed peer kept succeeding")
	}

	// After Close, Read reports net.ErrClosed (receiveFailed treats it as a
	// disconnect).
	server.Close()
	if _, err := s.Read(make([]byte, 8)); !errors.Is(err, net.ErrClosed) {
		t.Fatalf("read after Close: got %v, want net.ErrClosed", err)
	}
}
