package pgwire

import (
	"errors"
	"io"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// handleStartup runs the startup phase: SSLRequest and GSSEncRequest are
// refused with 'N' and the client continues on the same socket;
// CancelRequest cancels another connection's query and ends this one;
// StartupMessage opens the SQL session, answers AuthenticationOk (trust),
// ParameterStatus for every reported setting, BackendKeyData and
// ReadyForQuery. It reports whether the connection moved to stateReady.
//
// Reference: PostgreSQL documentation, 55.2.1 "Start-up" and 55.2.10/11
// "SSL/GSSAPI Session Encryption".
func (c *conn) handleStartup() bool {
	for {
		msg, err := c.rd.readStartup()
		if err != nil {
			var pe *pgerr.Error
			switch {
			case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
				// NB: pgx with sslmode=prefer hangs up right after our 'N'.
				c.log.Debug("client left during startup", "err", err)
			case errors.As(err, &pe):
				c.terminate(pe)
			default:
				c.log.Debug("startup read failed", "err", err)
			}
			return false
		}
		switch m := msg.(type) {
		case *pgproto3.SSLRequest, *pgproto3.GSSEncRequest:
			c.wr.buf = append(c.wr.buf, 'N')
			if c.wr.flush() != nil {
				return false
			}
		case *pgproto3.CancelRequest:
			c.srv.cancel(m.ProcessID, m.SecretKey)
			return false // NB: PostgreSQL answers a CancelRequest with nothing.
		case *pgproto3.StartupMessage:
			return c.startSession(m)
		}
	}
}

// startSession opens the SQL session for a StartupMessage.
func (c *conn) startSession(m *pgproto3.StartupMessage) bool {
	params := make(map[string]string, len(m.Parameters))
	var unknownOpts []string
	for k, v := range m.Parameters {
		if len(k) > 4 && k[:4] == "_pq_" {
			unknownOpts = append(unknownOpts, k) // protocol options: none supported
			continue
		}
		params[k] = v
	}
	if params["user"] == "" {
		c.terminate(pgerr.New(pgerr.InvalidAuthorizationSpec, "no PostgreSQL user name specified in startup packet"))
		return false
	}
	if m.ProtocolVersion != protocolVersion30 || len(unknownOpts) > 0 {
		c.negotiateProtocolVersion(unknownOpts)
	}
	ctx, done := c.runCtx()
	sess, err := c.srv.cfg.Engine.NewSession(ctx, params)
	done()
	if err != nil {
		pe := c.toPgError(err)
		fatal := *pe
		fatal.Severity = pgerr.SeverityFatal
		c.terminate(&fatal)
		return false
	}
	c.sess = sess
	c.pid, c.secret = c.srv.register(c)
	sess.SetBackendPID(int32(c.pid))

	c.wr.send(&pgproto3.AuthenticationOk{})
	for _, p := range sess.ParameterStatus() {
		c.wr.parameterStatus(p.Name, p.Value)
	}
	sess.TakeParamChanges() // NB: everything was just reported.
	c.wr.send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret})
	c.becomeReady()
	c.log.Debug("session started", "pid", c.pid, "user", params["user"], "database", params["database"],
		"application_name", params["application_name"])
	return !c.readyForQuery()
}

// negotiateProtocolVersion tells a client asking for protocol 3.x (x > 0)
// or for _pq_ options that we speak 3.0 without them.
// Reference: PostgreSQL documentation, 55.7, NegotiateProtocolVersion.
func (c *conn) negotiateProtocolVersion(unknownOpts []string) {
	sp := c.wr.begin('v')
	c.wr.int32(protocolVersion30)
	c.wr.int32(int32(len(unknownOpts)))
	for _, o := range unknownOpts {
		c.wr.cstring(o)
	}
	c.wr.finish(sp)
}
