package pgwire

import (
	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql"
	"github.com/vecgres/vecgres/sql/pgerr"
)

// stmt is a prepared statement created by Parse. It lives for the session
// (named) or until the next Parse or simple Query (unnamed "").
type stmt struct {
	name string
	prep *sql.Prepared // nil for an empty query string
}

// paramTypes returns the statement's parameter types (none when empty).
func (s *stmt) columns() []sql.Column {
	if s.prep == nil {
		return nil
	}
	return s.prep.Columns
}

// handleParse creates a prepared statement: the query must hold at most one
// statement; parameter OIDs may be absent, partial or complete (0 = infer).
// Answers ParseComplete. Reference: 55.2.3, Parse.
func (c *conn) handleParse(m *pgproto3.Parse) bool {
	if m.Name != "" {
		if _, ok := c.stmts[m.Name]; ok {
			return c.extendedError(pgerr.Newf(pgerr.DuplicatePreparedStatement,
				"prepared statement %q already exists", m.Name))
		}
	}
	parsed, err := sql.Parse(m.Query)
	if err != nil {
		return c.extendedError(err)
	}
	if len(parsed) > 1 {
		return c.extendedError(pgerr.New(pgerr.SyntaxError, "cannot insert multiple commands into a prepared statement"))
	}
	s := &stmt{name: m.Name}
	if len(parsed) == 1 {
		ctx, done := c.runCtx()
		s.prep, err = c.sess.Prepare(ctx, parsed[0], m.ParameterOIDs)
		done()
		if err != nil {
			return c.extendedError(err)
		}
	} else if len(m.ParameterOIDs) > 0 {
		return c.extendedError(pgerr.Newf(pgerr.ProtocolViolation,
			"empty query with %d parameter types", len(m.ParameterOIDs)))
	}
	c.stmts[m.Name] = s
	c.sendNotices()
	c.wr.emptyMsg(msgParseComplete)
	return false
}
