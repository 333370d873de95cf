package pgwire

import (
	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// handleDescribe answers Describe: for a statement, ParameterDescription
// then RowDescription (all text formats, as they are not yet known) or
// NoData; for a portal, RowDescription with the Bind's result formats or
// NoData. Reference: 55.2.3, Describe.
func (c *conn) handleDescribe(m *pgproto3.Describe) bool {
	switch m.ObjectType {
	case 'S':
		s, ok := c.stmts[m.Name]
		if !ok {
			return c.extendedError(noSuchStatement(m.Name))
		}
		if s.prep == nil {
			c.wr.parameterDescription(nil)
			c.wr.emptyMsg(msgNoData)
			return false
		}
		c.wr.parameterDescription(s.prep.ParamTypes)
		if s.prep.Columns == nil {
			c.wr.emptyMsg(msgNoData)
		} else {
			c.wr.rowDescription(s.prep.Columns, nil)
		}
	case 'P':
		p, ok := c.portals[m.Name]
		if !ok {
			return c.extendedError(noSuchPortal(m.Name))
		}
		if cols := p.stmt.columns(); cols == nil {
			c.wr.emptyMsg(msgNoData)
		} else {
			c.wr.rowDescription(cols, p.formats)
		}
	default:
		return c.extendedError(pgerr.Newf(pgerr.ProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType))
	}
	return false
}
