package pgwire

import (
	"context"
	"strings"

	"github.com/jackc/pgproto3/v2"
)

// handleExecute runs a portal: up to MaxRows rows (0 = all). When the
// limit stops it, PortalSuspended is sent and a later Execute resumes the
// same result; otherwise CommandComplete. An empty statement answers
// EmptyQueryResponse. A COPY FROM STDIN enters stateCopyIn.
// Reference: 55.2.3, Execute.
func (c *conn) handleExecute(m *pgproto3.Execute) bool {
	p, ok := c.portals[m.Portal]
	if !ok {
		return c.extendedError(noSuchPortal(m.Portal))
	}
	if p.stmt.prep == nil {
		c.wr.emptyMsg(msgEmptyQuery)
		return false
	}
	if p.done {
		c.wr.commandComplete(resumedTag(p.tag, 0))
		return false
	}
	ctx, done := c.runCtx()
	if p.res == nil {
		res, err := c.sess.Execute(ctx, p.stmt.prep, p.params)
		if err != nil {
			done()
			return c.extendedError(err)
		}
		if res.CopyIn() != nil {
			c.startCopy(res, ctx, done, false, "", nil)
			return c.wr.flush() != nil
		}
		if res.CopyOut() != nil {
			// NB: COPY TO runs to its end whatever the row limit.
			err := c.sendCopyOut(ctx, res)
			done()
			p.done, p.tag = true, "COPY"
			if err != nil {
				c.closePortal(p.name)
				return c.extendedError(err)
			}
			return false
		}
		p.res = res
	}
	suspended, n, err := c.streamPortal(ctx, p, m.MaxRows)
	done()
	if err != nil {
		c.closePortal(p.name)
		return c.extendedError(err)
	}
	if suspended {
		c.wr.emptyMsg(msgPortalSuspended)
		return false
	}
	p.done = true
	p.tag = p.res.Tag()
	_ = p.res.Close()
	p.res = nil
	c.sendNotices()
	c.wr.commandComplete(resumedTag(p.tag, n))
	return false
}

// streamPortal sends up to maxRows rows (0 = all) of the portal's result.
// It reports whether it stopped at the limit, and how many rows it sent.
func (c *conn) streamPortal(ctx context.Context, p *portal, maxRows uint32) (suspended bool, n int, err error) {
	cols := p.res.Columns()
	if cols == nil {
		cols = p.stmt.columns()
	}
	opts := c.sess.FormatOptions()
	for maxRows == 0 || n < int(maxRows) {
		row, ok, err := p.res.Next(ctx)
		if err != nil {
			return false, n, err
		}
		if !ok {
			return false, n, nil
		}
		if err := c.wr.dataRow(row, cols, p.formats, opts); err != nil {
			return false, n, err
		}
		n++
	}
	// NB: like PostgreSQL, a portal that delivered exactly maxRows rows is
	// suspended without looking ahead; the next Execute may find no more.
	return true, n, nil
}

// resumedTag is the CommandComplete tag of one Execute: PostgreSQL counts
// the rows of this Execute only for a SELECT fetched in pieces.
func resumedTag(tag string, n int) string {
	if strings.HasPrefix(tag, "SELECT ") {
		return "SELECT " + itoa(n)
	}
	return tag
}
