package pgwire

import (
	"context"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// copyState is a running COPY ... FROM STDIN (stateCopyIn).
type copyState struct {
	res  *sql.Result
	ctx  context.Context
	done func() // releases ctx
	// simple is true when the COPY came from a Query message: after it the
	// rest of that message's statements run, then ReadyForQuery follows.
	// Otherwise (Execute) the extended protocol goes on until Sync.
	simple bool
	query  string
	rest   []sql.Parsed
}

// startCopy sends CopyInResponse and enters stateCopyIn. The caller
// flushes: the client waits for CopyInResponse before sending data (pgx
// does not wait, and its early CopyData simply queues in the socket).
// Reference: 55.2.6 "COPY Operations".
func (c *conn) startCopy(res *sql.Result, ctx context.Context, done func(), simple bool, query string, rest []sql.Parsed) {
	ci := res.CopyIn()
	c.wr.send(&pgproto3.CopyInResponse{
		OverallFormat:     byte(ci.Format),
		ColumnFormatCodes: uint16s(ci.ColumnFormats),
	})
	c.becomeCopyIn(&copyState{res: res, ctx: ctx, done: done, simple: simple, query: query, rest: rest})
}

func uint16s(fs []int16) []uint16 {
	out := make([]uint16, len(fs))
	for i, f := range fs {
		out[i] = uint16(f)
	}
	return out
}

// handleCopyData passes one chunk to the COPY. NB: m.Data aliases the read
// buffer; Result.CopyData must copy what it keeps.
func (c *conn) handleCopyData(m *pgproto3.CopyData) bool {
	if err := c.copy.res.CopyData(c.copy.ctx, m.Data); err != nil {
		return c.copyFailed(err)
	}
	return true
}

// handleCopyDone finishes the COPY: CommandComplete "COPY n", then the rest
// of a simple Query, or back to the extended protocol.
func (c *conn) handleCopyDone() bool {
	cs := c.copy
	if err := cs.res.CopyDone(cs.ctx); err != nil {
		return c.copyFailed(err)
	}
	c.sendNotices()
	c.wr.commandComplete(cs.res.Tag())
	c.endCopy()
	if cs.simple {
		return !c.runSimpleStatements(cs.query, cs.rest)
	}
	return true
}

// handleCopyFail aborts the COPY with the client's message (57014).
func (c *conn) handleCopyFail(m *pgproto3.CopyFail) bool {
	return c.copyFailed(c.copy.res.CopyFail(m.Message))
}

// copyProtocolError handles a message that has no place inside COPY.
func (c *conn) copyProtocolError(msg pgproto3.FrontendMessage) bool {
	_ = c.copy.res.CopyFail("protocol violation") // NB: the engine must abort the COPY it is running.
	return c.copyFailed(pgerr.Newf(pgerr.ProtocolViolation,
		"unexpected message type %s during COPY from stdin", msgName(msg)))
}

// copyFailed reports a COPY error (the engine has already aborted the COPY
// when it raised the error) and leaves stateCopyIn: a simple Query
// ends with ReadyForQuery, an extended one skips to Sync. It reports false
// when the connection must end.
func (c *conn) copyFailed(err error) bool {
	cs := c.copy
	c.endCopy()
	pe := c.sendError(err)
	if isFatal(pe) {
		_ = c.wr.flush()
		return false
	}
	if cs.simple {
		return !c.finishSimpleQuery()
	}
	c.skipToSync()
	return true
}

// endCopy releases the COPY's result and context and returns to stateReady.
func (c *conn) endCopy() {
	cs := c.copy
	if cs == nil {
		return
	}
	_ = cs.res.Close()
	cs.done()
	c.becomeReady()
}

// abortCopy rolls back a COPY the client abandoned (hang-up, Terminate).
func (c *conn) abortCopy() {
	if c.copy != nil {
		_ = c.copy.res.CopyFail("connection closed")
		c.endCopy()
	}
}

// sendCopyOut runs a COPY ... TO STDOUT to its end: CopyOutResponse, one
// CopyData per payload (header, each row, trailer), CopyDone and
// CommandComplete "COPY n". On an error the client gets ErrorResponse in
// place of CopyDone, as from PostgreSQL.
// Reference: 55.2.6 "COPY Operations".
func (c *conn) sendCopyOut(ctx context.Context, res *sql.Result) error {
	defer res.Close()
	co := res.CopyOut()
	c.wr.send(&pgproto3.CopyOutResponse{
		OverallFormat:     byte(co.Format),
		ColumnFormatCodes: uint16s(co.ColumnFormats),
	})
	for {
		data, ok, err := res.NextCopyData(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		c.wr.copyData(data)
	}
	c.wr.emptyMsg(msgCopyDone)
	c.sendNotices()
	c.wr.commandComplete(res.Tag())
	return nil
}
