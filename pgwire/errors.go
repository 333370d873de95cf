package pgwire

import (
	"context"
	"errors"
	"strconv"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// toPgError is the one place any error becomes the fields of an
// ErrorResponse. Errors carry their SQLSTATE from where they were created
// (sql/pgerr); what reaches here without one becomes XX000, except a
// context cancellation, which is the query cancel PostgreSQL reports as
// 57014 (or, while the server shuts down, FATAL 57P01).
func (c *conn) toPgError(err error) *pgerr.Error {
	var pe *pgerr.Error
	if !errors.As(err, &pe) {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			pe = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
		} else {
			pe = pgerr.From(err)
		}
	}
	if c.srv.closing.Load() && (pe.Code == pgerr.QueryCanceled) {
		pe = adminShutdownError()
	}
	return pe
}

func adminShutdownError() *pgerr.Error {
	e := pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command")
	e.Severity = pgerr.SeverityFatal
	return e
}

// sendError appends an ErrorResponse for err. Positions are already
// relative to the whole message the client sent (package sql adds the
// statement's offset within a multi-statement Query). It returns the error
// as sent, so callers can see whether it was FATAL.
func (c *conn) sendError(err error) *pgerr.Error {
	pe := c.toPgError(err)
	if pe.Code == pgerr.InternalError {
		c.log.Warn("internal error", "err", err, "pid", c.pid)
	}
	if !isFatal(pe) && c.sess != nil {
		// NB: every error fails the transaction, also those pgwire raises
		// itself; Fail is a no-op for errors the session already saw.
		c.sess.Fail()
	}
	c.wr.send(errorResponse(pe))
	return pe
}

// errorResponse builds the ErrorResponse (or NoticeResponse) fields:
// S and V severity, C SQLSTATE, M, D, H and P. Reference: PostgreSQL
// documentation, 55.8 "Error and Notice Message Fields".
func errorResponse(pe *pgerr.Error) *pgproto3.ErrorResponse {
	sev := pe.Severity
	if sev == "" {
		sev = pgerr.SeverityError
	}
	code := string(pe.Code)
	if code == "" {
		code = string(pgerr.InternalError)
	}
	r := &pgproto3.ErrorResponse{
		Severity:            sev,
		SeverityUnlocalized: sev,
		Code:                code,
		Message:             pe.Message,
		Detail:              pe.Detail,
		Hint:                pe.Hint,
		Where:               pe.Where,
	}
	if pe.Position > 0 {
		r.Position = int32(pe.Position)
	}
	return r
}

// sendNotices appends a NoticeResponse for every notice the session raised.
func (c *conn) sendNotices() {
	for _, n := range c.sess.TakeNotices() {
		er := errorResponse(n)
		if n.Severity == "" {
			er.Severity, er.SeverityUnlocalized = pgerr.SeverityNotice, pgerr.SeverityNotice
		}
		c.wr.send((*pgproto3.NoticeResponse)(er))
	}
}

// isFatal reports whether an error ends the connection.
func isFatal(pe *pgerr.Error) bool {
	return pe.Severity == pgerr.SeverityFatal || pe.Severity == "PANIC"
}

// itoa is strconv.Itoa; named for the tags built here.
func itoa(n int) string { return strconv.Itoa(n) }
