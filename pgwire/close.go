package pgwire

import (
	"github.com/jackc/pgproto3/v2"

	"github.com/vecgres/vecgres/sql/pgerr"
)

// handleClose closes a statement or portal; closing one that does not
// exist is not an error. Answers CloseComplete. Reference: 55.2.3, Close.
func (c *conn) handleClose(m *pgproto3.Close) bool {
	switch m.ObjectType {
	case 'S':
		// NB: portals made from the statement keep running, as in PostgreSQL.
		delete(c.stmts, m.Name)
	case 'P':
		c.closePortal(m.Name)
	default:
		return c.extendedError(pgerr.Newf(pgerr.ProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType))
	}
	c.wr.emptyMsg(msgCloseComplete)
	return false
}

// closePortal drops a portal and releases its running result.
func (c *conn) closePortal(name string) {
	p, ok := c.portals[name]
	if !ok {
		return
	}
	if p.res != nil {
		_ = p.res.Close()
	}
	delete(c.portals, name)
}

// closeAllPortals drops every portal: the transaction they belong to ended.
func (c *conn) closeAllPortals() {
	for name := range c.portals {
		c.closePortal(name)
	}
}
