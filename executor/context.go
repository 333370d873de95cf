package executor

import (
	"context"

	"github.com/vecgres/vecgres/executor/builtin"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// Ctx is everything a running statement's operators and expressions may
// use. One Ctx serves one execution of one statement; it is not safe for
// concurrent use (parallel operators take their own copies).
type Ctx struct {
	// Context carries cancellation (CancelRequest, shutdown).
	Context context.Context
	// Txn is the transaction the statement reads and writes through.
	Txn storage.Txn
	// Store allocates sequence values (serial columns, hidden row ids).
	Store storage.Engine
	// Seqs is the session's sequence state (currval, lastval); nil: a
	// fresh one per statement.
	Seqs *SeqSession
	// Params are the bound values of $1..$n.
	Params []types.Datum
	// Builtin is passed to built-in function bodies.
	Builtin *builtin.Ctx
	// Analyze asks operators for the counters EXPLAIN ANALYZE prints
	// beyond rows and time (an ANN scan's distances and nodes visited).
	Analyze bool
	// Vectors are the live vector indexes (nil: none).
	Vectors *VectorIndexes
	// Changes are the transaction's pending vector changes (nil: none).
	Changes *VectorChanges
	// Hooks lets the layer above maintain structures the executor does not
	// own (vector indexes) when rows change; nil means none.
	Hooks RowHooks
	// Constraints are the CHECK and FOREIGN KEY constraints of the tables
	// the statement may write (nil: none); Pending queues its foreign-key
	// events until the statement ends (constraint.go).
	Constraints *Constraints
	Pending     *PendingChecks

	ticks uint32
	// outer is the stack of enclosing rows for correlated subqueries.
	outer [][]types.Datum
}

// RowHooks observes row changes made by the executor so that vector indexes
// (owned by the SQL engine) stay current. Calls happen inside the statement's
// transaction; the hook defers its effects to commit.
type RowHooks interface {
	RowInserted(t *storage.TableDesc, key []byte, row []types.Datum) error
	RowDeleted(t *storage.TableDesc, key []byte, row []types.Datum) error
}

// checkCancel returns 57014 once the statement's context is cancelled. It
// looks at the context only every 256 calls, because ctx.Err takes a lock.
func (c *Ctx) checkCancel() error {
	c.ticks++
	if c.ticks&255 != 0 || c.Context == nil {
		return nil
	}
	if err := c.Context.Err(); err != nil {
		return pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	}
	return nil
}

// checkCancelNow checks for cancellation unconditionally (long steps).
func (c *Ctx) checkCancelNow() error {
	if c.Context != nil && c.Context.Err() != nil {
		return pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	}
	return nil
}
