package pgwire

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vecgres/vecgres/sql"
)

// Config configures a Server.
type Config struct {
	// Engine runs the SQL; required.
	Engine *sql.Engine
	// Logger receives connection-level events; nil discards them.
	Logger *slog.Logger
	// MaxMessageSize bounds the messages that carry data (Query, Parse,
	// Bind, CopyData, FunctionCall); others are bounded at 10000 bytes as in
	// PostgreSQL. A larger message ends the connection with FATAL 08P01.
	// 0 means 64 MiB.
	MaxMessageSize int
}

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("pgwire: server closed")

// Server serves PostgreSQL clients: one goroutine per connection, each
// running the protocol state machine of conn.go over its own sql.Session.
// All methods are safe for concurrent use.
type Server struct {
	cfg Config
	log *slog.Logger

	closing atomic.Bool
	wg      sync.WaitGroup

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[*conn]struct{}
	keys      map[backendKey]*conn
	nextPID   uint32
}

// backendKey is what BackendKeyData gives the client and CancelRequest
// returns: a process id and a random secret.
type backendKey struct{ pid, secret uint32 }

// New returns a Server for cfg. It does not listen; call Serve.
func New(cfg Config) *Server {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.MaxMessageSize <= 0 {
		cfg.MaxMessageSize = defaultMaxMessage
	}
	return &Server{
		cfg:       cfg,
		log:       log,
		listeners: make(map[net.Listener]struct{}),
		conns:     make(map[*conn]struct{}),
		keys:      make(map[backendKey]*conn),
		nextPID:   1000 + uint32(randUint32()%30000),
	}
}

// Serve accepts connections on ln until Shutdown (it then returns
// ErrServerClosed) or an accept error. ln is closed when Serve returns.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		ln.Close()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
		ln.Close()
	}()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return ErrServerClosed
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				s.log.Warn("accept failed; retrying", "err", err, "in", backoff)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.SetNoDelay(true)
		}
		sock := newSocket(nc)
		c := newConn(s, sock, sock, nc)
		if !s.track(c) {
			nc.Close()
			return ErrServerClosed
		}
		go func() {
			defer nc.Close()
			c.serve()
		}()
	}
}

// ServeStream serves one client over r and w (no socket), returning when
// the client leaves. The caller closes the underlying stream. Tests use it
// to drive the protocol without a network.
func (s *Server) ServeStream(r io.Reader, w io.Writer) {
	c := newConn(s, r, w, nil)
	if !s.track(c) {
		return
	}
	c.serve()
}

// track registers a new connection; false when shutting down.
func (s *Server) track(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	return true
}

// register gives a connection its BackendKeyData.
func (s *Server) register(c *conn) (pid, secret uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextPID++
	k := backendKey{pid: s.nextPID, secret: randUint32()}
	s.keys[k] = c
	return k.pid, k.secret
}

// forget removes a finished connection.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	if _, ok := s.conns[c]; ok {
		delete(s.conns, c)
		delete(s.keys, backendKey{c.pid, c.secret})
		s.wg.Done()
	}
	s.mu.Unlock()
}

// cancel cancels the running query of the connection with this key; an
// unknown key is ignored, as PostgreSQL does (no reply either way).
func (s *Server) cancel(pid, secret uint32) {
	s.mu.Lock()
	c := s.keys[backendKey{pid, secret}]
	s.mu.Unlock()
	if c == nil {
		s.log.Debug("cancel request for unknown backend key", "pid", pid)
		return
	}
	s.log.Debug("cancel request", "pid", pid)
	c.cancelQuery()
}

// Shutdown stops accepting connections, cancels running queries, ends
// every connection with FATAL 57P01 "terminating connection due to
// administrator command", and waits for them to finish. If ctx ends first
// the remaining sockets are closed forcibly and ctx's error is returned.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closing.Store(true)
	for ln := range s.listeners {
		ln.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.baseCancel() // cancels a running query
		if c.nc != nil {
			// NB: wakes a connection blocked reading its next message; it
			// then sees closing and sends FATAL 57P01.
			_ = c.nc.SetReadDeadline(time.Now())
		}
	}
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, c := range conns {
			if c.nc != nil {
				c.nc.Close()
			}
		}
		return ctx.Err()
	}
}

func randUint32() uint32 {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return binary.BigEndian.Uint32(b[:])
}
