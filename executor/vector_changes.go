package executor

import (
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// VectorChanges collects one transaction's changes to indexed vectors.
// It implements RowHooks: while the transaction runs it writes the dirty
// markers (see VectorIndexes) into the transaction and remembers the
// changes; CommitAndApply then commits the transaction and applies them to
// the live indexes, so that an index never holds an uncommitted vector and
// never misses a committed one.
type VectorChanges struct {
	v   *VectorIndexes
	txn storage.Txn
	ops []vectorOp
	// tables with pending changes: ANN scans on them in this transaction
	// fall back to exact search so the transaction sees its own writes.
	tables map[uint32]bool
	// local are indexes built by this transaction (CREATE INDEX), not yet
	// visible to others: changes go straight into them, and they are
	// published when the transaction commits.
	local map[uint32]*LiveIndex
	// dropped are indexes this transaction dropped, forgotten at commit.
	dropped []uint32
	// rows are the row changes of tables with vector columns, for the
	// exact caches.
	rows []tableOp
	// reset are tables whose exact caches are dropped at commit.
	reset []uint32
}

// AddLocal makes an index built in this transaction receive its later
// row changes; it is published by CommitAndApply.
func (c *VectorChanges) AddLocal(li *LiveIndex) {
	if c.local == nil {
		c.local = map[uint32]*LiveIndex{}
	}
	c.local[li.OID] = li
}

// ResetTableAtCommit forgets the table's exact caches once the transaction
// commits (TRUNCATE, DROP TABLE: rows vanish without row changes).
func (c *VectorChanges) ResetTableAtCommit(table uint32) {
	c.reset = append(c.reset, table)
	c.tables[table] = true
}

// DropAtCommit forgets the live index oid once the transaction commits.
func (c *VectorChanges) DropAtCommit(oid uint32) {
	c.dropped = append(c.dropped, oid)
	delete(c.local, oid)
}

type vectorOp struct {
	li  *LiveIndex
	id  uint64
	vec []float32 // nil: delete
}

// NewVectorChanges starts collecting changes made through txn.
func (v *VectorIndexes) NewVectorChanges(txn storage.Txn) *VectorChanges {
	return &VectorChanges{v: v, txn: txn, tables: map[uint32]bool{}}
}

// Pending reports whether the transaction changed vectors of the table.
func (c *VectorChanges) Pending(tableID uint32) bool { return c != nil && c.tables[tableID] }

func (c *VectorChanges) indexesOf(t *storage.TableDesc) []*LiveIndex {
	var out []*LiveIndex
	for i := range t.Indexes {
		if IsVectorIndex(&t.Indexes[i]) {
			if li := c.local[t.Indexes[i].OID]; li != nil {
				out = append(out, li)
			} else if li := c.v.Get(t.Indexes[i].OID); li != nil {
				out = append(out, li)
			}
		}
	}
	return out
}

func (c *VectorChanges) record(t *storage.TableDesc, key []byte, row []types.Datum, del bool) error {
	if !hasVectorColumn(t) && !hasVectorIndex(t) {
		return nil
	}
	c.tables[t.ID] = true
	tbl, err := NewTable(t)
	if err != nil {
		return err
	}
	id, ok := VectorID(tbl, tbl.PKFromRowKey(key))
	if !ok {
		return nil
	}
	op := tableOp{table: t.ID, id: id}
	if !del {
		op.row = append([]types.Datum(nil), row...)
	}
	c.rows = append(c.rows, op)
	lis := c.indexesOf(t)
	var kctx *Ctx
	for _, li := range lis {
		var vec []float32
		if !del {
			if li.Key != nil && kctx == nil {
				kctx = keyCtx()
			}
			// NB: an expression that fails on the row fails the statement,
			// as an index expression error does in PostgreSQL.
			kv, err := li.value(kctx, row)
			if err != nil {
				return err
			}
			if !kv.IsNull() {
				vec = indexVector(kv)
			}
		}
		if c.local[li.OID] == li {
			// NB: a private index: change it now; a rollback discards it.
			var err error
			if vec == nil {
				err = li.Index.Delete([]uint64{id})
			} else {
				err = li.Index.Add([]uint64{id}, vec)
			}
			if err != nil {
				return err
			}
			continue
		}
		if err := c.txn.Put(dirtyKey(li.TableID, li.IndexID, id), nil); err != nil {
			return err
		}
		c.ops = append(c.ops, vectorOp{li: li, id: id, vec: vec})
	}
	return nil
}

// RowInserted records an inserted (or updated) row.
func (c *VectorChanges) RowInserted(t *storage.TableDesc, key []byte, row []types.Datum) error {
	return c.record(t, key, row, false)
}

// RowDeleted records a deleted row (an UPDATE deletes, then inserts).
func (c *VectorChanges) RowDeleted(t *storage.TableDesc, key []byte, row []types.Datum) error {
	return c.record(t, key, row, true)
}

// Mark returns the current position, for a SAVEPOINT.
func (c *VectorChanges) Mark() VectorMark { return VectorMark{ops: len(c.ops), rows: len(c.rows)} }

// VectorMark is a position in a transaction's vector changes.
type VectorMark struct{ ops, rows int }

// RollbackTo drops the changes recorded after Mark returned m.
func (c *VectorChanges) RollbackTo(m VectorMark) {
	if m.ops < len(c.ops) {
		c.ops = c.ops[:m.ops]
	}
	if m.rows < len(c.rows) {
		c.rows = c.rows[:m.rows]
	}
}

// CommitAndApply commits the transaction and, if that succeeds, applies
// the recorded changes to the live indexes, publishes the indexes it built
// (with a first checkpoint) and forgets those it dropped.
func (c *VectorChanges) CommitAndApply() error {
	if err := c.commitAndApply(); err != nil {
		return err
	}
	for _, oid := range c.dropped {
		c.v.Drop(oid)
	}
	for _, t := range c.reset {
		c.v.DropCaches(t)
	}
	for _, li := range c.local {
		c.v.Publish(li)
		// NB: if this fails (or the process dies first), the index has no
		// image and is rebuilt from the rows at the next start.
		_ = c.v.Checkpoint(li)
	}
	return nil
}

func (c *VectorChanges) commitAndApply() error {
	if len(c.ops) == 0 && len(c.tables) == 0 {
		return c.txn.Commit()
	}
	v := c.v
	v.applyMu.Lock()
	if err := c.txn.Commit(); err != nil {
		v.applyMu.Unlock()
		return err
	}
	v.applyToCaches(c.rows, c.tables)
	var due []*LiveIndex
	for _, op := range c.ops {
		if op.vec == nil {
			_ = op.li.Index.Delete([]uint64{op.id})
		} else if err := op.li.Index.Add([]uint64{op.id}, op.vec); err != nil {
			// NB: the row is committed; its dirty marker stays until the
			// next checkpoint, which replays it from the row.
			continue
		}
		op.li.changes++
		if op.li.changes == CheckpointEvery {
			due = append(due, op.li)
		}
	}
	for _, li := range due {
		_ = v.checkpointLocked(li)
	}
	v.applyMu.Unlock()
	return nil
}
