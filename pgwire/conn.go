package pgwire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// connState is the protocol state of a connection. Transitions happen only
// in the become* methods below, so the state machine reads in one place.
//
//	startup ──StartupMessage──▶ ready ──COPY statement──▶ copyIn
//	   ▲  │                       ▲                          │
//	   └──┘ SSLRequest/GSSENC     └────CopyDone/CopyFail─────┘
//
// Orthogonal to it, ignoreUntilSync is set by an error in an extended-query
// message and cleared by Sync (Reference: PostgreSQL documentation, 55.2.3
// "Extended Query").
type connState uint8

const (
	stateStartup connState = iota
	stateReady
	stateCopyIn
)

// conn is one client connection: its reader, buffered writer, SQL session,
// prepared statements and portals. All fields are owned by the connection
// goroutine except those under mu, which CancelRequest and Shutdown use.
type conn struct {
	srv *Server
	log *slog.Logger
	rd  *msgReader
	wr  writer
	nc  net.Conn // nil when serving a plain io.Reader/io.Writer (tests)

	state           connState
	ignoreUntilSync bool
	copy            *copyState // non-nil in stateCopyIn

	sess    *sql.Session
	stmts   map[string]*stmt
	portals map[string]*portal

	pid, secret uint32

	baseCtx    context.Context
	baseCancel context.CancelFunc
	mu         sync.Mutex
	cancelRun  context.CancelFunc // cancels the running message's context
}

func newConn(srv *Server, r io.Reader, w io.Writer, nc net.Conn) *conn {
	ctx, cancel := context.WithCancel(context.Background())
	return &conn{
		srv:        srv,
		log:        srv.log,
		rd:         newMsgReader(r, srv.cfg.MaxMessageSize),
		wr:         writer{w: w, buf: make([]byte, 0, 8<<10)},
		nc:         nc,
		stmts:      make(map[string]*stmt),
		portals:    make(map[string]*portal),
		baseCtx:    ctx,
		baseCancel: cancel,
	}
}

// serve runs the connection until the client leaves, a FATAL error, or
// server shutdown. It never panics: a panic in a handler is logged with its
// stack and reported to the client as FATAL XX000.
func (c *conn) serve() {
	defer c.cleanup()
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic serving connection", "pid", c.pid, "panic", r, "stack", string(debug.Stack()))
			e := pgerr.Newf(pgerr.InternalError, "internal error: %v", r)
			e.Severity = pgerr.SeverityFatal
			c.wr.send(errorResponse(e))
			_ = c.wr.flush()
		}
	}()
	if !c.handleStartup() {
		return
	}
	for {
		if c.srv.closing.Load() {
			c.terminate(adminShutdownError())
			return
		}
		msg, err := c.rd.receive()
		if err != nil {
			if msg != nil && !c.ignoreUntilSync && c.state == stateReady {
				if c.malformed(msg, err) {
					return
				}
				continue
			}
			if msg == nil {
				c.receiveFailed(err)
				return
			}
			continue
		}
		if c.ignoreUntilSync {
			if _, ok := msg.(*pgproto3.Sync); !ok {
				continue
			}
		}
		if c.state == stateCopyIn {
			if !c.dispatchCopy(msg) {
				return
			}
			continue
		}
		var done bool
		switch m := msg.(type) {
		case *pgproto3.Query:
			done = c.handleSimpleQuery(m)
		case *pgproto3.Parse:
			done = c.handleParse(m)
		case *pgproto3.Bind:
			done = c.handleBind(m)
		case *pgproto3.Describe:
			done = c.handleDescribe(m)
		case *pgproto3.Execute:
			done = c.handleExecute(m)
		case *pgproto3.Close:
			done = c.handleClose(m)
		case *pgproto3.Sync:
			done = c.handleSync()
		case *pgproto3.Flush:
			done = c.wr.flush() != nil
		case *pgproto3.Terminate:
			_ = c.wr.flush()
			return
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// NB: after a failed COPY the client may still be sending its
			// data; PostgreSQL drops such messages silently (55.2.6).
		case *pgproto3.FunctionCall:
			done = c.extendedError(pgerr.New(pgerr.FeatureNotSupported, "fastpath function calls are not supported"))
		default:
			c.terminate(errProtocol("unexpected message type %s", msgName(msg)))
			return
		}
		if done {
			return
		}
	}
}

