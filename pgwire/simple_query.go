package pgwire

import (
	"context"

	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// handleSimpleQuery runs a Query message: the whole string is parsed, then
// each statement is prepared and executed in turn, each answered with
// RowDescription, DataRows and CommandComplete; the first error stops the
// rest. Then the implicit transaction ends (Session.Sync) and ReadyForQuery
// follows. A COPY FROM STDIN statement suspends the sequence in stateCopyIn
// (see copy.go), which resumes it with the statements after the COPY.
// It reports true when the connection must end.
//
// Reference: PostgreSQL documentation, 55.2.2 "Simple Query" and 55.2.2.1
// "Multiple Statements in a Simple Query".
func (c *conn) handleSimpleQuery(m *pgproto3.Query) bool {
	// NB: a simple Query destroys the unnamed statement and portal.
	delete(c.stmts, "")
	c.closePortal("")

	stmts, err := sql.Parse(m.String)
	if err != nil {
		if pe := c.sendError(err); isFatal(pe) {
			_ = c.wr.flush()
			return true
		}
		return c.finishSimpleQuery()
	}
	if len(stmts) == 0 {
		c.wr.emptyMsg(msgEmptyQuery)
		return c.finishSimpleQuery()
	}
	return c.runSimpleStatements(m.String, stmts)
}

// runSimpleStatements executes stmts (from the Query text query) until the
// end, an error, or a COPY that needs the client's data.
func (c *conn) runSimpleStatements(query string, stmts []sql.Parsed) bool {
	for i, p := range stmts {
		ctx, done := c.runCtx()
		res, err := c.execSimple(ctx, p)
		if err == nil && res.CopyIn() != nil {
			c.startCopy(res, ctx, done, true, query, stmts[i+1:])
			return c.wr.flush() != nil
		}
		if err == nil && res.CopyOut() != nil {
			err = c.sendCopyOut(ctx, res)
		} else if err == nil {
			err = c.streamAll(ctx, res)
		}
		done()
		if err != nil {
			pe := c.sendError(err)
			if isFatal(pe) {
				_ = c.wr.flush()
				return true
			}
			break
		}
	}
	return c.finishSimpleQuery()
}

// execSimple prepares and starts one statement of a simple Query.
func (c *conn) execSimple(ctx context.Context, p sql.Parsed) (*sql.Result, error) {
	prep, err := c.sess.Prepare(ctx, p, nil)
	if err != nil {
		return nil, err
	}
	if len(prep.ParamTypes) > 0 {
		return nil, pgerr.New(pgerr.UndefinedParameter, "there is no parameter $1")
	}
	res, err := c.sess.Execute(ctx, prep, nil)
	if err != nil {
		return nil, err
	}
	if res.CopyIn() == nil {
		if cols := res.Columns(); cols != nil {
			c.wr.rowDescription(cols, nil)
		}
	}
	return res, nil
}

// streamAll sends every row of res as text and its CommandComplete.
func (c *conn) streamAll(ctx context.Context, res *sql.Result) error {
	defer res.Close()
	cols := res.Columns()
	opts := c.sess.FormatOptions()
	for {
		row, ok, err := res.Next(ctx)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := c.wr.dataRow(row, cols, nil, opts); err != nil {
			return err
		}
	}
	c.sendNotices()
	c.wr.commandComplete(res.Tag())
	return nil
}

// finishSimpleQuery ends the implicit transaction and sends ReadyForQuery.
func (c *conn) finishSimpleQuery() bool {
	if err := c.endImplicitTxn(); err != nil {
		if pe := c.sendError(err); isFatal(pe) {
			_ = c.wr.flush()
			return true
		}
	}
	return c.readyForQuery()
}
