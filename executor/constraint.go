package executor

import (
	"bytes"
	"strings"

	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// CHECK and FOREIGN KEY enforcement.
//
// CHECK constraints are evaluated on every row written (rowWriter.insert),
// right after NOT NULL, as PostgreSQL's ExecConstraints does. Foreign keys
// are NOT DEFERRABLE constraints checked at the end of the statement, as
// PostgreSQL's RI triggers fire after the statement: each row change
// queues events in Ctx.Pending, and PendingChecks.Run (called by the
// modifying operator when its input is exhausted, or by COPY at its end)
// performs the referential actions (CASCADE, SET NULL, SET DEFAULT) and the
// checks. Actions queue further events, which the same Run processes.

// Check is one bound CHECK constraint: Expr is evaluated over a full row of
// its table. A false result fails the row; NULL passes (SQL semantics).
type Check struct {
	Name string
	Expr Expr
}

// ForeignKey is one bound FOREIGN KEY constraint: Child.ChildCols
// reference Parent.ParentCols (same order, types compatible).
type ForeignKey struct {
	Name      string
	Child     *Table
	ChildCols []int
	Parent    *Table
	// ParentCols are the referenced columns; ParentIndex is the parent's
	// primary-key or unique index over exactly those columns, used for
	// parent lookups.
	ParentCols  []int
	ParentIndex *storage.IndexDesc
	// ChildIndex is an index of Child whose leading columns are ChildCols
	// (a btree index, or the primary key), used to find referencing rows;
	// nil means a scan of Child.
	ChildIndex *storage.IndexDesc
	// OnDelete and OnUpdate are storage.FKNoAction and friends.
	OnDelete, OnUpdate string
	// Defaults are the defaults of ChildCols, for SET DEFAULT.
	Defaults []Expr
}

// TableConstraints are the constraints one table's row changes must honour.
type TableConstraints struct {
	Checks []Check
	// Outgoing are the foreign keys of this table (it is the child);
	// Incoming those that reference it (it is the parent).
	Outgoing, Incoming []*ForeignKey
}

// Constraints maps table IDs to their constraints, for every table a
// statement may write: its target and the tables referential actions
// reach. A table absent from Tables has none. Immutable once built.
type Constraints struct {
	Tables map[uint32]*TableConstraints
}

func (c *Constraints) of(tableID uint32) *TableConstraints {
	if c == nil {
		return nil
	}
	return c.Tables[tableID]
}

// fkEvent is one row change a foreign key must look at.
type fkEvent struct {
	fk   *ForeignKey
	kind byte // 'i': a child row written; 'd': parent row deleted; 'u': parent key updated
	// key is the child row's key ('i'); old and new are row copies.
	key      []byte
	old, new []types.Datum
}

// PendingChecks are the foreign-key events of one statement, waiting for
// its end. Not safe for concurrent use.
type PendingChecks struct {
	events []fkEvent
}

// ensurePending gives ctx a PendingChecks when the statement has
// constraints and none is set; it reports whether the caller owns it (and
// so must Run it at its end).
func ensurePending(ctx *Ctx) bool {
	if ctx.Constraints == nil || ctx.Pending != nil {
		return false
	}
	ctx.Pending = &PendingChecks{}
	return true
}

// checkRow evaluates t's CHECK constraints over row (23514).
func (w *rowWriter) checkRow(ctx *Ctx, row []types.Datum) error {
	tc := ctx.Constraints.of(w.Table.Desc.ID)
	if tc == nil {
		return nil
	}
	for _, c := range tc.Checks {
		v, err := c.Expr.Eval(ctx, row)
		if err != nil {
			return err
		}
		if !v.IsNull() && !v.Bool() {
			return pgerr.Newf(pgerr.CheckViolation, "new row for relation %q violates check constraint %q", w.Table.Desc.Name, c.Name).
				WithDetail("Failing row contains " + w.formatRow(ctx, row) + ".")
		}
	}
	return nil
}

// afterInsert queues the checks of a new row of t stored at key.
func afterInsert(ctx *Ctx, t *Table, key []byte, row []types.Datum) {
	tc := ctx.Constraints.of(t.Desc.ID)
	if tc == nil || ctx.Pending == nil {
		return
	}
	for _, fk := range tc.Outgoing {
		if !anyNull(row, fk.ChildCols) {
			ctx.Pending.events = append(ctx.Pending.events, fkEvent{fk: fk, kind: 'i', key: append([]byte(nil), key...), new: copyRow(row)})
		}
	}
}

// afterUpdate queues the checks and actions of a row of t that changed
// from old to new (stored at key now).
func afterUpdate(ctx *Ctx, t *Table, key []byte, old, new []types.Datum) {
	tc := ctx.Constraints.of(t.Desc.ID)
	if tc == nil || ctx.Pending == nil {
		return
	}
	for _, fk := range tc.Outgoing {
		if !anyNull(new, fk.ChildCols) && !sameValues(t, old, new, fk.ChildCols) {
			ctx.Pending.events = append(ctx.Pending.events, fkEvent{fk: fk, kind: 'i', key: append([]byte(nil), key...), new: copyRow(new)})
		}
	}
	for _, fk := range tc.Incoming {
		if !anyNull(old, fk.ParentCols) && !sameValues(t, old, new, fk.ParentCols) {
			ctx.Pending.events = append(ctx.Pending.events, fkEvent{fk: fk, kind: 'u', old: copyRow(old), new: copyRow(new)})
		}
	}
}

// afterDelete queues the actions of a deleted row of t.
func afterDelete(ctx *Ctx, t *Table, old []types.Datum) {
	tc := ctx.Constraints.of(t.Desc.ID)
	if tc == nil || ctx.Pending == nil {
		return
	}
	for _, fk := range tc.Incoming {
		if !anyNull(old, fk.ParentCols) {
			ctx.Pending.events = append(ctx.Pending.events, fkEvent{fk: fk, kind: 'd', old: copyRow(old)})
		}
	}
}

// Run processes the queued events in order, including those the
// referential actions queue, and empties the queue. It returns the first
// violation (23503) or storage error.
func (p *PendingChecks) Run(ctx *Ctx) error {
	defer func() { p.events = p.events[:0] }()
	for i := 0; i < len(p.events); i++ {
		if err := ctx.checkCancel(); err != nil {
			return err
		}
		ev := p.events[i]
		var err error
		switch ev.kind {
		case 'i':
			err = checkParent(ctx, &ev)
		case 'd':
			err = parentGone(ctx, &ev, ev.fk.OnDelete)
		case 'u':
			err = parentGone(ctx, &ev, ev.fk.OnUpdate)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkParent checks that the parent row of a written child row exists.
func checkParent(ctx *Ctx, ev *fkEvent) error {
	fk := ev.fk
	// NB: as PostgreSQL does, a row deleted or changed again later in the
	// statement is not checked in its older form.
	val, err := ctx.Txn.Get(ev.key)
	if err == storage.ErrNotFound {
		return nil
	}
	if err != nil {
		return err
	}
	cur := make([]types.Datum, len(fk.Child.Types))
	if err := fk.Child.DecodeValue(val, cur); err != nil {
		return err
	}
	if anyNull(cur, fk.ChildCols) || !sameValues(fk.Child, cur, ev.new, fk.ChildCols) {
		return nil
	}
	vals, err := castCols(ev.new, fk.ChildCols, fk.Child, fk.ParentCols, fk.Parent)
	if err != nil {
		return err
	}
	ok, err := parentExists(ctx, fk, vals)
	if err != nil || ok {
		return err
	}
	return &pgerr.Error{Code: pgerr.ForeignKeyViolation,
		Message: "insert or update on table \"" + fk.Child.Desc.Name + "\" violates foreign key constraint \"" + fk.Name + "\"",
		Detail:  "Key " + keyText(ctx, fk.Child, fk.ChildCols, ev.new) + " is not present in table \"" + fk.Parent.Desc.Name + "\"."}
}

// parentExists looks the referenced key up through the parent's primary
// key or unique index. vals holds one value per fk.ParentCols.
func parentExists(ctx *Ctx, fk *ForeignKey, vals []types.Datum) (bool, error) {
	p := fk.Parent
	prow := make([]types.Datum, len(p.Types))
	for i, c := range fk.ParentCols {
		prow[c] = vals[i]
	}
	if fk.ParentIndex.Primary {
		_, err := ctx.Txn.Get(p.RowKey(nil, p.PKBytes(nil, prow, 0)))
		if err == storage.ErrNotFound {
			return false, nil
		}
		return err == nil, err
	}
	ixVals := make([]types.Datum, len(fk.ParentIndex.Columns))
	for i, c := range fk.ParentIndex.Columns {
		ixVals[i] = prow[c]
	}
	prefix := p.IndexPrefixFor(fk.ParentIndex, ixVals)
	it, err := ctx.Txn.NewIter(prefix, storage.PrefixEnd(prefix))
	if err != nil {
		return false, err
	}
	defer it.Close()
	for it.Next() {
		// NB: an entry may outlive its row within a transaction that moved
		// the row; only a live row counts.
		if _, err := ctx.Txn.Get(p.RowKey(nil, it.Value())); err == nil {
			return true, nil
		} else if err != storage.ErrNotFound {
			return false, err
		}
	}
	return false, it.Err()
}

// parentGone handles a deleted parent row, or one whose referenced key
// changed, under the given action.
func parentGone(ctx *Ctx, ev *fkEvent, action string) error {
	fk := ev.fk
	oldVals := pick(ev.old, fk.ParentCols)
	if action == storage.FKNoAction {
		// NB: NO ACTION passes when the key exists again at the end of the
		// statement; RESTRICT does not look.
		still, err := parentExists(ctx, fk, oldVals)
		if err != nil || still {
			return err
		}
	}
	childVals, err := castCols(ev.old, fk.ParentCols, fk.Parent, fk.ChildCols, fk.Child)
	if err != nil {
		return err
	}
	refs, err := referencingRows(ctx, fk, childVals)
	if err != nil || len(refs) == 0 {
		return err
	}
	w := &rowWriter{Table: fk.Child}
	for _, r := range refs {
		switch {
		case action == storage.FKNoAction || action == storage.FKRestrict:
			return &pgerr.Error{Code: pgerr.ForeignKeyViolation,
				Message: "update or delete on table \"" + fk.Parent.Desc.Name + "\" violates foreign key constraint \"" + fk.Name +
					"\" on table \"" + fk.Child.Desc.Name + "\"",
				Detail: "Key " + keyText(ctx, fk.Parent, fk.ParentCols, ev.old) + " is still referenced from table \"" + fk.Child.Desc.Name + "\"."}
		case action == storage.FKCascade && ev.kind == 'd':
			if err := w.remove(ctx, r.key, r.row); err != nil {
				return err
			}
			afterDelete(ctx, fk.Child, r.row)
		default:
			nrow := copyRow(r.row)
			for i, c := range fk.ChildCols {
				switch action {
				case storage.FKCascade:
					nrow[c] = childVals[i] // replaced below
				case storage.FKSetNull:
					nrow[c] = types.Null
				case storage.FKSetDefault:
					v, err := fk.Defaults[i].Eval(ctx, nil)
					if err != nil {
						return err
					}
					nrow[c] = v
				}
			}
			if action == storage.FKCascade {
				newVals, err := castCols(ev.new, fk.ParentCols, fk.Parent, fk.ChildCols, fk.Child)
				if err != nil {
					return err
				}
				for i, c := range fk.ChildCols {
					nrow[c] = newVals[i]
				}
			}
			if err := w.update(ctx, r.key, r.row, nrow); err != nil {
				return err
			}
		}
	}
	if action == storage.FKSetDefault {
		// NB: a default equal to the old key is no key change, so no check
		// fires for the child; PostgreSQL then applies NO ACTION itself.
		return parentGone(ctx, ev, storage.FKNoAction)
	}
	return nil
}

// update replaces the row at key (content old) with nrow and queues its
// events.
func (w *rowWriter) update(ctx *Ctx, key []byte, old, nrow []types.Datum) error {
	t := w.Table
	if err := w.remove(ctx, key, old); err != nil {
		return err
	}
	pk := t.PKFromRowKey(key)
	if !t.HiddenRowID {
		pk = t.PKBytes(nil, nrow, 0)
	}
	if err := w.insert(ctx, nrow, pk); err != nil {
		return err
	}
	afterUpdate(ctx, t, t.RowKey(nil, pk), old, nrow)
	return nil
}

type keyedRow struct {
	key []byte
	row []types.Datum
}

// referencingRows returns copies of the child rows whose fk columns equal
// vals (one per ChildCols, of the child's types), through ChildIndex when
// there is one and by a scan of the child otherwise.
func referencingRows(ctx *Ctx, fk *ForeignKey, vals []types.Datum) ([]keyedRow, error) {
	c := fk.Child
	crow := make([]types.Datum, len(c.Types))
	for i, col := range fk.ChildCols {
		crow[col] = vals[i]
	}
	var out []keyedRow
	match := func(key []byte, row []types.Datum) {
		if sameValues(c, row, crow, fk.ChildCols) {
			out = append(out, keyedRow{append([]byte(nil), key...), copyRow(row)})
		}
	}
	var lower, upper []byte
	secondary := false
	switch {
	case fk.ChildIndex == nil:
		lower = storage.TableRowPrefix(c.Desc.ID)
		upper = storage.PrefixEnd(lower)
	case fk.ChildIndex.Primary:
		var pk []byte
		for _, col := range c.Desc.PrimaryKey[:len(fk.ChildCols)] {
			pk = types.AppendKey(pk, c.Types[col], crow[col], false)
		}
		lower = c.RowKey(nil, pk)
		upper = storage.PrefixEnd(lower)
	default:
		ixVals := make([]types.Datum, len(fk.ChildCols))
		for i, col := range fk.ChildIndex.Columns[:len(fk.ChildCols)] {
			ixVals[i] = crow[col]
		}
		lower = c.IndexPrefixFor(fk.ChildIndex, ixVals)
		upper = storage.PrefixEnd(lower)
		secondary = true
	}
	it, err := ctx.Txn.NewIter(lower, upper)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	row := make([]types.Datum, len(c.Types))
	for it.Next() {
		if err := ctx.checkCancel(); err != nil {
			return nil, err
		}
		key, val := it.Key(), it.Value()
		if secondary {
			key = c.RowKey(nil, it.Value())
			v, err := ctx.Txn.Get(key)
			if err == storage.ErrNotFound {
				continue
			}
			if err != nil {
				return nil, err
			}
			val = v
		}
		if err := c.DecodeValue(val, row); err != nil {
			return nil, err
		}
		match(key, row)
	}
	return out, it.Err()
}

// castCols returns row's values at cols (of table from) cast to the types
// of the matching columns toCols of table to.
func castCols(row []types.Datum, cols []int, from *Table, toCols []int, to *Table) ([]types.Datum, error) {
	out := make([]types.Datum, len(cols))
	for i, c := range cols {
		v := row[c]
		ft, tt := from.Types[c], to.Types[toCols[i]]
		if !v.IsNull() && !ft.Equal(tt) {
			var err error
			if v, err = types.Cast(v, ft, tt, false); err != nil {
				return nil, err
			}
		}
		out[i] = v
	}
	return out, nil
}

// sameValues reports whether a and b hold equal values (by key encoding)
// in cols of t.
func sameValues(t *Table, a, b []types.Datum, cols []int) bool {
	for _, c := range cols {
		if a[c].IsNull() != b[c].IsNull() {
			return false
		}
		if !bytes.Equal(types.AppendKey(nil, t.Types[c], a[c], false), types.AppendKey(nil, t.Types[c], b[c], false)) {
			return false
		}
	}
	return true
}

func anyNull(row []types.Datum, cols []int) bool {
	for _, c := range cols {
		if row[c].IsNull() {
			return true
		}
	}
	return false
}

func pick(row []types.Datum, cols []int) []types.Datum {
	out := make([]types.Datum, len(cols))
	for i, c := range cols {
		out[i] = row[c]
	}
	return out
}

func copyRow(row []types.Datum) []types.Datum { return append([]types.Datum(nil), row...) }

// keyText renders "(a, b)=(1, x)" as PostgreSQL's RI error details do.
func keyText(ctx *Ctx, t *Table, cols []int, row []types.Datum) string {
	opts := types.FormatOptions{}
	if ctx.Builtin != nil {
		opts = ctx.Builtin.Format
	}
	names := make([]string, len(cols))
	vals := make([]string, len(cols))
	for i, c := range cols {
		names[i] = t.Desc.Columns[c].Name
		if row[c].IsNull() {
			vals[i] = "null"
		} else {
			vals[i] = string(types.AppendText(nil, t.Types[c], row[c], opts))
		}
	}
	return "(" + strings.Join(names, ", ") + ")=(" + strings.Join(vals, ", ") + ")"
}
