package pgwire

import "github.com/vecgres/vecgres/sql"

// handleSync ends an extended-query batch: the error-skipping mode ends,
// the implicit transaction ends (Session.Sync commits it, or rolls it back
// after an error), and ReadyForQuery reports the transaction status.
// Portals are dropped when no explicit transaction remains open.
// Reference: 55.2.3, Sync.
func (c *conn) handleSync() bool {
	c.ignoreUntilSync = false
	if err := c.endImplicitTxn(); err != nil {
		if pe := c.sendError(err); isFatal(pe) {
			_ = c.wr.flush()
			return true
		}
	}
	return c.readyForQuery()
}

// endImplicitTxn ends the implicit transaction (Session.Sync). When no
// explicit transaction is open the portals die with it; they are closed
// first so that no result is still reading when its transaction commits.
func (c *conn) endImplicitTxn() error {
	if c.sess.TxnStatus() == sql.TxnIdle {
		c.closeAllPortals()
	}
	return c.sess.Sync()
}
