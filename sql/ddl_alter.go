package sql

import (
	"context"
	"fmt"

	"github.com/vecgres/vecgres/executor"
	"github.com/vecgres/vecgres/sql/pgerr"
	"github.com/vecgres/vecgres/sql/tree"
	"github.com/vecgres/vecgres/sql/types"
	"github.com/vecgres/vecgres/storage"
)

// alterTable runs ALTER TABLE: ADD/DROP/RENAME COLUMN, RENAME TO, and
// ALTER COLUMN SET/DROP NOT NULL and SET/DROP DEFAULT. Commands apply in
// order to one descriptor, written once.
func (s *Session) alterTable(ctx context.Context, st *tree.AlterTable) (*Result, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, err
	}
	t, err := cat.table(st.Table.Schema, st.Table.Name)
	if err != nil {
		return nil, err
	}
	if t == nil {
		if st.IfExists {
			s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("relation %q does not exist, skipping", st.Table.Name))
			return tagResult(s, "ALTER TABLE"), nil
		}
		return nil, pgerr.Newf(pgerr.UndefinedTable, "relation %q does not exist", st.Table.Name)
	}
	desc := copyTableDesc(t.Desc)
	rewrite := false // rows must be re-encoded (a column was dropped)
	for _, cmd := range st.Cmds {
		changed, err := s.alterCmd(cat, t, desc, cmd)
		if err != nil {
			return nil, err
		}
		rewrite = rewrite || changed
	}
	if rewrite {
		if err := s.rewriteRows(ctx, t, desc); err != nil {
			return nil, err
		}
	}
	for i := range t.Desc.Indexes {
		old := &t.Desc.Indexes[i]
		if !executor.IsVectorIndex(old) {
			continue
		}
		kept := false
		for _, ix := range desc.Indexes {
			kept = kept || ix.OID == old.OID
		}
		if !kept {
			s.changes.DropAtCommit(old.OID)
		}
	}
	if err := storage.PutTable(s.txn, desc); err != nil {
		return nil, err
	}
	s.markCatalogWrite()
	if rewrite {
		// Column positions moved: vector indexes are rebuilt over the new
		// layout and replace the old ones at commit.
		fresh, err := s.catalog()
		if err != nil {
			return nil, err
		}
		nt, err := fresh.table("", desc.Name)
		if err != nil {
			return nil, err
		}
		for i := range nt.Desc.Indexes {
			if executor.IsVectorIndex(&nt.Desc.Indexes[i]) {
				if err := s.buildVectorIndex(ctx, nt, &nt.Desc.Indexes[i], ""); err != nil {
					return nil, err
				}
			}
		}
	}
	s.changes.ResetTableAtCommit(desc.ID)
	return tagResult(s, "ALTER TABLE"), nil
}

// alterCmd applies one command to desc; it reports whether stored rows
// must be rewritten.
func (s *Session) alterCmd(cat *catalogView, t *executor.Table, desc *storage.TableDesc, cmd tree.AlterCmd) (bool, error) {
	col := descColumn(desc, cmd.Column.Name)
	if handled, err := s.alterColumnSequence(cat, desc, col, cmd); handled || err != nil {
		return false, err
	}
	switch cmd.Kind {
	case "add_column":
		if col >= 0 {
			if cmd.IfExists {
				s.notice(pgerr.DuplicateColumn, fmt.Sprintf("column %q of relation %q already exists, skipping", cmd.Column.Name, desc.Name))
				return false, nil
			}
			return false, pgerr.Newf(pgerr.DuplicateColumn, "column %q of relation %q already exists", cmd.Column.Name, desc.Name)
		}
		if cmd.Column.PrimaryKey || cmd.Column.Unique {
			return false, pgerr.New(pgerr.FeatureNotSupported, "ALTER TABLE ADD COLUMN with PRIMARY KEY or UNIQUE is not supported yet")
		}
		c, err := s.columnDesc(cat.db.ID, desc.Name, cmd.Column)
		if err != nil {
			return false, err
		}
		if _, serial := serialTypes[cmd.Column.Type.Name]; serial || cmd.Column.Identity != "" {
			return false, pgerr.New(pgerr.FeatureNotSupported, "ALTER TABLE ADD COLUMN of a serial or identity column is not supported yet")
		}
		if c.Default != "" {
			// Older rows read the default's value, evaluated now, as
			// PostgreSQL does for a non-volatile default.
			v, typ, err := s.constantDefault(cat, c)
			if err != nil {
				return false, err
			}
			if !v.IsNull() {
				c.Missing, c.MissingSet = string(types.AppendText(nil, typ, v, types.FormatOptions{})), true
			}
		}
		if c.NotNull && !c.MissingSet && s.tableHasRows(t) {
			return false, pgerr.Newf(pgerr.NotNullViolation, "column %q of relation %q contains null values", c.Name, desc.Name)
		}
		desc.Columns = append(desc.Columns, c)
		return false, nil
	case "drop_column":
		if col < 0 {
			if cmd.IfExists {
				s.notice(pgerr.SuccessfulCompletion, fmt.Sprintf("column %q of relation %q does not exist, skipping", cmd.Column.Name, desc.Name))
				return false, nil
			}
			return false, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", cmd.Column.Name, desc.Name)
		}
		if err := columnReferenced(cat, desc, col); err != nil {
			return false, err
		}
		for _, pk := range desc.PrimaryKey {
			if pk == col {
				return false, pgerr.Newf(pgerr.FeatureNotSupported, "cannot drop column %q: it is part of the primary key", cmd.Column.Name)
			}
		}
		dropColumnConstraints(desc, col)
		dropColumn(desc, col)
		return true, nil
	case "rename_column":
		if col < 0 {
			return false, pgerr.Newf(pgerr.UndefinedColumn, "column %q does not exist", cmd.Column.Name)
		}
		if descColumn(desc, cmd.NewName) >= 0 {
			return false, pgerr.Newf(pgerr.DuplicateColumn, "column %q of relation %q already exists", cmd.NewName, desc.Name)
		}
		desc.Columns[col].Name = cmd.NewName
		if err := renameColumnInIndexes(desc, cmd.Column.Name, cmd.NewName); err != nil {
			return false, err
		}
		return false, renameColumnInChecks(desc, cmd.Column.Name, cmd.NewName)
	case "add_constraint":
		return false, s.alterAddConstraint(cat, t, desc, *cmd.Constraint)
	case "drop_constraint":
		return false, s.dropConstraint(desc, cmd)
	case "rename_table":
		if other, _ := cat.table("", cmd.NewName); other != nil || indexExists(cat, cmd.NewName) {
			return false, pgerr.Newf(pgerr.DuplicateTable, "relation %q already exists", cmd.NewName)
		}
		desc.Name = cmd.NewName
		return false, nil
	}
	if col < 0 {
		return false, pgerr.Newf(pgerr.UndefinedColumn, "column %q of relation %q does not exist", cmd.Column.Name, desc.Name)
	}
	switch cmd.Kind {
	case "set_not_null":
		if err := s.checkNoNulls(t, col); err != nil {
			return false, err
		}
		desc.Columns[col].NotNull = true
	case "drop_not_null":
		for _, pk := range desc.PrimaryKey {
			if pk == col {
				return false, pgerr.Newf(pgerr.InvalidTableDefinition, "column %q is in a primary key", cmd.Column.Name)
			}
		}
		desc.Columns[col].NotNull = false
	case "set_default":
		desc.Columns[col].Default = tree.FormatExpr(cmd.Default)
		if _, _, err := s.constantDefault(cat, desc.Columns[col]); err != nil {
			return false, err
		}
	case "drop_default":
		desc.Columns[col].Default = ""
	default:
		return false, pgerr.Newf(pgerr.FeatureNotSupported, "ALTER TABLE %s is not supported", cmd.Kind)
	}
	return false, nil
}