// dispatchCopy handles a message in stateCopyIn; it reports false when the
// connection must end.
func (c *conn) dispatchCopy(msg pgproto3.FrontendMessage) bool {
	switch m := msg.(type) {
	case *pgproto3.CopyData:
		return c.handleCopyData(m)
	case *pgproto3.CopyDone:
		return c.handleCopyDone()
	case *pgproto3.CopyFail:
		return c.handleCopyFail(m)
	case *pgproto3.Flush, *pgproto3.Sync:
		return true // NB: ignored during COPY, as PostgreSQL does.
	case *pgproto3.Terminate:
		c.abortCopy()
		return false
	default:
		return c.copyProtocolError(msg)
	}
}

// malformed reports a message that framed correctly but did not decode:
// a simple Query ends with ReadyForQuery, anything else skips to Sync. It
// reports true when the connection must end.
func (c *conn) malformed(msg pgproto3.FrontendMessage, err error) bool {
	if _, ok := msg.(*pgproto3.Query); ok {
		c.sendError(err)
		return c.finishSimpleQuery()
	}
	return c.extendedError(err)
}

// becomeReady leaves stateStartup or stateCopyIn.
func (c *conn) becomeReady() {
	c.state = stateReady
	c.copy = nil
}

// becomeCopyIn enters stateCopyIn for a running COPY FROM STDIN.
func (c *conn) becomeCopyIn(cs *copyState) {
	c.state = stateCopyIn
	c.copy = cs
}

// skipToSync enters the error-recovery mode of the extended protocol.
func (c *conn) skipToSync() { c.ignoreUntilSync = true }

// extendedError reports an error raised by an extended-query message and
// starts skipping to Sync. It reports true when the error is FATAL.
func (c *conn) extendedError(err error) bool {
	pe := c.sendError(err)
	if isFatal(pe) {
		_ = c.wr.flush()
		return true
	}
	c.skipToSync()
	return false
}

// readyForQuery sends pending ParameterStatus changes and ReadyForQuery,
// ends the portals of a finished transaction, and flushes. It reports true
// when the write failed (the connection is gone).
func (c *conn) readyForQuery() bool {
	status := c.sess.TxnStatus()
	if status == sql.TxnIdle {
		c.closeAllPortals()
	}
	c.sendNotices()
	for _, p := range c.sess.TakeParamChanges() {
		c.wr.parameterStatus(p.Name, p.Value)
	}
	c.wr.readyForQuery(status)
	return c.wr.flush() != nil
}

// receiveFailed ends the connection after a read error: silently for a
// hang-up, with FATAL 57P01 for shutdown, FATAL 08P01 for garbage.
func (c *conn) receiveFailed(err error) {
	switch {
	case c.srv.closing.Load():
		c.terminate(adminShutdownError())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		c.log.Debug("client disconnected", "pid", c.pid, "err", err)
	default:
		var pe *pgerr.Error
		if errors.As(err, &pe) {
			c.terminate(pe)
			return
		}
		c.log.Debug("read failed", "pid", c.pid, "err", err)
	}
}

// terminate sends a final FATAL error and flushes; the caller returns.
func (c *conn) terminate(pe *pgerr.Error) {
	if pe.Severity == "" {
		pe.Severity = pgerr.SeverityFatal
	}
	c.wr.send(errorResponse(pe))
	_ = c.wr.flush()
}

// runCtx returns the context for one message's work, cancellable by a
// CancelRequest; done must be called when the message has been handled.
func (c *conn) runCtx() (ctx context.Context, done func()) {
	ctx, cancel := context.WithCancel(c.baseCtx)
	c.mu.Lock()
	c.cancelRun = cancel
	c.mu.Unlock()
	return ctx, func() {
		c.mu.Lock()
		c.cancelRun = nil
		c.mu.Unlock()
		cancel()
	}
}

// cancelQuery cancels the running message's work, if any (CancelRequest).
// Safe for concurrent use.
func (c *conn) cancelQuery() {
	c.mu.Lock()
	if c.cancelRun != nil {
		c.cancelRun()
	}
	c.mu.Unlock()
}

// cleanup releases everything the connection holds.
func (c *conn) cleanup() {
	c.abortCopy()
	c.closeAllPortals()
	if c.sess != nil {
		c.sess.Close()
	}
	c.baseCancel()
	c.srv.forget(c)
}
