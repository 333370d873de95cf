package executor

import (
	"errors"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// rowWriter holds what INSERT, UPDATE and DELETE share: writing a row with
// its index entries after checking constraints, and removing one.
type rowWriter struct {
	Table *Table
	buf   []byte
}

// checkNotNull enforces NOT NULL constraints (23502).
func (w *rowWriter) checkNotNull(ctx *Ctx, row []types.Datum) error {
	for i, c := range w.Table.Desc.Columns {
		if c.NotNull && row[i].IsNull() {
			return pgerr.Newf(pgerr.NotNullViolation, "null value in column %q of relation %q violates not-null constraint",
				c.Name, w.Table.Desc.Name).WithDetail("Failing row contains " + w.formatRow(ctx, row) + ".")
		}
	}
	return nil
}

func (w *rowWriter) formatRow(ctx *Ctx, row []types.Datum) string {
	var sb strings.Builder
	sb.WriteByte('(')
	opts := types.FormatOptions{}
	if ctx.Builtin != nil {
		opts = ctx.Builtin.Format
	}
	for i, t := range w.Table.Types {
		if i > 0 {
			sb.WriteString(", ")
		}
		if row[i].IsNull() {
			sb.WriteString("null")
			continue
		}
		sb.Write(types.AppendText(nil, t, row[i], opts))
	}
	sb.WriteByte(')')
	return sb.String()
}

func (w *rowWriter) keyDetail(ctx *Ctx, cols []int, row []types.Datum) string {
	names := make([]string, len(cols))
	vals := make([]string, len(cols))
	opts := types.FormatOptions{}
	if ctx.Builtin != nil {
		opts = ctx.Builtin.Format
	}
	for i, ord := range cols {
		names[i] = w.Table.Desc.Columns[ord].Name
		vals[i] = string(types.AppendText(nil, w.Table.Types[ord], row[ord], opts))
	}
	return "Key (" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ") already exists."
}

// errDuplicate is returned (wrapped in a 23505 error) on a unique violation,
// so ON CONFLICT DO NOTHING can recognise it.
var errDuplicate = errors.New("duplicate key")

// PrimaryKeyName is the constraint name PostgreSQL gives a primary key.
func PrimaryKeyName(t *storage.TableDesc) string { return t.Name + "_pkey" }

// insert writes a new row. pk must be the row's encoded primary key.
func (w *rowWriter) insert(ctx *Ctx, row []types.Datum, pk []byte) error {
	if err := w.checkNotNull(ctx, row); err != nil {
		return err
	}
	if err := w.checkRow(ctx, row); err != nil {
		return err
	}
	t := w.Table
	key := t.RowKey(nil, pk)
	if !t.HiddenRowID {
		_, err := ctx.Txn.Get(key)
		if err == nil {
			return &pgerr.Error{Code: pgerr.UniqueViolation,
				Message: "duplicate key value violates unique constraint \"" + PrimaryKeyName(t.Desc) + "\"",
				Detail:  w.keyDetail(ctx, t.Desc.PrimaryKey, row)}
		}
		if err != storage.ErrNotFound {
			return err
		}
	}
	for i := range t.Desc.Indexes {
		ix := &t.Desc.Indexes[i]
		if !IsBtree(ix) {
			continue
		}
		ek := t.IndexEntry(nil, ix, row, pk)
		if ix.Unique {
			if _, err := ctx.Txn.Get(ek); err == nil {
				return &pgerr.Error{Code: pgerr.UniqueViolation,
					Message: "duplicate key value violates unique constraint \"" + ix.Name + "\"",
					Detail:  w.keyDetail(ctx, ix.Columns, row)}
			} else if err != storage.ErrNotFound {
				return err
			}
		}
		if err := ctx.Txn.Put(ek, pk); err != nil {
			return err
		}
	}
	w.buf = t.EncodeValue(w.buf[:0], row)
	if err := ctx.Txn.Put(key, w.buf); err != nil {
		return err
	}
	if ctx.Hooks != nil {
		return ctx.Hooks.RowInserted(t.Desc, key, row)
	}
	return nil
}

// remove deletes the row stored at key, whose current content is row.
func (w *rowWriter) remove(ctx *Ctx, key []byte, row []types.Datum) error {
	t := w.Table
	pk := t.PKFromRowKey(key)
	for i := range t.Desc.Indexes {
		ix := &t.Desc.Indexes[i]
		if !IsBtree(ix) {
			continue
		}
		if err := ctx.Txn.Delete(t.IndexEntry(nil, ix, row, pk)); err != nil {
			return err
		}
	}
	if err := ctx.Txn.Delete(key); err != nil {
		return err
	}
	if ctx.Hooks != nil {
		return ctx.Hooks.RowDeleted(t.Desc, key, row)
	}
	return nil
}

// Insert inserts the rows of Input, which are full rows in table column
// order (defaults already applied, values already of the column types).
// With Returning set it yields one row per inserted row; Affected counts
// rows inserted.
type Insert struct {
	Input     Operator
	Table     *Table
	Returning []Expr
	// OnConflictDoNothing skips rows that violate a unique constraint.
	OnConflictDoNothing bool
	// OnConflictUpdate, when set, is applied to the existing row on a
	// primary-key conflict: its expressions see the existing row followed by
	// the proposed row (EXCLUDED), and produce the new full row.
	OnConflictUpdate []Expr
	OnConflictWhere  Expr
	// DeferChecks leaves the statement's foreign-key checks in ctx.Pending
	// for the caller to run (COPY runs them once at its end).
	DeferChecks bool

	Affected int64
	w        rowWriter
	out      []types.Datum
	pkBuf    []byte
	// ownPending is set when this operator runs ctx.Pending at its end.
	ownPending bool
}

// Open opens the input.
func (ins *Insert) Open(ctx *Ctx) error {
	ins.w = rowWriter{Table: ins.Table}
	ins.Affected = 0
	ins.out = make([]types.Datum, len(ins.Returning))
	ins.ownPending = ensurePending(ctx) && !ins.DeferChecks
	return ins.Input.Open(ctx)
}

// Next inserts rows until one is to be returned, or all are done.
func (ins *Insert) Next(ctx *Ctx) ([]types.Datum, error) {
	for {
		row, err := ins.Input.Next(ctx)
		if row == nil || err != nil {
			if err == nil && ins.ownPending {
				err = ctx.Pending.Run(ctx)
			}
			return nil, err
		}
		var rowID int64
		if ins.Table.HiddenRowID {
			rowID, err = ctx.Store.NextSequence(RowIDSequence(ins.Table.Desc.ID), 1)
			if err != nil {
				return nil, err
			}
		}
		ins.pkBuf = ins.Table.PKBytes(ins.pkBuf[:0], row, rowID)
		sp := ctx.Txn.Savepoint()
		err = ins.w.insert(ctx, row, ins.pkBuf)
		if err != nil && pgerr.CodeOf(err) == pgerr.UniqueViolation && (ins.OnConflictDoNothing || ins.OnConflictUpdate != nil) {
			if rerr := ctx.Txn.RollbackTo(sp); rerr != nil {
				return nil, rerr
			}
			if ins.OnConflictDoNothing {
				continue
			}
			row, err = ins.upsert(ctx, row)
			if err != nil {
				return nil, err
			}
			if row == nil {
				continue
			}
		} else if err != nil {
			return nil, err
		} else {
			afterInsert(ctx, ins.Table, ins.Table.RowKey(nil, ins.pkBuf), row)
		}
		ins.Affected++
		if ins.Returning == nil {
			continue
		}
		for i, e := range ins.Returning {
			v, err := e.Eval(ctx, row)
			if err != nil {
				return nil, err
			}
			ins.out[i] = v
		}
		return ins.out, nil
	}
}

// upsert applies ON CONFLICT DO UPDATE to the existing row with the same
// primary key; it returns the new row, or nil when the WHERE skipped it.
func (ins *Insert) upsert(ctx *Ctx, proposed []types.Datum) ([]types.Datum, error) {
	t := ins.Table
	key := t.RowKey(nil, ins.pkBuf)
	val, err := ctx.Txn.Get(key)
	if err != nil {
		if err == storage.ErrNotFound {
			return nil, pgerr.New(pgerr.FeatureNotSupported, "ON CONFLICT DO UPDATE supports conflicts on the primary key only")
		}
		return nil, err
	}
	old := make([]types.Datum, len(t.Types))
	if err := t.DecodeValue(val, old); err != nil {
		return nil, err
	}
	both := append(append([]types.Datum(nil), old...), proposed...)
	if ins.OnConflictWhere != nil {
		ok, err := EvalBool(ctx, ins.OnConflictWhere, both)
		if err != nil || !ok {
			return nil, err
		}
	}
	nrow := make([]types.Datum, len(t.Types))
	for i, e := range ins.OnConflictUpdate {
		v, err := e.Eval(ctx, both)
		if err != nil {
			return nil, err
		}
		nrow[i] = v
	}
	if err := ins.w.remove(ctx, key, old); err != nil {
		return nil, err
	}
	pk := t.PKBytes(nil, nrow, 0)
	if err := ins.w.insert(ctx, nrow, pk); err != nil {
		return nil, err
	}
	afterUpdate(ctx, t, t.RowKey(nil, pk), old, nrow)
	return nrow, nil
}

// Close closes the input.
func (ins *Insert) Close() error { return ins.Input.Close() }

// Update rewrites the rows of Input. Input rows are the table's columns
// followed by the row key (TableScan WithKey), possibly followed by more
// columns (UPDATE ... FROM); Set computes the new full row from that input
// row (one expression per table column).
type Update struct {
	Input     Operator
	Table     *Table
	Set       []Expr
	Returning []Expr // evaluated over the new row

	Affected int64
	w        rowWriter
	newRow   []types.Datum
	out      []types.Datum
	seen     map[string]bool
	// ownPending is set when this operator runs ctx.Pending at its end.
	ownPending bool
}

// Open opens the input.
func (u *Update) Open(ctx *Ctx) error {
	u.w = rowWriter{Table: u.Table}
	u.Affected = 0
	u.newRow = make([]types.Datum, len(u.Table.Types))
	u.out = make([]types.Datum, len(u.Returning))
	u.seen = map[string]bool{}
	u.ownPending = ensurePending(ctx)
	return u.Input.Open(ctx)
}

// Next updates rows until one is to be returned, or all are done.
func (u *Update) Next(ctx *Ctx) ([]types.Datum, error) {
	n := len(u.Table.Types)
	for {
		row, err := u.Input.Next(ctx)
		if row == nil || err != nil {
			if err == nil && u.ownPending {
				err = ctx.Pending.Run(ctx)
			}
			return nil, err
		}
		key := []byte(row[n].S)
		// NB: a row is updated once per statement even if a join in
		// UPDATE ... FROM produces it several times (PostgreSQL picks one).
		if u.seen[string(key)] {
			continue
		}
		u.seen[string(key)] = true
		for i, e := range u.Set {
			v, err := e.Eval(ctx, row)
			if err != nil {
				return nil, err
			}
			u.newRow[i] = v
		}
		old := append([]types.Datum(nil), row[:n]...)
		if err := u.w.remove(ctx, key, old); err != nil {
			return nil, err
		}
		var pk []byte
		if u.Table.HiddenRowID {
			pk = u.Table.PKFromRowKey(key)
		} else {
			pk = u.Table.PKBytes(nil, u.newRow, 0)
		}
		if err := u.w.insert(ctx, u.newRow, pk); err != nil {
			return nil, err
		}
		afterUpdate(ctx, u.Table, u.Table.RowKey(nil, pk), old, u.newRow)
		u.Affected++
		if u.Returning == nil {
			continue
		}
		for i, e := range u.Returning {
			v, err := e.Eval(ctx, u.newRow)
			if err != nil {
				return nil, err
			}
			u.out[i] = v
		}
		return u.out, nil
	}
}

// Close closes the input.
func (u *Update) Close() error { return u.Input.Close() }

// Delete removes the rows of Input (table columns followed by the row key).
type Delete struct {
	Input     Operator
	Table     *Table
	Returning []Expr // evaluated over the deleted row

	Affected int64
	w        rowWriter
	out      []types.Datum
	seen     map[string]bool
	// ownPending is set when this operator runs ctx.Pending at its end.
	ownPending bool
}

// Open opens the input.
func (d *Delete) Open(ctx *Ctx) error {
	d.w = rowWriter{Table: d.Table}
	d.Affected = 0
	d.out = make([]types.Datum, len(d.Returning))
	d.seen = map[string]bool{}
	d.ownPending = ensurePending(ctx)
	return d.Input.Open(ctx)
}

// Next deletes rows until one is to be returned, or all are done.
func (d *Delete) Next(ctx *Ctx) ([]types.Datum, error) {
	n := len(d.Table.Types)
	for {
		row, err := d.Input.Next(ctx)
		if row == nil || err != nil {
			if err == nil && d.ownPending {
				err = ctx.Pending.Run(ctx)
			}
			return nil, err
		}
		key := []byte(row[n].S)
		if d.seen[string(key)] {
			continue
		}
		d.seen[string(key)] = true
		old := append([]types.Datum(nil), row[:n]...)
		if err := d.w.remove(ctx, key, old); err != nil {
			return nil, err
		}
		afterDelete(ctx, d.Table, old)
		d.Affected++
		if d.Returning == nil {
			continue
		}
		for i, e := range d.Returning {
			v, err := e.Eval(ctx, old)
			if err != nil {
				return nil, err
			}
			d.out[i] = v
		}
		return d.out, nil
	}
}

// Close closes the input.
func (d *Delete) Close() error { return d.Input.Close() }