// constantDefault binds a column default and evaluates it.
func (s *Session) constantDefault(cat *catalogView, c storage.ColumnDesc) (types.Datum, types.T, error) {
	tmp := &storage.TableDesc{Name: "?", Columns: []storage.ColumnDesc{c}}
	t, err := executor.NewTable(tmp)
	if err != nil {
		return types.Null, types.T{}, err
	}
	x, err := newBinder(s, cat, nil, "").columnDefault(t, 0)
	if err != nil {
		return types.Null, types.T{}, err
	}
	v, err := x.Eval(s.execCtx(context.Background(), nil), nil)
	return v, t.Types[0], err
}

// dropColumn removes column col, renumbering ordinals and dropping the
// indexes that used it.
func dropColumn(desc *storage.TableDesc, col int) {
	desc.Columns = append(desc.Columns[:col:col], desc.Columns[col+1:]...)
	shift := func(o int) int {
		if o > col {
			return o - 1
		}
		return o
	}
	for i := range desc.PrimaryKey {
		desc.PrimaryKey[i] = shift(desc.PrimaryKey[i])
	}
	kept := desc.Indexes[:0]
	for _, ix := range desc.Indexes {
		uses := false
		cols := make([]int, len(ix.Columns))
		for i, c := range ix.Columns {
			uses = uses || c == col
			cols[i] = shift(c)
		}
		if uses {
			continue // PutTable deletes its entries and image
		}
		ix.Columns = cols
		kept = append(kept, ix)
	}
	desc.Indexes = kept
}

// rewriteRows re-encodes every row of t under the layout of desc (whose
// columns are t's minus dropped ones, matched by name).
func (s *Session) rewriteRows(ctx context.Context, t *executor.Table, desc *storage.TableDesc) error {
	nt, err := executor.NewTable(desc)
	if err != nil {
		return err
	}
	from := make([]int, len(desc.Columns))
	for i, c := range desc.Columns {
		from[i] = columnIndex(t, c.Name)
	}
	row := make([]types.Datum, len(desc.Columns))
	var buf []byte
	type kv struct{ k, v []byte }
	var out []kv
	err = s.eachRow(ctx, t, true, func(r []types.Datum) (bool, error) {
		for i, f := range from {
			row[i] = r[f]
		}
		buf = nt.EncodeValue(buf[:0], row)
		out = append(out, kv{[]byte(r[len(r)-1].S), append([]byte(nil), buf...)})
		return true, nil
	})
	if err != nil {
		return err
	}
	// NB: written after the scan, which must not see its own rewrites.
	for _, e := range out {
		if err := s.txn.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) tableHasRows(t *executor.Table) bool {
	found := false
	err := s.eachRow(context.Background(), t, false, func([]types.Datum) (bool, error) {
		found = true
		return false, nil
	})
	return found || err != nil
}

func (s *Session) checkNoNulls(t *executor.Table, col int) error {
	return s.eachRow(context.Background(), t, false, func(row []types.Datum) (bool, error) {
		if row[col].IsNull() {
			return false, pgerr.Newf(pgerr.NotNullViolation, "column %q of relation %q contains null values", t.Desc.Columns[col].Name, t.Desc.Name)
		}
		return true, nil
	})
}
